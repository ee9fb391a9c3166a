import { z } from 'zod';
import { must } from '../errors.js';
import { waitUntil } from '../reads/wait-until.js';
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

export const waitFor = defineModule({
  name: 'wait_for',
  schema,
  async plan({ args, reader, check }) {
    const what = args.port !== undefined ? `${args.host}:${args.port}` : must(args.path, 'path (the schema requires port or path)');
    const { host, port, path, state, timeout, delay, sleep } = args;
    const wait = { host, port, path, state, timeout, delay, sleep };
    // In check mode earlier tasks only said what they would do, so what we wait for may never
    // come: look once, and report instead of failing.
    if (check) {
      const now = await reader.get(waitUntil, { ...wait, timeout: 0, delay: 0 });
      return {
        changes: [],
        msg: now ? `${what} is ${args.state}` : `would wait for ${what} to be ${args.state} (not yet)`,
      };
    }
    if (!(await reader.get(waitUntil, wait)))
      return { changes: [], failed: args.msg ?? `timeout after ${args.timeout}s waiting for ${what} to be ${args.state}` };
    return { changes: [], msg: `${what} is ${args.state}` };
  },
});
