import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Change, FileDiff, Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { dirFiles } from '../reads/dir-files.js';
import { fileState } from '../reads/file-state.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { aptUpdateChange } from './apt.js';
import { dumpSourcesFile, parseSourceLine, parseSourcesFile, type SourceLine, suggestSourcesFilename } from './apt-source-lines.js';
import { modeArg, yesNo } from './common-args.js';
import { normalizeMode } from './mode.js';
import { defineModule } from './types.js';

export const SOURCES_LIST = '/etc/apt/sources.list';
export const SOURCES_DIR = '/etc/apt/sources.list.d';

const schema = withAliases(
  {
    repo: z.string().min(1).describe('the source line (deb URI SUITE COMPONENTS, options in [ ]); ppa: lines are refused'),
    state: z.enum(['present', 'absent']).default('present'),
    mode: modeArg.optional().describe('mode of the file a new line goes into (default 0644)'),
    update_cache: yesNo.default(true).describe('apt-get update after a change'),
    update_cache_retries: z.coerce.number().int().min(1).default(5).describe('accepted for Ansible: apt-get retries itself'),
    update_cache_retry_max_delay: z.coerce.number().int().min(0).default(12).describe('accepted for Ansible'),
    filename: z.string().min(1).optional().describe('the file in sources.list.d, without .list (default: from the URI)'),
    codename: z.string().min(1).optional().describe('accepted for Ansible: only PPAs use it'),
    install_python_apt: yesNo.default(true).describe('accepted for Ansible: provision needs no Python on the host'),
    validate_certs: yesNo.default(true).describe('accepted for Ansible'),
  },
  { 'update-cache': 'update_cache' },
);
export type AptRepositoryArgs = z.infer<typeof schema>;

/** Every one-line sources file apt reads, by path, as Ansible loads them: sources.list, then sources.list.d/*.list. */
export type SourcesFiles = Map<string, SourceLine[]>;

export function loadSources(list: FileState, dir: readonly { name: string; content: Buffer }[] | null | false): SourcesFiles {
  const files: SourcesFiles = new Map();
  if (list.exists && list.type === 'file') files.set(SOURCES_LIST, parseSourcesFile((list.content ?? Buffer.alloc(0)).toString('utf8')));
  const listed = (dir || []).filter((f) => f.name.endsWith('.list') && !f.name.startsWith('.'));
  for (const f of [...listed].sort((a, b) => (a.name < b.name ? -1 : 1)))
    files.set(posix.join(SOURCES_DIR, f.name), parseSourcesFile(f.content.toString('utf8')));
  return files;
}

/** The file a new source goes into: `filename` + .list, in sources.list.d unless it names a folder. */
function targetFile(a: AptRepositoryArgs, source: string): string {
  const name = a.filename === undefined ? suggestSourcesFilename(source) : `${a.filename}.list`;
  return name.includes('/') ? name : posix.join(SOURCES_DIR, name);
}

/** Pure: the files after the edit, and which one got a new line (its mode is then set). */
export function editSources(a: AptRepositoryArgs, before: SourcesFiles): { after: SourcesFiles; added?: string } | { failed: string } {
  const wanted = parseSourceLine(a.repo);
  if (!wanted.valid || !wanted.enabled) return { failed: `Invalid repository string: ${a.repo.trim().replace(/^#/, '')}` };
  const after: SourcesFiles = new Map([...before].map(([path, lines]) => [path, lines.map((l) => ({ ...l }))]));
  if (a.state === 'absent') {
    for (const [path, lines] of after)
      after.set(
        path,
        lines.filter((l) => !(l.valid && l.enabled && l.source === wanted.source)),
      );
    return { after };
  }
  let found = false;
  for (const lines of after.values())
    for (const l of lines)
      if (l.valid && l.source === wanted.source) {
        l.enabled = true;
        found = true;
      }
  if (found) return { after };
  const path = targetFile(a, wanted.source);
  after.set(path, [...(after.get(path) ?? []), { valid: true, enabled: true, source: wanted.source, comment: '' }]);
  return { after, added: path };
}

/** Ansible's decision and its save: when anything changed, every file is written back normalized and emptied ones are removed. */
export function decideAptRepository(
  a: AptRepositoryArgs,
  list: FileState,
  dir: readonly { name: string; content: Buffer }[] | null | false,
): Plan {
  if (a.repo.trim().startsWith('ppa:'))
    return { changes: [], failed: 'ppa: repositories need Launchpad, which provision does not contact: give the deb line and its key' };
  const before = loadSources(list, dir);
  const edited = editSources(a, before);
  const data = { repo: a.repo, state: a.state };
  if ('failed' in edited) return { changes: [], failed: edited.failed, data };
  const dump = (files: SourcesFiles) => new Map([...files].filter(([, l]) => l.length > 0).map(([p, l]) => [p, dumpSourcesFile(l)]));
  const was = dump(before);
  const now = dump(edited.after);
  const changed = was.size !== now.size || [...now].some(([p, text]) => was.get(p) !== text);
  if (!changed) return { changes: [], msg: `${a.repo} is ${a.state}`, data };
  const rawText = (p: string) => {
    if (p === SOURCES_LIST) return list.exists && list.content ? list.content.toString('utf8') : undefined;
    return (dir || []).find((x) => posix.join(SOURCES_DIR, x.name) === p)?.content.toString('utf8');
  };
  const changes: Change[] = [];
  const diffs: FileDiff[] = [];
  if (dir === null && [...edited.after.keys()].some((p) => p.startsWith(`${SOURCES_DIR}/`)))
    changes.push({ kind: 'exec', command: commandLine(['mkdir', '-p', SOURCES_DIR]), description: `create directory ${SOURCES_DIR}` });
  for (const [path, lines] of edited.after) {
    const old = rawText(path);
    if (lines.length === 0) {
      if (!before.has(path)) continue;
      changes.push({ kind: 'exec', command: commandLine(['rm', '-f', '--', path]), description: `remove ${path}` });
      diffs.push({ path, before: old ?? '', after: '' });
      continue;
    }
    const text = dumpSourcesFile(lines);
    const mode = path === edited.added ? (normalizeMode(a.mode) ?? '0644') : undefined;
    if (text === old) continue;
    changes.push({
      kind: 'write',
      file: { path, content: Buffer.from(text), ...(mode ? { mode } : {}) },
      description: old === undefined ? `create ${path}` : `update ${path}`,
    });
    diffs.push({ path, before: old ?? '', after: text });
  }
  if (a.update_cache) changes.push(aptUpdateChange());
  return { changes, diffs, data };
}

export const aptRepository = defineModule({
  name: 'apt_repository',
  schema,
  async plan({ args, reader }) {
    // One round trip: sources.list and every file of sources.list.d with its bytes.
    const [list, dir] = await reader.getAll([
      ask(fileState, { path: SOURCES_LIST, content: true }),
      ask(dirFiles, { path: SOURCES_DIR }),
    ] as const);
    return decideAptRepository(args, list, dir);
  },
});
