import { z } from 'zod';
import type { InventoryUpdate, Plan } from '../core/plan.js';
import type { Vars } from '../core/vars.js';
import { defineModule } from './types.js';

/** Arguments that name the host and its groups; every other argument is a variable of the host, as in Ansible. */
const NAME_KEYS = ['name', 'hostname', 'host'] as const;
const GROUP_KEYS = ['groups', 'groupname', 'group'] as const;
// Ansible's own list of what is not a host variable: `host` and `group` are kept as variables too.
const NOT_VARS = new Set(['name', 'hostname', 'groupname', 'groups']);

const groupList = z.union([z.string(), z.array(z.string())]);

const schema = z
  .record(z.string(), z.unknown())
  .superRefine((args, ctx) => {
    if (!NAME_KEYS.some((k) => args[k] !== undefined))
      ctx.addIssue({ code: 'custom', message: 'name, host or hostname needs to be provided' });
    for (const k of GROUP_KEYS)
      if (args[k] !== undefined && !groupList.safeParse(args[k]).success)
        ctx.addIssue({ code: 'custom', path: [k], message: 'groups must be a comma-separated string or a list' });
  })
  .describe(
    'name (or host, hostname): the new host, HOST or HOST:PORT; groups (or group, groupname): list or comma-separated; any other key is a variable of the host',
  );
export type AddHostArgs = z.infer<typeof schema>;

/** Ansible's parse_address for a name: `host:port` and `[v6]:port` give a port; anything else is the name as it is. */
export function splitHostPort(text: string): { name: string; port?: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  return m?.[1] && m[2] ? { name: m[1], port: Number(m[2]) } : { name: text.replace(/^\[(.*)\]$/, '$1') };
}

/** The update to the run's inventory and the result Ansible registers (add_host: host_name, groups, host_vars). */
export function decideAddHost(args: AddHostArgs): Plan {
  const given = NAME_KEYS.map((k) => args[k]).find((v) => v !== undefined);
  const { name, port } = splitHostPort(String(given));
  const rawGroups = GROUP_KEYS.map((k) => args[k]).find((v) => v !== undefined) ?? [];
  const groups: string[] = [];
  for (const g of typeof rawGroups === 'string' ? rawGroups.split(',') : (rawGroups as string[])) {
    const t = g.trim();
    if (t !== '' && !groups.includes(t)) groups.push(t);
  }
  const vars: Vars = Object.fromEntries(Object.entries(args).filter(([k]) => !NOT_VARS.has(k)));
  // Ansible keeps the port of `host:port` as ansible_ssh_port; provision connects with ansible_port.
  if (port !== undefined) vars.ansible_ssh_port = port;
  const update: InventoryUpdate = { kind: 'add_host', name, groups, vars: port === undefined ? vars : { ...vars, ansible_port: port } };
  return {
    changes: [],
    inventory: [update],
    msg: `host ${name}${groups.length ? ` in ${groups.join(', ')}` : ''}`,
    data: { add_host: { host_name: name, groups, host_vars: vars } },
  };
}

export const addHost = defineModule({
  name: 'add_host',
  schema,
  bypassHostLoop: true,
  changesInventory: true,
  definesVariables: (args) => Object.keys(args).filter((k) => !NOT_VARS.has(k)),
  argumentsDoc: 'name (or host, hostname), groups (or group, groupname), and any `name: value` variables of the host',
  async plan({ args }) {
    return decideAddHost(args);
  },
});
