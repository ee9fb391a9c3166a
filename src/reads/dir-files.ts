import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type DirFilesArgs = { path: string };

/** A folder's regular files (links followed, no subfolders) with their bytes; null: no such path; false: not a folder. */
export const dirFiles = defineRead({
  name: 'dir_files',
  command: ({ path }: DirFilesArgs) =>
    [
      `[ -e ${quote(path)} ] || exit 3`,
      `[ -d ${quote(path)} ] || exit 4`,
      `cd -- ${quote(path)} || exit 1`,
      // NUL-separated name and size, then exactly that many bytes: any name and content survive.
      `for f in .* *; do [ -f "$f" ] || continue; printf '%s\\0%s\\0' "$f" "$(stat -L -c %s -- "$f")"; cat -- "$f" || exit 1; done`,
    ].join('\n'),
  parse({ exitCode, stdoutBytes, stderr }, { path }): { name: string; content: Buffer }[] | null | false {
    if (exitCode === 3) return null;
    if (exitCode === 4) return false;
    if (exitCode !== 0) throw new Error(`cannot read the files of ${path}: ${stderr.trim() || `exit ${exitCode}`}`);
    const files: { name: string; content: Buffer }[] = [];
    let at = 0;
    while (at < stdoutBytes.length) {
      const nameEnd = stdoutBytes.indexOf(0, at);
      const sizeEnd = stdoutBytes.indexOf(0, nameEnd + 1);
      if (nameEnd < 0 || sizeEnd < 0) throw new Error(`unexpected listing of ${path}`);
      const size = Number(stdoutBytes.toString('utf8', nameEnd + 1, sizeEnd));
      files.push({ name: stdoutBytes.toString('utf8', at, nameEnd), content: stdoutBytes.subarray(sizeEnd + 1, sizeEnd + 1 + size) });
      at = sizeEnd + 1 + size;
    }
    return files;
  },
});
