import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type ArchiveEntryArgs = { path: string };

/** The first entry of a listing, relative and top-level: present under dest means it was unpacked already. */
export function firstEntry(listing: string): string | undefined {
  const first = listing.split('\n').find((l) => l.trim());
  return first?.replace(/^\.\//, '').split('/')[0] || undefined;
}

/** The top-level first entry of an archive on the host; null when the archive is missing or empty. */
export const archiveEntry = defineRead({
  name: 'archive_entry',
  // Inline-safe (Read.inline): no exit, no state left behind that a later read could see.
  inline: true,
  command: ({ path }: ArchiveEntryArgs) => `[ -f ${quote(path)} ] && tar -t -f ${quote(path)} | head -n 1`,
  parse: ({ exitCode, stdout }): string | null => (exitCode === 0 ? (firstEntry(stdout) ?? null) : null),
});
