import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import type { FileState } from '../../../src/core/file-state.js';
import {
  ask,
  type HostReader,
  type Read,
  type ReadArgs,
  type ReadRequest,
  type ReadValue,
  type ReadValues,
  readKey,
} from '../../../src/core/reads.js';
import { must } from '../../../src/errors.js';
import type { ControllerFiles, PlanContext } from '../../../src/modules/types.js';
import type { AptPackages } from '../../../src/reads/apt-packages.js';
import type { FileStateArgs } from '../../../src/reads/file-state.js';
import type { UnitState } from '../../../src/reads/unit-state.js';
import type { WaitUntilArgs } from '../../../src/reads/wait-until.js';

/** A read a case declares: its name and arguments, and the value the host reports. */
export interface DeclaredRead {
  read: string;
  args: ReadArgs;
  value: ReadValue;
}

/**
 * A host that only knows the reads a case declares: any other read fails the case. It counts
 * round trips as the real reader does: reads asked for in the same tick are one.
 */
export function fakeReader(declared: DeclaredRead[]): HostReader & { asked: string[]; roundTrips: number } {
  let batchOpen = false;
  const answer = async (name: string, args: ReadArgs): Promise<ReadValue> => {
    const key = readKey(name, args);
    reader.asked.push(key);
    if (!batchOpen) {
      batchOpen = true;
      reader.roundTrips++;
      queueMicrotask(() => {
        batchOpen = false;
      });
    }
    const found = declared.find((d) => readKey(d.read, d.args) === key);
    if (!found) throw new Error(`undeclared read: ${key}`);
    return found.value;
  };
  const reader = {
    asked: [] as string[],
    roundTrips: 0,
    // As the real reader, the command is built when asked for: a read that cannot build it throws.
    get: <A extends ReadArgs, T extends ReadValue>(read: Read<A, T>, args: A) => answer(ask(read, args).name, args) as Promise<T>,
    getAll: <const R extends readonly ReadRequest[]>(requests: R) =>
      Promise.all(requests.map((r) => answer(r.name, r.args))) as Promise<ReadValues<R>>,
  };
  return reader;
}

type FileSpec = {
  type?: 'file' | 'directory' | 'link';
  content?: string;
  mode?: string;
  owner?: string;
  group?: string;
  linkTarget?: string;
};

/** file_state as the real read reports it: checksum and content only when asked for. */
export function stat(path: string, opts: Omit<FileStateArgs, 'path'>, f: FileSpec | 'absent'): DeclaredRead {
  const args = { path, ...opts };
  if (f === 'absent') return { read: 'file_state', args, value: { exists: false, path } };
  const content = Buffer.from(f.content ?? '');
  const type = f.type ?? 'file';
  const value: FileState = {
    exists: true,
    path,
    type,
    mode: f.mode ?? '0644',
    owner: f.owner ?? 'root',
    group: f.group ?? 'root',
    size: content.length,
  };
  if (f.linkTarget) value.linkTarget = f.linkTarget;
  if (type === 'file' && (opts.checksum || opts.content)) value.sha256 = createHash('sha256').update(content).digest('hex');
  if (type === 'file' && opts.content) value.content = content;
  return { read: 'file_state', args, value };
}

export function packages(names: string[], value: AptPackages, latest = false): DeclaredRead {
  return { read: 'apt_packages', args: { names, latest }, value };
}

export function unit(name: string | undefined, value: UnitState, scope?: 'user' | 'global'): DeclaredRead {
  return { read: 'unit_state', args: { ...(name === undefined ? {} : { name }), ...(scope ? { scope } : {}) }, value };
}

export function exists(path: string, value: boolean): DeclaredRead {
  return { read: 'path_exists', args: { path }, value };
}

export function archive(path: string, entry: string | null): DeclaredRead {
  return { read: 'archive_entry', args: { path }, value: entry };
}

export function waited(args: WaitUntilArgs, reached: boolean): DeclaredRead {
  return { read: 'wait_until', args, value: reached };
}

export function controllerFiles(files: Record<string, string>): ControllerFiles {
  return {
    resolve: (p) => `/controller/${p}`,
    readText: (p) => {
      const text = files[p];
      if (text === undefined) throw new Error(`no controller file ${p}`);
      return text;
    },
    readBytes: (p) => Buffer.from(must(files[p] ?? files[p.replace(/^\/controller\//, '')], `controller file ${p}`)),
    exists: (p) => files[p] !== undefined,
    dwim: (p) => (p.startsWith('/') ? p : `/controller/${p}`),
    readVars: (p) => parse(must(files[p], `controller file ${p}`)),
    listFiles: (dir) =>
      Object.keys(files)
        .filter((f) => f.startsWith(`${dir}/`))
        .map((f) => f.slice(dir.length + 1))
        .sort(),
    walk: (dir) => {
      const under = Object.keys(files).filter((f) => f.startsWith(`${dir.replace(/\/$/, '')}/`));
      if (under.length === 0) return null;
      const rels = under.map((f) => f.slice(dir.replace(/\/$/, '').length + 1));
      const dirs = new Set(
        rels.flatMap((r) =>
          r
            .split('/')
            .slice(0, -1)
            .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
        ),
      );
      return { dirs: [...dirs].sort(), files: rels.filter((r) => !r.endsWith('/')).sort() };
    },
  };
}

export function context<A>(args: A, reader: HostReader, extra: Partial<PlanContext<A>> = {}): PlanContext<A> {
  return {
    host: 'h1',
    args,
    vars: {},
    reader,
    files: controllerFiles({}),
    render: (t) => t,
    check: false,
    ...extra,
  };
}

/** Any other read, declared by its name: the module's own typed read decides what the value means. */
export function read(name: string, args: ReadArgs, value: ReadValue): DeclaredRead {
  return { read: name, args, value };
}
