import { z } from 'zod';
import type { Change } from '../core/plan.js';
import { type GroupEntry, groupEntry } from '../reads/account.js';
import { commandLine } from '../shell/quote.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  name: z.string().min(1).describe('the group name'),
  state: z.enum(['present', 'absent']).default('present'),
  gid: z.coerce.number().int().min(0).optional(),
  system: yesNo.default(false).describe('a system group (only when it is created)'),
  non_unique: yesNo.default(false).describe('allow a gid another group has'),
});
export type GroupArgs = z.infer<typeof schema>;

/** Pure decision: groupadd, groupmod or groupdel. */
export function decideGroup(a: GroupArgs, g: GroupEntry): Change[] {
  const run = (argv: string[], description: string): Change => ({ kind: 'exec', command: commandLine(argv), description });
  const unique = a.non_unique ? ['-o'] : [];
  if (a.state === 'absent') return g ? [run(['groupdel', a.name], `remove group ${a.name}`)] : [];
  if (!g) {
    const gid = a.gid !== undefined ? ['-g', String(a.gid), ...unique] : [];
    return [run(['groupadd', ...gid, ...(a.system ? ['-r'] : []), a.name], `create group ${a.name}`)];
  }
  if (a.gid !== undefined && a.gid !== g.gid)
    return [run(['groupmod', '-g', String(a.gid), ...unique, a.name], `gid ${g.gid} -> ${a.gid}`)];
  return [];
}

export const group = defineModule({
  name: 'group',
  schema,
  async plan({ args, reader }) {
    const g = await reader.get(groupEntry, { name: args.name });
    const changes = decideGroup(args, g);
    const data =
      args.state === 'absent'
        ? { name: args.name, state: 'absent' }
        : { name: args.name, state: 'present', gid: args.gid ?? g?.gid, system: args.system };
    return { changes, data, msg: changes.length ? undefined : `group ${args.state}` };
  },
});
