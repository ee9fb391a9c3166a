import { z } from 'zod';
import type { Change, Plan } from '../core/plan.js';
import { type TimezoneState, timezoneState } from '../reads/timezone-state.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    name: z.string().min(1).optional().describe('the time zone, a file under /usr/share/zoneinfo (Europe/Paris, Etc/UTC)'),
    hwclock: z.enum(['local', 'UTC']).optional().describe('whether the hardware clock keeps local time or UTC'),
  },
  { rtc: 'hwclock' },
).refine((a) => a.name !== undefined || a.hwclock !== undefined, { message: 'one of the following is required: hwclock, name' });
export type TimezoneArgs = z.infer<typeof schema>;

/** The module's own words for a failure: "Error message:" and then what went wrong. */
const abort = (msg: string): Plan => ({ changes: [], failed: `Error message:\n${msg}` });

/** Pure decision, as the module's systemd class makes it: hwclock first, then the zone, each through timedatectl. */
export function decideTimezone(a: TimezoneArgs, state: TimezoneState, check: boolean): Plan {
  if ('error' in state) return { changes: [], failed: `provision's timezone needs timedatectl: ${state.error}` };
  if (a.name !== undefined && !state.zoneKnown) return abort(`given timezone "${a.name}" is not available`);
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  const changes: Change[] = [];
  const executed: string[] = [];
  if (a.hwclock !== undefined) {
    before.hwclock = state.rtcLocal === 'yes' ? 'local' : 'UTC';
    after.hwclock = a.hwclock;
    if (before.hwclock !== a.hwclock) {
      const argv = ['timedatectl', 'set-local-rtc', a.hwclock === 'local' ? 'yes' : 'no'];
      changes.push({ kind: 'exec', command: commandLine(argv), description: `hardware clock ${before.hwclock} -> ${a.hwclock}` });
      executed.push(argv.join(' '));
    }
  }
  if (a.name !== undefined) {
    before.name = state.name;
    after.name = a.name;
    if (state.name !== a.name) {
      const argv = ['timedatectl', 'set-timezone', a.name];
      changes.push({ kind: 'exec', command: commandLine(argv), description: `time zone ${state.name} -> ${a.name}` });
      executed.push(argv.join(' '));
    }
  }
  const text = (v: Record<string, string>) =>
    Object.entries(v)
      .map(([k, x]) => `${k}: ${x}\n`)
      .join('');
  return {
    changes,
    diffs: changes.length ? [{ path: 'timezone', before: text(before), after: text(after) }] : undefined,
    // The module says what it ran; a check run ran nothing.
    msg: check || executed.length === 0 ? undefined : executed.map((c) => `executed \`/usr/bin/${c}\``).join('\n'),
    data: { diff: { before, after } },
  };
}

export const timezone = defineModule({
  name: 'timezone',
  collection: 'community.general',
  schema,
  async plan({ args, reader, check }) {
    return decideTimezone(args, await reader.get(timezoneState, args.name === undefined ? {} : { name: args.name }), check);
  },
});
