import { randomInt } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { quote } from '../shell/quote.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  state: z.enum(['file', 'directory']).default('file'),
  path: z.string().regex(/^\//, 'an absolute path').default('/tmp').describe('the folder to create it in'),
  prefix: z.string().default('ansible.'),
  suffix: z.string().default(''),
});
export type TempfileArgs = z.infer<typeof schema>;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789_';

/** Python's tempfile names: eight random letters, digits or underscores between prefix and suffix. */
export function tempName(a: TempfileArgs, pick: (n: number) => number = randomInt): string {
  const middle = Array.from({ length: 8 }, () => LETTERS.charAt(pick(LETTERS.length))).join('');
  return posix.join(a.path, `${a.prefix}${middle}${a.suffix}`);
}

/**
 * The name is chosen here so that `register` has it before the change runs; the host creates it
 * exclusively (noclobber, or mkdir) with mode 0600/0700 as mkstemp and mkdtemp do, and fails on a clash.
 */
export function decideTempfile(a: TempfileArgs, path: string): Plan {
  const command = a.state === 'directory' ? `mkdir -m 0700 -- ${quote(path)}` : `(umask 077 && set -C && : > ${quote(path)})`;
  return {
    changes: [{ kind: 'exec', command, description: `create ${a.state === 'directory' ? 'directory ' : ''}${path}` }],
    data: { path, state: a.state },
  };
}

export const tempfile = defineModule({
  name: 'tempfile',
  schema,
  checkModeSkip: 'remote module (tempfile) does not support check mode',
  async plan({ args }) {
    return decideTempfile(args, tempName(args));
  },
});
