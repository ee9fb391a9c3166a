import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type WaitUntilArgs = {
  host: string;
  port?: number;
  path?: string;
  state: 'started' | 'stopped' | 'present' | 'absent';
  timeout: number;
  delay: number;
  sleep: number;
};

/** Polls on the host in one command until a port or path is in the wanted state: one round trip, however long it waits. */
export const waitUntil = defineRead({
  name: 'wait_until',
  volatile: true,
  command(a: WaitUntilArgs): string {
    const probe =
      a.port !== undefined ? `timeout 2 bash -c ${quote(`</dev/tcp/${a.host}/${a.port}`)} 2>/dev/null` : `[ -e ${quote(a.path ?? '')} ]`;
    const want = a.state === 'started' || a.state === 'present' ? probe : `! ${probe}`;
    return [
      `sleep ${a.delay}`,
      `end=$(( $(date +%s) + ${a.timeout} ))`,
      `while :; do if ${want}; then exit 0; fi; [ "$(date +%s)" -ge "$end" ] && exit 1; sleep ${a.sleep}; done`,
    ].join('\n');
  },
  /** True when the wanted state was reached in time. */
  parse: ({ exitCode }): boolean => exitCode === 0,
});
