import { z } from 'zod';
import { quote } from '../shell/quote.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  cmd: z.string().min(1).describe('the command line, sent as it is to the login shell of the connection user (the free form)'),
  executable: z.string().min(1).optional().describe('run the command with this shell instead: EXECUTABLE -c CMD'),
});
export type RawArgs = z.infer<typeof schema>;

/** What Ansible's raw sends: the line itself, or `executable -c 'line'`; no other wrapping, no Python needed. */
export function rawCommand(a: RawArgs): string {
  return a.executable === undefined ? a.cmd : `${a.executable} -c ${quote(a.cmd)}`;
}

export const raw = defineModule({
  name: 'raw',
  schema,
  freeForm: 'cmd',
  async plan({ args }) {
    // Nothing to read first: raw is what runs before anything (python3) is there to read with.
    return { changes: [{ kind: 'exec', command: rawCommand(args), description: args.cmd, streamOutput: true, registersOutput: true }] };
  },
});
