/**
 * Ansible's strategies as one rendezvous per serial batch.
 *
 * Every live host calls `arrive(host, at)` before each task it is about to run (and before the
 * setup step and each handler), and `leave(host)` once it is done, failed or unreachable. Arriving
 * also ends the host's previous task, which frees its fork slot.
 *
 * - `linear` (Ansible's default): a host waits until every remaining host has arrived at its next
 *   task; then the hosts standing at the earliest position run it, in play order, at most `forks`
 *   (and the task's `throttle`) at once, the next host starting when one finishes (Ansible's worker
 *   pool). The others keep waiting: a host in a rescue runs before hosts past the block, a notified
 *   host runs its handlers while the others wait at the next task.
 * - `free`: a host goes on as soon as a fork slot (and the task's throttle) lets it.
 *
 * Pure bookkeeping: no timers, no I/O.
 */

import type { StrategyName } from '../config/strategy-keywords.js';

/**
 * Where a task sits in the play, compared element by element (a prefix sorts first): a flat task
 * list gives `[i]`, a tree walk its path, handlers of a flush after task i `[i, round, handler]`.
 */
export type TaskPosition = readonly number[];

/** The setup step (connect, gather facts) comes before every task. */
export const SETUP_POSITION: TaskPosition = [-1];

export function comparePositions(a: TaskPosition, b: TaskPosition): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

export interface ArriveOptions {
  /** At most this many hosts run this task at once (Ansible's `throttle`; 0 or absent: no limit). */
  throttle?: number;
}

export interface RendezvousOptions {
  strategy: StrategyName;
  /** The batch's hosts in play order: under linear a task starts on them in this order. */
  hosts: readonly string[];
  forks: number;
  /**
   * Linear only: every remaining host has arrived and `hosts` are about to run the task at `at`.
   * The place where "after the current task on all hosts" decisions are made (any_errors_fatal).
   */
  onStep?: (at: TaskPosition, hosts: string[]) => void;
}

interface Waiter {
  host: string;
  at: TaskPosition;
  key: string;
  throttle: number;
  seq: number;
  resolve: () => void;
}

export class Rendezvous {
  private readonly order = new Map<string, number>();
  private readonly present = new Set<string>();
  private readonly waiting = new Map<string, Waiter>();
  /** Hosts holding a fork slot, with the key of the task they run. */
  private readonly active = new Map<string, string>();
  /** Linear: the position being run now, until every host standing there has run it. */
  private current: string | undefined;
  private seq = 0;
  private aborted = false;

  constructor(private readonly opts: RendezvousOptions) {
    if (!(opts.forks >= 1)) throw new Error(`forks must be at least 1, got ${opts.forks}`);
    opts.hosts.forEach((h, i) => {
      this.order.set(h, i);
      this.present.add(h);
    });
  }

  /** Resolves when `host` may run the task at `at`; ends the host's previous task. */
  arrive(host: string, at: TaskPosition, o: ArriveOptions = {}): Promise<void> {
    this.active.delete(host);
    if (this.aborted || !this.present.has(host)) {
      this.pump();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.waiting.set(host, { host, at, key: at.join('.'), throttle: o.throttle ?? 0, seq: this.seq++, resolve });
      // Granted only after the caller awaits: hosts then go on in the order they are granted.
      queueMicrotask(() => this.pump());
    });
  }

  /** The host runs no more tasks in this batch (done, failed, unreachable, stopped). */
  leave(host: string): void {
    this.present.delete(host);
    this.active.delete(host);
    const w = this.waiting.get(host);
    this.waiting.delete(host);
    w?.resolve();
    this.pump();
  }

  /** Ctrl-C: let everyone through; the runner sees the interruption and starts nothing. */
  abort(): void {
    this.aborted = true;
    for (const w of this.waiting.values()) w.resolve();
    this.waiting.clear();
  }

  /** Hosts still in the batch (not left). */
  get remaining(): string[] {
    return [...this.present];
  }

  private pump(): void {
    if (this.aborted) return;
    if (this.opts.strategy === 'linear') this.advanceLinear();
    this.grant();
  }

  /** When the current position has been run by every host standing there, pick the next one. */
  private advanceLinear(): void {
    if (this.current !== undefined) {
      const key = this.current;
      const busy = [...this.active.values()].includes(key) || [...this.waiting.values()].some((w) => w.key === key);
      if (busy) return;
      this.current = undefined;
    }
    if (this.active.size > 0 || this.waiting.size === 0 || this.waiting.size < this.present.size) return;
    const next = [...this.waiting.values()].reduce((a, b) => (comparePositions(b.at, a.at) < 0 ? b : a));
    this.current = next.key;
    this.opts.onStep?.(
      next.at,
      this.ordered()
        .filter((w) => w.key === next.key)
        .map((w) => w.host),
    );
  }

  private ordered(): Waiter[] {
    const rank = (w: Waiter) => (this.opts.strategy === 'linear' ? (this.order.get(w.host) ?? Number.MAX_SAFE_INTEGER) : w.seq);
    return [...this.waiting.values()].sort((a, b) => rank(a) - rank(b));
  }

  private grant(): void {
    for (const w of this.ordered()) {
      if (this.aborted || this.active.size >= this.opts.forks) return;
      if (this.opts.strategy === 'linear' && w.key !== this.current) continue;
      if (w.throttle > 0 && [...this.active.values()].filter((k) => k === w.key).length >= w.throttle) continue;
      this.waiting.delete(w.host);
      this.active.set(w.host, w.key);
      w.resolve();
    }
  }
}
