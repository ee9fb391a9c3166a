import { z } from 'zod';
import { defineModule } from './types.js';

const schema = z.strictObject({
  key: z.string().min(1).describe('the group the host joins (made when new); spaces become dashes'),
  parents: z
    .union([z.string(), z.array(z.string())])
    .default(['all'])
    .describe('the groups the new group goes under'),
});

export const groupBy = defineModule({
  name: 'group_by',
  schema,
  changesInventory: true,
  async plan({ args }) {
    // Ansible's group_by turns spaces into dashes in every name it is given.
    const group = args.key.replaceAll(' ', '-');
    const parents = [args.parents].flat().map((p) => p.replaceAll(' ', '-'));
    return {
      changes: [],
      inventory: [{ kind: 'group_by', group, parents }],
      msg: `in group ${group}`,
      data: { add_group: group, parent_groups: parents },
    };
  },
});
