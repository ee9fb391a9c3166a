import type { Task } from '../config/playbook.js';
import { ask, type HostReader, type ReadRequest } from '../core/reads.js';

/**
 * Read-ahead: the reads of the tasks after the one at hand go to the host in the same round trip
 * as its own, into the host's read cache. A no-op run is nearly all reads, each task's a round
 * trip; planned ahead, a play's reads take a few.
 *
 * A command run on the host empties the cache (what later tasks read must be read again), and
 * what was read ahead with it. So the window starts small after a task that changed something and
 * doubles while nothing changes (a command that reports no change, `changed_when: false`, still
 * empties the cache but keeps the window): a run that changes much reads little in vain, a no-op
 * run reads its play in a few round trips.
 */
export const FIRST_WINDOW = 8;

/** At most this many items of a looped task are planned ahead; the rest read when they run. */
export const ITEMS_AHEAD = 50;

/** Where one host's read-ahead stands: which play, which cache generation, read up to which task. */
export interface ReadAheadState {
  play: object;
  generation: number;
  /** The index (in the play's task list) after the last task read ahead. */
  end: number;
  window: number;
  /** A task changed something since this window was read. */
  changed: boolean;
}

/**
 * The tasks to plan ahead when the host reaches the task at `index` of `play`: none while it is
 * within what was read ahead since the cache was last emptied.
 */
export function nextWindow(
  state: ReadAheadState | undefined,
  play: object,
  generation: number,
  index: number,
  length: number,
): { from: number; to: number; state: ReadAheadState } | undefined {
  const samePlay = state !== undefined && state.play === play;
  if (samePlay && state.generation === generation && index < state.end) return undefined;
  const window = samePlay && !state.changed ? state.window * 2 : FIRST_WINDOW;
  const to = Math.min(length, index + window);
  return { from: index, to, state: { play, generation, end: to, window, changed: false } };
}

/** The position of a task in its play's list: by its place in the files (a task bound to a host is a copy). */
export function taskIndex(list: readonly Task[], task: Task): number {
  const at = list.indexOf(task);
  if (at >= 0) return at;
  const { file, line, col } = task.location;
  return list.findIndex((t) => t.location.file === file && t.location.line === line && t.location.col === col && t.module === task.module);
}

/**
 * A reader that only notes what a planner asks for. Its answers never come: the planner waits for
 * ever and is dropped, having said which reads its task needs first.
 */
export function noticingReader(into: ReadRequest[]): HostReader {
  const never = new Promise<never>(() => {});
  return {
    get: (read, args) => {
      into.push(ask(read, args));
      return never;
    },
    getAll: (requests) => {
      into.push(...requests);
      return never;
    },
  };
}
