import { defineRead } from '../core/reads.js';
import { commandLine } from '../shell/quote.js';

export type GetentDbArgs = { database: string; key?: string; service?: string };

/** What getent printed and its exit code (2: a key not found, 1: an unknown database, 3: no enumeration); null without getent. */
export type GetentDb = { rc: number; out: string } | null;

/** `getent DATABASE [KEY] [-s SERVICE]`, as the getent module runs it. */
export const getentDb = defineRead({
  name: 'getent_db',
  command: ({ database, key, service }: GetentDbArgs) =>
    [
      'command -v getent >/dev/null 2>&1 || { echo missing; exit 0; }',
      `${commandLine(['getent', database, ...(key === undefined ? [] : [key]), ...(service === undefined ? [] : ['-s', service])])} 2>/dev/null; printf '%s\\n' "rc=$?"`,
    ].join('\n'),
  parse({ stdout }): GetentDb {
    if (stdout === 'missing\n') return null;
    const m = /(?:^|\n)rc=(\d+)\n$/.exec(stdout);
    if (!m) throw new Error(`unexpected getent output: ${stdout.slice(-200)}`);
    return { rc: Number(m[1]), out: stdout.slice(0, m.index + (m[0].startsWith('\n') ? 1 : 0)) };
  },
});
