import { z } from 'zod';
import type { Change, Plan } from '../core/plan.js';
import { systemctlFor, type UnitState, unitState } from '../reads/unit-state.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const unitArgs = {
  name: z.string().min(1).optional().describe('unit name'),
  state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional(),
  enabled: yesNo.optional(),
};

const schema = withAliases(
  {
    ...unitArgs,
    masked: yesNo.optional().describe('mask the unit (it cannot be started) or unmask it'),
    daemon_reload: yesNo.optional().describe('reload systemd units first, when a unit file changed'),
    daemon_reexec: yesNo.optional().describe('re-execute systemd first (always a change)'),
    scope: z
      .enum(['system', 'user', 'global'])
      .optional()
      .describe("the system manager, the connected user's (systemctl --user) or every user's unit files (--global)"),
    no_block: yesNo.optional().describe('do not wait for the start or stop to finish'),
    force: yesNo.optional().describe('accepted for Ansible'),
  },
  { service: 'name', unit: 'name', 'daemon-reload': 'daemon_reload', 'daemon-reexec': 'daemon_reexec' },
).refine((a) => a.name || a.daemon_reload || a.daemon_reexec, { message: 'name is required (unless only daemon_reload)' });
export type SystemdArgs = z.infer<typeof schema>;

/** Ansible's service module: the same decisions, its own argument names (those of other init systems are accepted and unused). */
const serviceSchema = withAliases(
  {
    ...unitArgs,
    sleep: z.coerce.number().optional().describe('accepted for Ansible (systemd waits itself)'),
    pattern: z.string().optional().describe('accepted for Ansible (systemd knows its units)'),
    arguments: z.string().optional().describe('accepted for Ansible; unused with systemd'),
    runlevel: z.string().optional().describe('accepted for Ansible; unused with systemd'),
    use: z.enum(['auto', 'systemd']).optional().describe('the service manager: systemd on the hosts provision supports'),
  },
  { args: 'arguments' },
).refine((a) => a.name, { message: 'name is required' });

/** Pure decision for a unit's wanted state. */
export function decideUnit(
  a: Pick<SystemdArgs, 'name' | 'state' | 'enabled' | 'masked' | 'daemon_reload' | 'daemon_reexec' | 'no_block' | 'scope'>,
  f: UnitState,
): Change[] {
  const systemctl = systemctlFor(a.scope);
  const ctl = (...args: string[]): Change & { kind: 'exec' } => ({
    kind: 'exec',
    command: `${systemctl} ${commandLine(args)}`,
    description: `${a.scope === undefined || a.scope === 'system' ? 'systemctl' : `systemctl --${a.scope}`} ${args.join(' ')}`,
  });
  const changes: Change[] = [];
  const running = f.active === 'active' || f.active === 'activating' || f.active === 'reloading';
  // Ansible runs them when asked and never reports them as a change.
  if (a.daemon_reexec) changes.push({ ...ctl('daemon-reexec'), unreported: true });
  if (a.daemon_reload && f.needReload) changes.push({ ...ctl('daemon-reload'), unreported: true });
  if (a.name && a.masked !== undefined) {
    const masked = f.enabled === 'masked' || f.enabled === 'masked-runtime';
    if (a.masked && !masked) changes.push(ctl('mask', a.name));
    if (!a.masked && masked) changes.push(ctl('unmask', a.name));
  }
  if (a.name && a.enabled !== undefined) {
    const isEnabled = ['enabled', 'enabled-runtime', 'static', 'alias', 'indirect', 'generated'].includes(f.enabled);
    if (a.enabled && !isEnabled) changes.push(ctl('enable', a.name));
    if (!a.enabled && isEnabled && f.enabled !== 'static') changes.push(ctl('disable', a.name));
  }
  // Every user's unit files have no running state: Ansible finds no ActiveState there and starts nothing.
  if (a.name && a.scope !== 'global') {
    const nb = a.no_block ? ['--no-block'] : [];
    if (a.state === 'started' && !running) changes.push(ctl(...nb, 'start', a.name));
    if (a.state === 'stopped' && running) changes.push(ctl(...nb, 'stop', a.name));
    if (a.state === 'restarted') changes.push(ctl(...nb, 'restart', a.name));
    // reload on a stopped unit would fail; starting it loads the new configuration anyway
    if (a.state === 'reloaded') changes.push(ctl(...nb, running ? 'reload' : 'start', a.name));
  }
  return changes;
}

/** Ansible's result keys: name, state, enabled as asked, status as systemd had it. */
function unitPlan(a: Pick<SystemdArgs, 'name' | 'state' | 'enabled'>, changes: Change[], f: UnitState): Plan {
  const data: Record<string, unknown> = { status: { ActiveState: f.active, UnitFileState: f.enabled } };
  if (a.name) data.name = a.name;
  if (a.state) data.state = a.state;
  if (a.enabled !== undefined) data.enabled = a.enabled;
  return { changes, data };
}

export const systemd = defineModule({
  name: 'systemd',
  aliases: ['systemd_service'],
  schema,
  async plan({ args, reader }) {
    const scope = args.scope === undefined || args.scope === 'system' ? {} : { scope: args.scope };
    const facts = await reader.get(unitState, { name: args.name, ...scope });
    return unitPlan(args, decideUnit(args, facts), facts);
  },
});

export const service = defineModule({
  name: 'service',
  schema: serviceSchema,
  async plan({ args, reader }) {
    const facts = await reader.get(unitState, { name: args.name });
    return unitPlan(args, decideUnit(args, facts), facts);
  },
});
