import { z } from 'zod';
import { evaluateCondition } from '../template/render.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

export const assertModule = defineModule({
  name: 'assert',
  schema: z.strictObject({
    that: z
      .union([z.union([z.string(), z.boolean()]), z.array(z.union([z.string(), z.boolean()])).min(1)])
      .describe('conditions that must all hold'),
    fail_msg: z.string().optional(),
    msg: z.string().optional().describe('alias of fail_msg'),
    success_msg: z.string().optional(),
    quiet: yesNo.optional(),
  }),
  async plan({ args, vars }) {
    for (const cond of [args.that].flat()) {
      if (!evaluateCondition(cond, vars)) return { changes: [], failed: args.fail_msg ?? args.msg ?? `assertion failed: ${String(cond)}` };
    }
    return { changes: [], msg: args.quiet ? undefined : (args.success_msg ?? 'all assertions passed') };
  },
});
