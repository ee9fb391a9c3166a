import { z } from 'zod';
import type { Change, Plan } from '../core/plan.js';
import { type HostnameState, hostnameState } from '../reads/hostname-state.js';
import { commandLine } from '../shell/quote.js';
import { defineModule } from './types.js';

/** Ansible's strategies: `debian` and `systemd` both use hostnamectl on Ansible 2.14; the others are other systems'. */
const STRATEGIES = [
  'alpine',
  'debian',
  'freebsd',
  'generic',
  'macos',
  'macosx',
  'darwin',
  'openbsd',
  'openrc',
  'redhat',
  'sles',
  'solaris',
  'systemd',
] as const;

const schema = z.strictObject({
  name: z.string().min(1).describe('the hostname, set as the static (and pretty) and the transient name'),
  use: z.enum(STRATEGIES).optional().describe('how to set it: systemd and debian (hostnamectl) are supported; hostnamectl when not given'),
});
export type HostnameArgs = z.infer<typeof schema>;

/** Pure decision: the static name first, then the transient one, each only when it differs (Ansible's systemd strategy). */
export function decideHostname(a: HostnameArgs, state: HostnameState, check: boolean): Plan {
  if (a.use !== undefined && a.use !== 'systemd' && a.use !== 'debian')
    return { changes: [], failed: `use=${a.use} is not supported by provision: only systemd and debian (hostnamectl)` };
  if ('error' in state) return { changes: [], failed: state.error };
  const name = a.name;
  const changes: Change[] = [];
  if (name.length > 64 && (state.static !== name || state.transient !== name))
    return { changes: [], failed: 'name cannot be longer than 64 characters on systemd servers, try a shorter name' };
  if (state.static !== name)
    changes.push({
      kind: 'exec',
      command: commandLine(['hostnamectl', '--pretty', '--static', 'set-hostname', name]),
      description: `static hostname ${state.static} -> ${name}`,
    });
  if (state.transient !== name)
    changes.push({
      kind: 'exec',
      command: commandLine(['hostnamectl', '--transient', 'set-hostname', name]),
      description: `transient hostname ${state.transient} -> ${name}`,
    });
  const before = name !== state.transient ? state.transient : state.static;
  // socket.getfqdn() runs after the change: in a check run the host still has its old name.
  const fqdn = check ? state.fqdnCurrent : state.fqdnWanted;
  const facts = {
    ansible_hostname: name.split('.')[0] ?? name,
    ansible_nodename: name,
    ansible_fqdn: fqdn,
    ansible_domain: fqdn.split('.').slice(1).join('.'),
  };
  return {
    changes,
    diffs: changes.length ? [{ path: 'hostname', before: `hostname = ${before}\n`, after: `hostname = ${name}\n` }] : undefined,
    hostFacts: facts,
    data: { name, ansible_facts: facts },
  };
}

export const hostname = defineModule({
  name: 'hostname',
  schema,
  definesVariables: () => ['ansible_hostname', 'ansible_nodename', 'ansible_fqdn', 'ansible_domain'],
  async plan({ args, reader, check }) {
    return decideHostname(args, await reader.get(hostnameState, { name: args.name }), check);
  },
});
