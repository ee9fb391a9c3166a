import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { FileState } from '../core/file-state.js';
import type { Change, FileDiff, Plan } from '../core/plan.js';
import { commandLine } from '../shell/quote.js';
import { attributeChanges, decideFile, desiredFile, normalizeMode } from './desired-file.js';

/** The arguments of copy that a folder copy uses. */
export interface TreeCopyArgs {
  src?: string;
  dest: string;
  mode?: string | number;
  directory_mode?: string | number;
  owner?: string;
  group?: string;
  force: boolean;
  backup?: boolean;
}

/** A controller folder's walk: folders and files relative to it. */
export interface SourceTree {
  dirs: string[];
  files: string[];
}

/** Where a folder copy puts things: the folders it makes or fixes, and each file's path on the host. */
export interface TreeTargets {
  /** The folder on the controller, as found (its trailing slash as given): Ansible's `src` result. */
  source: string;
  /** dest without its trailing slash: the folder everything goes under. */
  root: string;
  /** The source's folders on the host, parents first (the folder itself first without a trailing slash on src). */
  dirs: string[];
  files: { rel: string; path: string }[];
}

export function stripSlash(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}

/**
 * As Ansible's copy action walks a folder (rsync's rule): `src: site/` copies what is in it into
 * dest, `src: site` copies the folder itself, as dest/site.
 */
export function treeTargets(src: string, resolved: string, dest: string, tree: SourceTree): TreeTargets {
  const root = stripSlash(dest);
  const top = src.endsWith('/') ? '' : posix.basename(stripSlash(resolved));
  const under = (rel: string) => posix.join(root, top, rel);
  return {
    source: src.endsWith('/') && !resolved.endsWith('/') ? `${resolved}/` : resolved,
    root,
    dirs: [...(top ? [under('')] : []), ...tree.dirs.map(under)].map(stripSlash),
    files: tree.files.map((rel) => ({ rel, path: under(rel) })),
  };
}

/** The folders above a path, outermost first, without / and without the path itself. */
export function ancestors(path: string): string[] {
  const parts = stripSlash(path).split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

/** Every folder a folder copy reads before deciding: dest's ancestors, dest, and the source's folders. */
export function treeDirsToRead(t: TreeTargets): string[] {
  return [...new Set([...ancestors(t.root), ...(t.root === '/' ? [] : [t.root]), ...t.dirs])];
}

/**
 * Pure decision of a folder copy from the controller. Folders that are missing are made with
 * directory_mode, owner and group (Ansible's makedirs and its file calls); the source's own folders
 * that exist get those attributes too; dest's existing ancestors are left alone. Every file is
 * decided as a single copy is (content, then mode, owner, group).
 */
export function decideTreeCopy(
  a: TreeCopyArgs,
  t: TreeTargets,
  dirs: ReadonlyMap<string, FileState>,
  files: readonly { path: string; state: FileState; content: Buffer }[],
): Plan {
  const changes: Change[] = [];
  const diffs: FileDiff[] = [];
  const sourceDirs = new Set(t.dirs);
  const want = { mode: normalizeMode(a.directory_mode), owner: a.owner, group: a.group };
  for (const path of treeDirsToRead(t)) {
    const state = dirs.get(path) ?? { exists: false, path };
    if (!state.exists) {
      changes.push(
        { kind: 'exec', command: commandLine(['mkdir', '--', path]), description: `create directory ${path}` },
        ...attributeChanges({ exists: true, path, type: 'directory', mode: '', owner: '', group: '', size: 0 }, { path, ...want }),
      );
    } else if (state.type === 'link' && !sourceDirs.has(path)) {
      // A link above dest is followed, as os.path.exists does there.
    } else if (state.type !== 'directory') {
      return { changes: [], failed: `${path} exists and is not a directory` };
    } else if (sourceDirs.has(path)) changes.push(...attributeChanges(state, { path, ...want }));
  }
  for (const f of files) {
    if (!a.force && f.state.exists) continue;
    const plan = decideFile(f.state, desiredFile(f.path, f.content, a));
    if (plan.failed) return plan;
    changes.push(...plan.changes);
    diffs.push(...(plan.diffs ?? []));
  }
  return { changes, diffs: diffs.length ? diffs : undefined, data: treeCopyResult(t, files) };
}

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest('hex');

/** Ansible's result: one file and no folder gives that file's own result; otherwise dest (with its slash) and src. */
function treeCopyResult(t: TreeTargets, files: readonly { path: string; content: Buffer }[]): Record<string, unknown> {
  const [only] = files;
  if (files.length === 1 && t.dirs.length === 0 && only) return { dest: only.path, checksum: sha1(only.content) };
  return { dest: t.root === '/' ? '/' : `${t.root}/`, src: t.source };
}
