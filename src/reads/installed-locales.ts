import { defineRead } from '../core/reads.js';

/** What `locale -a` lists: the locales compiled on the host (C, C.utf8, POSIX and the generated ones). */
export const installedLocales = defineRead({
  name: 'installed_locales',
  command: () => 'locale -a 2>/dev/null || true',
  parse: ({ stdout }): string[] => stdout.split('\n').filter(Boolean),
});
