import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type SysctlValueArgs = { name: string };

/** A kernel parameter's live value, whitespace runs made one space as sysctl prints them; null when there is no such key. */
export const sysctlValue = defineRead({
  name: 'sysctl_value',
  command: ({ name }: SysctlValueArgs) => `sysctl -n -e -- ${quote(name)} 2>/dev/null || true`,
  parse: ({ stdout }): string | null => {
    const v = stdout.replace(/\n$/, '');
    return stdout === '' ? null : v.trim().split(/\s+/).join(' ');
  },
});
