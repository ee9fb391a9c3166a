import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { dpkgSelection } from '../reads/dpkg-selection.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  name: z.string().min(1).describe('the package'),
  selection: z.enum(['install', 'hold', 'deinstall', 'purge']).describe('its dpkg selection (hold keeps apt from upgrading it)'),
});
export type DpkgSelectionsArgs = z.infer<typeof schema>;

/** Pure decision: set the selection when it differs; `before` and `after` as Ansible reports them. */
export function decideDpkgSelections(a: DpkgSelectionsArgs, current: string): Plan {
  const data = { before: current, after: a.selection };
  if (current === a.selection) return { changes: [], msg: `${a.name} is ${a.selection}`, data };
  return {
    changes: [
      {
        kind: 'exec',
        command: 'dpkg --set-selections',
        stdin: Buffer.from(`${a.name} ${a.selection}\n`),
        description: `${a.name}: ${current} -> ${a.selection}`,
      },
    ],
    data,
  };
}

export const dpkgSelections = defineModule({
  name: 'dpkg_selections',
  schema,
  async plan({ args, reader }) {
    return decideDpkgSelections(args, await reader.get(dpkgSelection, { name: args.name }));
  },
});
