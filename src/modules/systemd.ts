import { z } from 'zod';
import type { Change } from '../core/plan.js';
import { type UnitState, unitState } from '../reads/unit-state.js';
import { commandLine } from '../shell/quote.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z
  .strictObject({
    name: z.string().min(1).optional().describe('unit name'),
    state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional(),
    enabled: yesNo.optional(),
    daemon_reload: yesNo.optional().describe('reload systemd units first, when a unit file changed'),
  })
  .refine((a) => a.name || a.daemon_reload, { message: 'name is required (unless only daemon_reload)' });
export type SystemdArgs = z.infer<typeof schema>;

/** Pure decision for a unit's wanted state. */
export function decideUnit(a: SystemdArgs, f: UnitState): Change[] {
  const ctl = (...args: string[]): Change => ({
    kind: 'exec',
    command: commandLine(['systemctl', ...args]),
    description: `systemctl ${args.join(' ')}`,
  });
  const changes: Change[] = [];
  const running = f.active === 'active' || f.active === 'activating' || f.active === 'reloading';
  if (a.daemon_reload && f.needReload) changes.push(ctl('daemon-reload'));
  if (a.name && a.enabled !== undefined) {
    const isEnabled = ['enabled', 'enabled-runtime', 'static', 'alias', 'indirect', 'generated'].includes(f.enabled);
    if (a.enabled && !isEnabled) changes.push(ctl('enable', a.name));
    if (!a.enabled && isEnabled && f.enabled !== 'static') changes.push(ctl('disable', a.name));
  }
  if (a.name) {
    if (a.state === 'started' && !running) changes.push(ctl('start', a.name));
    if (a.state === 'stopped' && running) changes.push(ctl('stop', a.name));
    if (a.state === 'restarted') changes.push(ctl('restart', a.name));
    // reload on a stopped unit would fail; starting it loads the new configuration anyway
    if (a.state === 'reloaded') changes.push(ctl(running ? 'reload' : 'start', a.name));
  }
  return changes;
}

export const systemd = defineModule({
  name: 'systemd',
  schema,
  async plan({ args, reader }) {
    const facts = await reader.get(unitState, { name: args.name });
    return { changes: decideUnit(args, facts), data: { status: { ActiveState: facts.active, UnitFileState: facts.enabled } } };
  },
});

export const service = { ...systemd, name: 'service' };
