import { z } from 'zod';
import { defineModule } from './types.js';

/** Ansible's text when the task gives none. */
export const DEFAULT_FAIL_MSG = 'Failed as requested from task';

export const fail = defineModule({
  name: 'fail',
  schema: z.strictObject({
    msg: z.unknown().optional().describe(`why the task fails; any value, shown as given (default "${DEFAULT_FAIL_MSG}")`),
  }),
  async plan({ args }) {
    const msg = args.msg ?? DEFAULT_FAIL_MSG;
    return { changes: [], failed: typeof msg === 'string' ? msg : JSON.stringify(msg), data: { msg, changed: false } };
  },
});
