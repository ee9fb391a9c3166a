import { defineRead } from '../core/reads.js';
import { downloadLines, plainDownload } from '../shell/http-download.js';
import { firstEntry } from './archive-entry.js';

export type RemoteArchiveEntryArgs = { url: string; validate_certs: boolean; timeout: number };

/**
 * The top-level first entry of an archive at a URL, downloaded by the host into a private temp
 * file and removed (unarchive with a URL src and remote_src, which Ansible downloads on every run
 * too); null for an empty archive. A failed download fails the read with what the host said.
 */
export const remoteArchiveEntry = defineRead({
  name: 'remote_archive_entry',
  command: ({ url, validate_certs, timeout }: RemoteArchiveEntryArgs) =>
    [
      'set -e',
      't=$(mktemp)',
      `trap 'rm -f -- "$t"' EXIT`,
      ...downloadLines(plainDownload(url, validate_certs, timeout), '"$t"'),
      'tar -t -f "$t" | head -n 1',
    ].join('\n'),
  parse: ({ exitCode, stdout, stderr }, { url }): string | null => {
    if (exitCode !== 0) throw new Error(`Failure downloading ${url}, ${stderr.trim() || `exit ${exitCode}`}`);
    return firstEntry(stdout) ?? null;
  },
});
