import type { FileState } from '../core/file-state.js';
import type { Plan } from '../core/plan.js';
import { must } from '../errors.js';
import type { PathStat } from '../reads/path-stat.js';
import { commandLine } from '../shell/quote.js';
import { attributeChanges, normalizeMode } from './desired-file.js';

export interface HardLinkArgs {
  path: string;
  src?: string;
  force?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
}

/** What Ansible's file module calls the path's state: a second name of a file is `hard`. */
function prevState(s: PathStat): 'absent' | 'link' | 'directory' | 'hard' | 'file' {
  if (!s.exists) return 'absent';
  if (s.type === 'link') return 'link';
  if (s.type === 'directory') return 'directory';
  return s.nlink > 1 ? 'hard' : 'file';
}

function asFileState(path: string, s: PathStat & { exists: true }): FileState {
  const type = s.type === 'file' || s.type === 'directory' || s.type === 'link' ? s.type : 'other';
  return { exists: true, path, type, mode: s.mode, owner: s.pw_name, group: s.gr_name, size: s.size };
}

/**
 * Pure decision of state=hard, as ansible-core 2.14's ensure_hardlink: src must exist; the path is
 * linked when absent, a symlink elsewhere, or (with force) another file; then mode, owner and group
 * are set on it, which is src's own inode once linked.
 */
export function decideHardLink(a: HardLinkArgs, path: PathStat, src: PathStat): Plan {
  const target = must(a.src, 'src (the schema requires it for state=hard)');
  const data = { dest: a.path, src: target };
  if (!src.exists) return { changes: [], failed: 'src does not exist', data };
  const sameInode = path.exists && path.inode === src.inode && path.dev === src.dev;
  const prev = prevState(path);
  let link = false;
  if (prev === 'absent') link = true;
  else if (prev === 'link') link = path.exists && path.lnk_target !== target;
  else if (prev === 'hard' && !sameInode) {
    if (!a.force) return { changes: [], failed: 'Cannot link, different hard link exists at destination', data };
    link = true;
  } else if (prev === 'file') {
    if (!a.force) return { changes: [], failed: `Cannot link, ${prev} exists at destination`, data };
    link = true;
  } else if (prev === 'directory') return { changes: [], failed: 'Cannot link: different hard link exists at destination', data };
  const argv = ['ln', ...(prev === 'absent' ? [] : ['-f']), '--', target, a.path];
  const changes = link ? [{ kind: 'exec' as const, command: commandLine(argv), description: `hard link ${a.path} => ${target}` }] : [];
  // Once linked, the path is src's inode: its attributes are src's.
  const now = link || !path.exists ? src : path;
  const attrs = attributeChanges(asFileState(a.path, now), { path: a.path, mode: normalizeMode(a.mode), owner: a.owner, group: a.group });
  return { changes: [...changes, ...attrs], data };
}
