import { defineRead } from '../core/reads.js';

/** The packages `apt-get autoremove` would remove now (a simulation: nothing changes). */
export const aptAutoremovable = defineRead({
  name: 'apt_autoremovable',
  command: (_: Record<string, never>) => `LC_ALL=C apt-get -s -q autoremove 2>/dev/null | sed -n 's/^Remv \\([^ ]*\\).*/\\1/p'`,
  parse: ({ stdout }): string[] => stdout.split('\n').filter(Boolean),
});
