import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type UserCrontabArgs = { user?: string };

/** A user's crontab as `crontab -l` prints it ('' when there is none); null when crontab is not installed. */
export type UserCrontab = { text: string } | null;

/**
 * `crontab -l` (for `user` when given) and its exit code on a last line of its own: 1 means "no
 * crontab", as the cron module takes it; anything else but 0 is a failed read.
 */
export const userCrontab = defineRead({
  name: 'user_crontab',
  command: ({ user }: UserCrontabArgs) =>
    [
      "command -v crontab >/dev/null 2>&1 || { printf '\\n127'; exit 0; }",
      `crontab ${user === undefined ? '' : `-u ${quote(user)} `}-l 2>/dev/null; printf '\\n%s' "$?"`,
    ].join('\n'),
  parse({ stdout }, { user }): UserCrontab {
    const cut = stdout.lastIndexOf('\n');
    const rc = stdout.slice(cut + 1);
    if (rc === '127') return null;
    if (rc === '1') return { text: '' };
    if (rc !== '0') throw new Error(`Unable to read crontab${user === undefined ? '' : ` of ${user}`} (crontab -l exit ${rc})`);
    return { text: stdout.slice(0, Math.max(cut, 0)) };
  },
});
