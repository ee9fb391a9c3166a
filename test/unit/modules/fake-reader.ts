import { createHash } from 'node:crypto';
import type { ControllerFiles, ExecResult, FileState, HostReader, PlanContext } from '../../../src/modules/types.js';

export interface HostFacts {
  files?: Record<
    string,
    { type?: 'file' | 'directory' | 'link'; content?: string; mode?: string; owner?: string; group?: string; linkTarget?: string }
  >;
  /** Commands and the output they give; matched by substring. */
  reads?: Record<string, { stdout?: string; exitCode?: number }>;
}

/** A host that only knows the facts a case declares: any other read fails the case. */
export function fakeReader(facts: HostFacts): HostReader & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async read(command: string): Promise<ExecResult> {
      calls.push(command);
      const key = Object.keys(facts.reads ?? {}).find((k) => command.includes(k));
      if (!key) throw new Error(`undeclared read: ${command}`);
      const r = facts.reads![key];
      const stdout = r.stdout ?? '';
      return { command, exitCode: r.exitCode ?? 0, stdout, stderr: '', stdoutBytes: Buffer.from(stdout) };
    },
    async fileState(path: string): Promise<FileState> {
      calls.push(`stat ${path}`);
      if (!facts.files || !(path in facts.files)) {
        if (facts.files && '*' in facts.files) return { exists: false, path };
        throw new Error(`undeclared file: ${path}`);
      }
      const f = facts.files[path];
      if (!f || (f as { absent?: boolean }).absent) return { exists: false, path };
      const content = Buffer.from(f.content ?? '');
      return {
        exists: true,
        path,
        type: f.type ?? 'file',
        mode: f.mode ?? '0644',
        owner: f.owner ?? 'root',
        group: f.group ?? 'root',
        size: content.length,
        linkTarget: f.linkTarget,
        sha256: (f.type ?? 'file') === 'file' ? createHash('sha256').update(content).digest('hex') : undefined,
        content: (f.type ?? 'file') === 'file' ? content : undefined,
      };
    },
  };
}

export function controllerFiles(files: Record<string, string>): ControllerFiles {
  return {
    resolve: (p) => `/controller/${p}`,
    readText: (p) => {
      if (!(p in files)) throw new Error(`no controller file ${p}`);
      return files[p];
    },
    readBytes: (p) => Buffer.from(files[p]),
  };
}

export function context<A>(args: A, facts: HostFacts, extra: Partial<PlanContext<A>> = {}): PlanContext<A> {
  return {
    host: 'h1',
    args,
    vars: {},
    reader: fakeReader(facts),
    files: controllerFiles({}),
    render: (t) => t,
    check: false,
    ...extra,
  };
}
