import { defineRead } from '../core/reads.js';
import { commandLine } from '../shell/quote.js';

/** The manager systemctl talks to: the system's, the connected user's, or every user's unit files (no manager runs those). */
export type UnitScope = 'system' | 'user' | 'global';

export type UnitStateArgs = { name?: string; scope?: UnitScope };

/**
 * systemctl with the scope's switch. A user manager is found through XDG_RUNTIME_DIR, which an
 * SSH command without a login session lacks: Ansible sets it to /run/user/<uid> the same way.
 */
export function systemctlFor(scope: UnitScope | undefined): string {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell default, not a template
  if (scope === 'user') return 'XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}" systemctl --user';
  if (scope === 'global') return 'systemctl --global';
  return 'systemctl';
}

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
  command({ name, scope }: UnitStateArgs): string {
    if (!name) return 'echo; echo; echo yes';
    const u = commandLine([name]);
    const ctl = systemctlFor(scope);
    // Every user's unit files have no manager to ask what runs or what it loaded.
    if (scope === 'global') return `echo; ${ctl} is-enabled ${u} 2>/dev/null || true; echo`;
    return `${ctl} is-active ${u}; ${ctl} is-enabled ${u} 2>/dev/null || true; echo; ${ctl} show -p NeedDaemonReload --value ${u} 2>/dev/null`;
  },
  parse({ stdout }): UnitState {
    const [active = '', enabled = '', ...rest] = stdout.split('\n');
    return { active: active.trim(), enabled: enabled.trim(), needReload: rest.some((l) => l.trim() === 'yes') };
  },
});
