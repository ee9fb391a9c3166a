/**
 * `until` / `retries` / `delay`, with the numbers of Ansible (checked against ansible-core 2.14):
 * - `until` alone tries 4 times (retries defaults to 3, counted after the first try), 5 s apart;
 * - `retries: N` with `until` tries N + 1 times; `retries: 0` tries once and never reads `until`;
 * - `retries` without `until` retries until the task does not fail (ansible-core 2.16 and later;
 *   2.14 ignored such a `retries`);
 * - the conditions are read after each try, with the registered variable (and `attempts`) set;
 * - a loop retries each item on its own.
 * Unlike Ansible, a try that ran past its `timeout` is a failed try like any other, so `until`
 * can retry it: a hung `apt-get update` is killed and tried again.
 */

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  delayMs: number;
  /** All must hold to stop; empty: stop when the try did not fail. */
  until: (string | boolean)[];
}

export const DEFAULT_RETRIES = 3;
export const DEFAULT_DELAY_S = 5;

/** The policy for one task, or undefined when it tries once. */
export function retryPolicy(o: { until: (string | boolean)[]; retries?: number; delay?: number }): RetryPolicy | undefined {
  if (o.until.length === 0 && o.retries === undefined) return undefined;
  const retries = o.retries ?? DEFAULT_RETRIES;
  if (retries <= 0) return undefined;
  return { attempts: retries + 1, delayMs: (o.delay ?? DEFAULT_DELAY_S) * 1000, until: o.until };
}

export type RetryStep = 'done' | 'retry' | 'exhausted';

/**
 * After try number `attempt`: stop, try again, or give up. `satisfied` reads the `until`
 * conditions (or, without them, whether the try succeeded); it is called once per try.
 */
export function nextStep(policy: RetryPolicy, attempt: number, satisfied: () => boolean): RetryStep {
  if (satisfied()) return 'done';
  return attempt < policy.attempts ? 'retry' : 'exhausted';
}

/** Ansible's line for a try that will be repeated. */
export function retryLine(host: string, task: string, retriesLeft: number): string {
  return `FAILED - RETRYING: [${host}]: ${task} (${retriesLeft} retries left).`;
}
