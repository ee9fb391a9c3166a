import { defineRead } from '../core/reads.js';
import { commandLine, quote } from '../shell/quote.js';

export type UnitStateArgs = { name?: string };

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
  command({ name }: UnitStateArgs): string {
    if (!name) return 'echo; echo; echo yes';
    const u = commandLine(['--', name]);
    // is-active prints nothing for a template: its line stays, empty.
    const asked = `printf '@asked\\n%s\\n' "$(systemctl is-active ${u})"; systemctl is-enabled ${u} 2>/dev/null || true; echo; systemctl show -p NeedDaemonReload --value ${u} 2>/dev/null`;
    return [
      `s=$(systemctl show -p Id -p ActiveState -p UnitFileState -p NeedDaemonReload ${u} 2>/dev/null)`,
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
