import { posix } from 'node:path';
import type { FileState } from '../core/file-state.js';
import type { Change, Plan } from '../core/plan.js';
import type { TreeEntry } from '../reads/tree-state.js';
import { atomicReplaceCommand } from '../shell/atomic-replace.js';
import { commandLine, quote } from '../shell/quote.js';
import { stripSlash, type TreeCopyArgs } from './copy-tree.js';
import { attributeChanges, normalizeMode } from './desired-file.js';
import { resolveMode } from './mode.js';

/** What copy with remote_src reads, in one round trip; which of it counts depends on what src turns out to be. */
export interface RemoteCopyState {
  src: FileState;
  srcTree: TreeEntry[] | null | false;
  dest: FileState;
  /** dest/<basename of src>: where a file lands in a folder dest, and where a folder without a trailing slash goes. */
  inner: FileState;
  /** The tree of the folder a folder copy merges into (dest with a trailing slash on src, else dest/<basename>). */
  targetTree: TreeEntry[] | null | false;
}

/** The paths of those reads, from the arguments alone. */
export function remotePaths(a: { src: string; dest: string }): { inner: string; target: string } {
  const inner = posix.join(stripSlash(a.dest), posix.basename(stripSlash(a.src)));
  return { inner, target: a.src.endsWith('/') ? stripSlash(a.dest) : inner };
}

const exec = (argv: string[], description: string): Change => ({ kind: 'exec', command: commandLine(argv), description });

/** A file on the host copied onto dest, as Ansible's copy module does it: an atomic replace, a new file 0644. */
function decideRemoteFile(a: TreeCopyArgs & { src: string }, s: RemoteCopyState): Plan {
  const intoDir = a.dest.endsWith('/') || (s.dest.exists && s.dest.type === 'directory');
  const target = intoDir ? s.inner : s.dest;
  const data = { dest: target.path, src: a.src };
  if (!a.force && target.exists) return { changes: [], msg: 'file already exists', data };
  if (target.exists && target.type === 'directory') return { changes: [], failed: `${target.path} is a directory`, data };
  const want = { path: target.path, mode: normalizeMode(a.mode), owner: a.owner, group: a.group };
  if (target.exists && target.type === 'file' && s.src.exists && target.sha256 === s.src.sha256)
    return { changes: attributeChanges(target, want), data };
  const mode = resolveMode(want.mode, target.exists ? target.mode : undefined, false);
  const command = atomicReplaceCommand({
    ...want,
    mode,
    backup: a.backup,
    fill: [`cat -- ${quote(a.src)} > "$t"`],
  });
  return { changes: [{ kind: 'exec', command, description: `${target.exists ? 'update' : 'create'} ${target.path} from ${a.src}` }], data };
}

/**
 * Ansible's merge of one host folder into another (its copy_diff_files, copy_left_only,
 * copy_common_dirs): a missing folder is copied whole (modes and times kept), a missing or
 * different file is copied with its mode; what is only in the target stays. Links are left out.
 */
export function mergeChanges(srcRoot: string, target: string, src: readonly TreeEntry[], have: readonly TreeEntry[]): Change[] {
  const byRel = new Map(have.map((e) => [e.rel, e]));
  const changes: Change[] = [];
  const copied: string[] = [];
  for (const e of src) {
    if (copied.some((d) => e.rel.startsWith(`${d}/`))) continue;
    const from = posix.join(srcRoot, e.rel);
    const to = posix.join(target, e.rel);
    const there = byRel.get(e.rel);
    if (e.type === 'directory' && !there) {
      copied.push(e.rel);
      changes.push(exec(['cp', '-R', '--preserve=mode,timestamps', '--', from, to], `copy folder ${from} to ${to}`));
    } else if (e.type === 'file' && (!there || (there.type === 'file' && there.sha256 !== e.sha256))) {
      changes.push(exec(['cp', '--preserve=mode', '--', from, to], `${there ? 'update' : 'create'} ${to} from ${from}`));
    }
  }
  return changes;
}

/** Pure decision of copy with remote_src, for a file or a folder src. */
export function decideRemoteCopy(a: TreeCopyArgs & { src: string }, s: RemoteCopyState): Plan {
  if (!s.src.exists) return { changes: [], failed: `Source ${a.src} not found` };
  if (s.srcTree === false) return decideRemoteFile(a, s);
  const srcTree = s.srcTree ?? [];
  const trailing = a.src.endsWith('/');
  const dest = stripSlash(a.dest);
  if (s.dest.exists && s.dest.type !== 'directory') return { changes: [], failed: `cannot copy the folder ${a.src} onto the file ${dest}` };
  const { target } = remotePaths(a);
  const targetState = trailing ? s.dest : s.inner;
  const changes: Change[] = [];
  // Where Ansible then applies mode, owner and group: the target, or dest itself when it made both.
  let attrsOn: FileState & { exists: true };
  const owned = (state: FileState, fallbackMode: string): FileState & { exists: true } =>
    state.exists ? state : { exists: true, path: state.path, type: 'directory', mode: fallbackMode, owner: 'root', group: 'root', size: 0 };
  const srcMode = s.src.exists ? s.src.mode : '0755';
  if (!s.dest.exists && !trailing) {
    changes.push(exec(['mkdir', '-p', '--', target], `create directory ${target}`));
    changes.push(...mergeChanges(a.src, target, srcTree, []));
    attrsOn = owned(s.dest, '0755');
  } else if (!targetState.exists) {
    changes.push(exec(['cp', '-R', '--preserve=mode,timestamps', '--', stripSlash(a.src), target], `copy folder ${a.src} to ${target}`));
    attrsOn = owned(targetState, srcMode);
  } else {
    if (targetState.type !== 'directory') return { changes: [], failed: `${target} exists and is not a directory` };
    changes.push(...mergeChanges(a.src, target, srcTree, s.targetTree || []));
    attrsOn = targetState;
  }
  if (a.owner || a.group) {
    const differs = (e: { owner: string; group: string }) => (a.owner && e.owner !== a.owner) || (a.group && e.group !== a.group);
    // What cp makes belongs to the user copying: root here, as Ansible's become runs it.
    const made = changes.length > 0 && differs({ owner: 'root', group: 'root' });
    const existing = targetState.exists && (differs(targetState) || (s.targetTree || []).some(differs));
    if (made || existing) {
      const spec = `${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`;
      changes.push(exec(['chown', '-R', spec, '--', target], `owner of ${target} and everything in it -> ${spec}`));
    }
  }
  const mode = normalizeMode(a.mode);
  if (mode) changes.push(...attributeChanges(attrsOn, { path: attrsOn.path, mode }));
  return {
    changes,
    msg: changes.length ? undefined : `${target} has what ${a.src} has`,
    data: { dest: trailing && s.dest.exists ? `${dest}/` : attrsOn.path, src: a.src, checksum: null, md5sum: null },
  };
}
