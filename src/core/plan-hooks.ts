import type { Plan } from './plan.js';
import type { ReadRequest, ReadValue } from './reads.js';

/** Where a module decided: one task (or handler), one item of its loop, on one host. */
export interface DecisionSite {
  host: string;
  play: string;
  task: string;
  handler: boolean;
  /** Where the task is written (file:line:col): with the play, the same task at plan and at apply. */
  location: string;
  /** The try of an `until` loop (1 for the first); undefined when the task has no retries. */
  attempt?: number;
  /** Decided in check mode; false for a check_mode: false task, whose commands run at plan time too. */
  check: boolean;
  register?: string;
  /** changed_when is a plain false: the task's commands change nothing, by its own word. */
  neverChanges: boolean;
  /** The task's unrendered arguments, conditions and vars as text: which registered names it uses. */
  source(): string;
}

/** How a saved plan sees a run (src/plan): it records the run (plan) or holds it to the plan (apply). */
export interface PlanHooks {
  /** A read a planner asked for (from the cache or not), in the scope (become user) it was read as. */
  read(host: string, scope: string, request: ReadRequest, value: Promise<ReadValue>): void;
  /** A module decided. undefined lets its changes be applied; a text refuses them and the task fails with it. */
  decided(site: DecisionSite, plan: Plan): string | undefined;
}
