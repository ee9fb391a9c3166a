import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';
import { type PathStat, type StatCore, statCore } from './path-stat.js';

export type DirEntriesArgs = { path: string; maxDepth?: number; follow?: boolean };

/** One entry under a folder, as lstat(2) sees it (stat(2) with follow); `dirLike` follows links (os.walk's is_dir). */
export type DirEntry = { path: string; dirLike: boolean; type: Extract<PathStat, { exists: true }>['type'] } & StatCore;

const TYPES: Record<string, DirEntry['type']> = { f: 'file', d: 'directory', l: 'link', p: 'fifo', s: 'socket', b: 'block', c: 'char' };
const FIELDS = ['%y', '%Y', '%m', '%U', '%G', '%u', '%g', '%s', '%T@', '%A@', '%C@', '%i', '%D', '%n'];

/** Everything under a folder in find's order (each folder's subtree right after it); null when it is not a folder. */
export const dirEntries = defineRead({
  name: 'dir_entries',
  command({ path, maxDepth, follow }: DirEntriesArgs): string {
    const depth = maxDepth === undefined ? '' : ` -maxdepth ${maxDepth}`;
    const format = `${FIELDS.join('\\t')}\\t%p\\0`;
    return `[ -d ${quote(path)} ] || exit 3; find ${follow ? '-L ' : ''}${quote(path)} -mindepth 1${depth} -printf '${format}'`;
  },
  parse({ exitCode, stdoutBytes, stderr }, { path }): DirEntry[] | null {
    if (exitCode === 3) return null;
    if (exitCode !== 0) throw new Error(`cannot list ${path}: ${stderr.trim() || `exit ${exitCode}`}`);
    const records = stdoutBytes.toString('utf8').split('\0').slice(0, -1);
    return records.map((r) => {
      const parts = r.split('\t');
      const [y, yy] = parts;
      if (parts.length < FIELDS.length + 1) throw new Error(`unexpected find output under ${path}: ${r}`);
      return {
        path: parts.slice(FIELDS.length).join('\t'),
        type: TYPES[y ?? ''] ?? 'other',
        dirLike: yy === 'd',
        ...statCore(parts.slice(2, 14)),
      };
    });
  },
});
