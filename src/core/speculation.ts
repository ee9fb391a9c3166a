import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Planning a task ahead of its turn, only to learn which reads it will ask for (the engine's
 * read-ahead). Such a plan must leave no trace: it notes no input file of a saved plan, and a
 * lookup that acts on the controller (runs a command, writes a password file) refuses to run, so
 * that it runs once, when the task really does. Async context, not a flag: other hosts' real work
 * runs in between and must not be refused.
 */
const speculation = new AsyncLocalStorage<true>();

export function speculatively<T>(fn: () => T): T {
  return speculation.run(true, fn);
}

export function speculating(): boolean {
  return speculation.getStore() === true;
}

/** Thrown by what must not run ahead of its task; the read-ahead drops the task, nothing else sees it. */
export class SpeculationRefused extends Error {
  constructor(what: string) {
    super(`${what} runs only when its task does`);
    this.name = 'SpeculationRefused';
  }
}

/** For an action with an effect on the controller: refuse while planning ahead. */
export function refuseWhileSpeculating(what: string): void {
  if (speculating()) throw new SpeculationRefused(what);
}
