import type { FileDiff } from './plan.js';

export type TaskStatus = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';

export interface HostStats {
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
  skipped: number;
  /** Tasks that failed inside a block whose rescue then ran: not counted as failed, as in Ansible. */
  rescued?: number;
  /** Failed tasks with ignore_errors: counted ok too, as in Ansible. */
  ignored?: number;
}

/** What the runner tells the world; renderers only draw these. */
export type RunEvent =
  | { event: 'run_start'; check: boolean; playbook: string; inventory: string }
  | { event: 'play_start'; play: string; hosts: string[] }
  | { event: 'task_start'; play: string; task: string; host: string; handler: boolean }
  | { event: 'task_output'; task: string; host: string; line: string }
  | {
      event: 'task_result';
      play: string;
      task: string;
      host: string;
      handler: boolean;
      status: TaskStatus;
      /** Check mode: `changed` means "would change". */
      check: boolean;
      msg?: string;
      changes?: string[];
      diffs?: FileDiff[];
      durationMs: number;
      /** Remote calls this task made (reads and writes). */
      roundTrips: number;
      /** With `until`/`retries`: tries made (over all items of a loop); `retries` counts the tries after each first one. */
      attempts?: number;
      retries?: number;
      /** The task (or its last try) ran past its `timeout` and its command was killed. */
      timedOut?: boolean;
      /** delegate_to: the host the task ran on, for `host`. */
      delegatedTo?: string;
      /** A loop's items in order: loop_control.label (or the item) and each item's status. */
      items?: LoopItem[];
      /** Check mode: the task reads a value only the applied run knows; it is decided then (status skipped). */
      decidedAtApply?: boolean;
      /** A failed task with ignore_errors: the host goes on (status stays failed, as Ansible shows it). */
      ignored?: boolean;
    }
  | {
      event: 'task_retry';
      play: string;
      task: string;
      host: string;
      /** The try that did not satisfy `until`, and how many are left. */
      attempt: number;
      retriesLeft: number;
      msg?: string;
      timedOut?: boolean;
      item?: unknown;
    }
  | { event: 'host_done'; play: string; host: string }
  | { event: 'warning'; msg: string; host?: string }
  | { event: 'interrupted'; running: { host: string; task: string }[] }
  | { event: 'recap'; hosts: Record<string, HostStats>; durationMs: number; retryFile?: string };

/** One item of a looped task as the output shows it: `(item=label)`. */
export interface LoopItem {
  label: string;
  status: TaskStatus;
}

export type EventSink = (e: RunEvent) => void;

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 0 };
}
