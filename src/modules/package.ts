import { z } from 'zod';
import { aptPackages } from '../reads/apt-packages.js';
import { decideApt } from './apt.js';
import { defineModule } from './types.js';

/** Ansible's generic package module; on the Debian family every host's manager is apt. */
export const packageModule = defineModule({
  name: 'package',
  schema: z.strictObject({
    name: z.union([z.string().min(1), z.array(z.string().min(1))]).describe('package name or list of names'),
    state: z
      .enum(['present', 'absent', 'latest', 'installed', 'removed'])
      .default('present')
      .describe('installed and removed as in Ansible'),
    use: z.enum(['auto', 'apt']).default('auto').describe('the package manager: apt on the hosts provision supports'),
  }),
  async plan({ args, reader }) {
    const state = args.state === 'installed' ? 'present' : args.state === 'removed' ? 'absent' : args.state;
    const names = [args.name].flat();
    const facts = await reader.get(aptPackages, { names: names.map((n) => n.replace(/=.*$/, '')), latest: state === 'latest' });
    const changes = decideApt({ name: names, state, upgrade: 'no' }, { packages: facts });
    return { changes, msg: changes.length ? undefined : 'all packages in the wanted state' };
  },
});
