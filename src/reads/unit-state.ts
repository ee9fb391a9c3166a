import { defineRead } from '../core/reads.js';
import { commandLine } from '../shell/quote.js';

export type UnitStateArgs = { name?: string };

export type UnitState = {
  /** systemctl is-active: active, inactive, failed, activating, ... */
  active: string;
  /** systemctl is-enabled: enabled, disabled, static, ... (empty for an unknown unit). */
  enabled: string;
  /** systemd says a unit file changed on disk since it was loaded. */
  needReload: boolean;
};

/** A unit's active and enabled state, and whether systemd wants a daemon-reload. */
export const unitState = defineRead({
  name: 'unit_state',
  command({ name }: UnitStateArgs): string {
    if (!name) return 'echo; echo; echo yes';
    const u = commandLine([name]);
    return `systemctl is-active ${u}; systemctl is-enabled ${u} 2>/dev/null || true; echo; systemctl show -p NeedDaemonReload --value ${u} 2>/dev/null`;
  },
  parse({ stdout }): UnitState {
    const [active = '', enabled = '', ...rest] = stdout.split('\n');
    return { active: active.trim(), enabled: enabled.trim(), needReload: rest.some((l) => l.trim() === 'yes') };
  },
});
