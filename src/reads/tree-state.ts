import type { FileType } from '../core/file-state.js';
import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type TreeStateArgs = { path: string };

/** One entry under a folder (links not followed): its path relative to the folder, attributes, and a regular file's sha256. */
export type TreeEntry = { rel: string; type: FileType; mode: string; owner: string; group: string; sha256?: string; linkTarget?: string };

const TYPES: Record<string, FileType> = { f: 'file', d: 'directory', l: 'link' };

/**
 * Everything under a folder with the checksum of each regular file, parents before their
 * contents: what copy with remote_src compares. null: no such path; false: not a folder.
 */
export const treeState = defineRead({
  name: 'tree_state',
  command: ({ path }: TreeStateArgs) =>
    [
      `[ -e ${quote(path)} ] || exit 3`,
      `[ -d ${quote(path)} ] || exit 4`,
      `cd -- ${quote(path)} || exit 1`,
      // NUL-terminated records; a file's checksum comes from the -exec between its two -printf parts.
      `find . -mindepth 1 \\( -type f -printf 'f\\t%m\\t%u\\t%g\\t' -exec sh -c 'sha256sum < "$1" | cut -c1-64 | tr -d "\\n"' sh {} \\; -printf '\\t\\t%P\\0' \\) -o -printf '%y\\t%m\\t%u\\t%g\\t\\t%l\\t%P\\0'`,
    ].join('\n'),
  parse({ exitCode, stdoutBytes, stderr }, { path }): TreeEntry[] | null | false {
    if (exitCode === 3) return null;
    if (exitCode === 4) return false;
    if (exitCode !== 0) throw new Error(`cannot list ${path}: ${stderr.trim() || `exit ${exitCode}`}`);
    return stdoutBytes
      .toString('utf8')
      .split('\0')
      .slice(0, -1)
      .map((record) => {
        const [y = '', mode = '', owner = '', group = '', sha = '', link = '', ...rel] = record.split('\t');
        if (rel.length === 0) throw new Error(`unexpected listing under ${path}: ${record}`);
        const entry: TreeEntry = { rel: rel.join('\t'), type: TYPES[y] ?? 'other', mode: mode.padStart(4, '0'), owner, group };
        if (sha) entry.sha256 = sha;
        if (y === 'l') entry.linkTarget = link;
        return entry;
      });
  },
});
