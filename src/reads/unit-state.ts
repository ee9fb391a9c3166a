import { defineRead } from '../core/reads.js';
import { commandLine, quote } from '../shell/quote.js';

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

/** The unit types systemctl recognises by suffix; any other name gets `.service` appended. */
const UNIT_SUFFIX = /\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$/;

/** The unit systemctl means by a name given without a type. */
export function unitId(name: string): string {
  return UNIT_SUFFIX.test(name) ? name : `${name}.service`;
}

/**
 * A unit's active and enabled state, and whether systemd wants a daemon-reload.
 *
 * One `systemctl show` answers all three for a unit loaded under its own name with a unit-file
 * state: every process start is most of a read's cost on a small host. For anything else (an alias,
 * which `is-enabled` calls `alias` while `show` reports the unit it points to; a template; a unit
 * without a unit-file state) the host asks `is-active` and `is-enabled` themselves, in the same read.
 */
export const unitState = defineRead({
  name: 'unit_state',
  // Inline-safe (Read.inline): no exit; its variables are assigned before use.
  inline: true,
  command({ name, scope }: UnitStateArgs): string {
    if (!name) return 'echo; echo; echo yes';
    const u = commandLine(['--', name]);
    const ctl = systemctlFor(scope);
    // Every user's unit files have no manager to ask what runs or what it loaded.
    if (scope === 'global') return `echo; ${ctl} is-enabled ${u} 2>/dev/null || true; echo`;
    // is-active prints nothing for a template: its line stays, empty.
    const asked = `printf '@asked\\n%s\\n' "$(${ctl} is-active ${u})"; ${ctl} is-enabled ${u} 2>/dev/null || true; echo; ${ctl} show -p NeedDaemonReload --value ${u} 2>/dev/null`;
    return [
      `s=$(${ctl} show -p Id -p ActiveState -p UnitFileState -p NeedDaemonReload ${u} 2>/dev/null)`,
      // Whole lines: the newlines around each pattern are real ones, inside quotes.
      `t=${quote('\n')}"$s"${quote('\n')}`,
      `id=${quote(`\nId=${unitId(name)}\n`)} none=${quote('\nUnitFileState=\n')}`,
      'case "$t" in *"$id"*) case "$t" in *"$none"*) s= ;; esac ;; *) s= ;; esac',
      `if [ -n "$s" ]; then printf '@shown\\n%s\\n' "$s"; else ${asked}; fi`,
    ].join('\n');
  },
  parse({ stdout }): UnitState {
    const [how = '', ...lines] = stdout.split('\n');
    if (how === '@shown') {
      const prop = (key: string): string => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1) ?? '';
      return { active: prop('ActiveState'), enabled: prop('UnitFileState'), needReload: prop('NeedDaemonReload') === 'yes' };
    }
    const [active = '', enabled = '', ...rest] = how === '@asked' ? lines : [how, ...lines];
    return { active: active.trim(), enabled: enabled.trim(), needReload: rest.some((l) => l.trim() === 'yes') };
  },
});
