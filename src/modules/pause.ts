import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

/** Python's int() on a module argument: whole numbers and their text; a float is cut (1.9 is 1), as Ansible's `type: int` callable does. */
const wholeNumber = z.union([z.number(), z.string().regex(/^\s*[-+]?\d+\s*$/, 'a whole number')]).transform((v) => Math.trunc(Number(v)));

const schema = z
  .strictObject({
    seconds: wholeNumber.optional().describe('how long to wait (at least 1)'),
    minutes: wholeNumber.optional().describe('how long to wait, in minutes'),
    prompt: z.string().optional().describe('text shown while waiting'),
    echo: yesNo.default(true).describe('show what is typed (a prompt for input is refused: provision does not prompt)'),
  })
  .refine((a) => a.seconds === undefined || a.minutes === undefined, { message: 'give seconds or minutes, not both', path: ['minutes'] })
  // Waiting for a key press is what Ansible does without seconds or minutes; an unattended run has no one to press it.
  .refine((a) => a.seconds !== undefined || a.minutes !== undefined, {
    message: `pause waits for a key press here: provision does not prompt${process.stdin.isTTY ? ' (not supported yet)' : ', and there is no terminal to read one from'}; give seconds or minutes`,
  });
export type PauseArgs = z.infer<typeof schema>;

/** Python's str(datetime.now()): local time, microseconds. */
export function pythonNow(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  return `${date} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

/** How Python prints round(x, 2): always with a decimal point. */
function pythonFloat(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Number.isInteger(r) ? r.toFixed(1) : String(r);
}

/** The result Ansible's pause registers for a wait of `elapsedMs` that started at `start`. */
export function pauseResult(a: PauseArgs, start: Date, elapsedMs: number): Record<string, unknown> {
  const inMinutes = a.minutes !== undefined;
  const s = elapsedMs / 1000;
  return {
    changed: false,
    rc: 0,
    stderr: '',
    stdout: `Paused for ${pythonFloat(inMinutes ? s / 60 : s)} ${inMinutes ? 'minutes' : 'seconds'}`,
    start: pythonNow(start),
    stop: pythonNow(new Date(start.getTime() + elapsedMs)),
    delta: Math.trunc(s),
    echo: a.echo,
    user_input: '',
  };
}

export const pause = defineModule({
  name: 'pause',
  schema,
  // As Ansible's: the wait happens once for the play's hosts, not once per host.
  bypassHostLoop: true,
  async plan({ args, signal }) {
    const seconds = Math.max(1, args.minutes !== undefined ? args.minutes * 60 : (args.seconds ?? 1));
    const start = new Date();
    // A dry run waits too, as Ansible's does: the pause is part of how the play is paced, not a change.
    await sleep(seconds * 1000, undefined, { signal }).catch((err: unknown) => {
      // Ctrl-C ends the wait early; the run is stopping and reports the interruption itself.
      if (!(err instanceof Error && err.name === 'AbortError')) throw err;
    });
    const data = pauseResult(args, start, Date.now() - start.getTime());
    return { changes: [], msg: String(data.stdout), data };
  },
});
