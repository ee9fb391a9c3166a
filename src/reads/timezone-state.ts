import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type TimezoneStateArgs = { name?: string };

/** What `timedatectl status` says, and whether the wanted zone has a zoneinfo file; error when timedatectl cannot answer. */
export type TimezoneState = { name: string; rtcLocal: string; zoneKnown: boolean } | { error: string };

/** `timedatectl status` as the timezone module reads it (its systemd class), and the zoneinfo check it makes first. */
export const timezoneState = defineRead({
  name: 'timezone_state',
  command: ({ name }: TimezoneStateArgs) =>
    [
      name === undefined ? 'echo zone=no' : `[ -f /usr/share/zoneinfo/${quote(name)} ] && echo zone=yes || echo zone=no`,
      'command -v timedatectl >/dev/null 2>&1 || { echo "error=timedatectl is not installed"; exit 0; }',
      `s=$(timedatectl status 2>&1) || { printf 'error=%s\\n' "$s"; exit 0; }`,
      `printf '%s\\n' "$s"`,
    ].join('\n'),
  parse({ stdout }): TimezoneState {
    const error = /^error=(.*)$/m.exec(stdout)?.[1];
    if (error !== undefined) return { error };
    const name = /^\s*Time ?zone\s*:\s*(\S+)/m.exec(stdout)?.[1];
    const rtc = /^\s*RTC in local TZ\s*:\s*(\S+)/m.exec(stdout)?.[1];
    if (name === undefined || rtc === undefined) throw new Error(`unexpected timedatectl status output: ${stdout.trim()}`);
    return { name, rtcLocal: rtc, zoneKnown: /^zone=yes$/m.test(stdout) };
  },
});
