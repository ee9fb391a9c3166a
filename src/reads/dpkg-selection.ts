import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type DpkgSelectionArgs = { name: string };

/** A package's dpkg selection (install, hold, deinstall, purge), or `not present` when dpkg does not know it. */
export const dpkgSelection = defineRead({
  name: 'dpkg_selection',
  command: ({ name }: DpkgSelectionArgs) => `dpkg --get-selections ${quote(name)}`,
  parse({ exitCode, stdout, stderr }): string {
    if (exitCode !== 0) throw new Error(stderr.trim() || `dpkg --get-selections exited ${exitCode}`);
    return stdout.split(/\s+/).filter(Boolean)[1] ?? 'not present';
  },
});
