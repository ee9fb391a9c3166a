import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type PathExistsArgs = { path: string };

/** Whether anything exists at a path (links followed, as `[ -e ]`): creates/removes guards. */
export const pathExists = defineRead({
  name: 'path_exists',
  // Inline-safe (Read.inline): one test builtin.
  inline: true,
  command: ({ path }: PathExistsArgs) => `[ -e ${quote(path)} ]`,
  parse: ({ exitCode }): boolean => exitCode === 0,
});
