import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type FileTimesArgs = { path: string };

/** A path's modification and access times in the host's local time, as Ansible's file module writes them (%Y%m%d%H%M.%S); null when absent. */
export const fileTimes = defineRead({
  name: 'file_times',
  command: ({ path }: FileTimesArgs) => {
    const p = quote(path);
    return `[ -e ${p} ] || [ -L ${p} ] || exit 0; date -r ${p} +%Y%m%d%H%M.%S && date -d "@$(stat -c %X -- ${p})" +%Y%m%d%H%M.%S`;
  },
  parse({ exitCode, stdout, stderr }, { path }): { mtime: string; atime: string } | null {
    if (exitCode !== 0) throw new Error(`cannot read the times of ${path}: ${stderr.trim() || `exit ${exitCode}`}`);
    const [mtime, atime] = stdout.split('\n');
    return mtime && atime ? { mtime, atime } : null;
  },
  // Reading a file moves its access time: only the modification time is state.
  stable: (value) => (value === null ? null : { mtime: value.mtime }),
});
