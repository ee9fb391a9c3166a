import { z } from 'zod';
import { quote } from '../shell/quote.js';
import { defineModule } from './types.js';

const schema = z
  .strictObject({
    host: z.string().default('127.0.0.1').describe('address to check, from the target host'),
    port: z.coerce.number().int().min(1).max(65535).optional(),
    path: z.string().optional(),
    state: z.enum(['started', 'stopped', 'present', 'absent']).default('started'),
    timeout: z.coerce.number().int().min(0).default(300),
    delay: z.coerce.number().int().min(0).default(0),
    sleep: z.coerce.number().positive().default(1),
    msg: z.string().optional(),
  })
  .refine((a) => a.port !== undefined || a.path !== undefined, { message: 'give port or path' });
export type WaitForArgs = z.infer<typeof schema>;

/** The whole wait runs on the host in one command: one round trip, however long it polls. */
export function waitCommand(a: WaitForArgs): string {
  const probe =
    a.port !== undefined ? `timeout 2 bash -c ${quote(`</dev/tcp/${a.host}/${a.port}`)} 2>/dev/null` : `[ -e ${quote(a.path!)} ]`;
  const want = a.state === 'started' || a.state === 'present' ? probe : `! ${probe}`;
  return [
    `sleep ${a.delay}`,
    `end=$(( $(date +%s) + ${a.timeout} ))`,
    `while :; do if ${want}; then exit 0; fi; [ "$(date +%s)" -ge "$end" ] && exit 1; sleep ${a.sleep}; done`,
  ].join('\n');
}

export const waitFor = defineModule({
  name: 'wait_for',
  schema,
  async plan({ args, reader, check }) {
    const what = args.port !== undefined ? `${args.host}:${args.port}` : args.path!;
    // In check mode earlier tasks only said what they would do, so what we wait for may never
    // come: look once, and report instead of failing.
    if (check) {
      const once = await reader.read(waitCommand({ ...args, timeout: 0, delay: 0 }));
      return {
        changes: [],
        msg: once.exitCode === 0 ? `${what} is ${args.state}` : `would wait for ${what} to be ${args.state} (not yet)`,
      };
    }
    const r = await reader.read(waitCommand(args));
    if (r.exitCode !== 0)
      return { changes: [], failed: args.msg ?? `timeout after ${args.timeout}s waiting for ${what} to be ${args.state}` };
    return { changes: [], msg: `${what} is ${args.state}` };
  },
});
