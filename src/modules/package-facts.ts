import { z } from 'zod';
import { installedPackages } from '../reads/installed-packages.js';
import { defineModule } from './types.js';

const manager = z.enum(['auto', 'apt']);

export const packageFacts = defineModule({
  name: 'package_facts',
  schema: z.strictObject({
    manager: z
      .union([manager, z.array(manager)])
      .default(['auto'])
      .describe('the package managers to ask: auto and apt (the manager of the Debian hosts provision supports)'),
    strategy: z.enum(['first', 'all']).default('first').describe('accepted for Ansible: apt is the only manager'),
  }),
  async plan({ reader }) {
    const packages = await reader.get(installedPackages, {});
    return { changes: [], hostFacts: { packages }, data: { ansible_facts: { packages } } };
  },
});
