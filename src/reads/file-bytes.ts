import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type FileBytesArgs = { path: string };

/** A whole file's bytes, whatever its size (slurp); null when there is no such file. */
export const fileBytes = defineRead({
  name: 'file_bytes',
  command: ({ path }: FileBytesArgs) => `if [ ! -e ${quote(path)} ]; then exit 3; fi; cat -- ${quote(path)}`,
  parse({ exitCode, stdoutBytes, stderr }, { path }): Buffer | null {
    if (exitCode === 3) return null;
    if (exitCode !== 0) throw new Error(`cannot read ${path}: ${stderr.trim() || `exit ${exitCode}`}`);
    return stdoutBytes;
  },
});
