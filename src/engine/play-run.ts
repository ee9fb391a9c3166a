import type { Play, Task } from '../config/playbook.js';
import type { Vars } from '../core/vars.js';
import type { PlayHosts } from './magic-vars.js';
import { Rendezvous } from './strategy.js';

/** What a `run_once` task left behind, for the hosts that did not run it. */
export interface SharedOutcome {
  /** Variables the task set or registered, given to every host of the batch. */
  vars: Vars;
  failed: boolean;
}

export interface BatchRunOptions {
  play: Play;
  /** Every host of the play (after --limit), and this serial batch in play order. */
  all: readonly string[];
  batch: readonly string[];
  forks: number;
  isDown: (host: string) => boolean;
  /** Ansible marks every remaining host failed when the play stops on a failure. */
  markFailed: (host: string) => void;
}

/**
 * One serial batch of a play under its strategy: the rendezvous, the failure policy
 * (`any_errors_fatal`, `max_fail_percentage`) and what `run_once` tasks share.
 */
export class BatchRun {
  readonly rdv: Rendezvous;
  readonly hosts: PlayHosts;
  /** No host of the batch starts another task; the run ends after this batch. */
  stopped = false;
  /** Why the batch stopped, for the warning. */
  reason: string | undefined;
  /** The task each host ran last: its keywords decide what its failure does. */
  readonly lastTask = new Map<string, Task>();
  /** `run_once` results by task position, set by the host that ran it. */
  readonly once = new Map<string, Promise<SharedOutcome>>();
  /** Warnings already given (run_once under free), once per task. */
  readonly warned = new Set<Task>();
  private readonly counted = new Set<string>();
  private fatal = false;
  private overLimit = false;

  constructor(private readonly o: BatchRunOptions) {
    const { play } = o;
    this.hosts = { all: o.all, batch: o.batch, removed: o.isDown };
    this.rdv = new Rendezvous({
      strategy: play.strategy.name,
      hosts: o.batch,
      forks: o.forks,
      onStep: () => this.decide(),
    });
  }

  get strategy() {
    return this.o.play.strategy.name;
  }

  /**
   * The host's last task is over: a failure there counts towards the failure policy. Under
   * linear the batch stops before the next task starts on any host (the current task ends on
   * every host first, as in Ansible); under free at once, since there is no common next task.
   */
  settle(host: string): void {
    if (!this.o.isDown(host) || this.counted.has(host)) return;
    this.counted.add(host);
    const { play } = this.o;
    const task = this.lastTask.get(host);
    const fatal = task
      ? (task.strategy.anyErrorsFatal ?? (play.anyErrorsFatal || isRunOnce(task))) && !task.ignoreErrors
      : play.anyErrorsFatal;
    if (fatal) this.fatal = true;
    const pct = play.maxFailPercentage;
    if (pct !== undefined && (this.counted.size / this.o.batch.length) * 100 > pct) this.overLimit = true;
    if (this.strategy === 'free') this.decide();
  }

  /** Every host has left: a failure in the batch's last task still stops the run. */
  finish(): void {
    this.decide();
  }

  private decide(): void {
    if (this.stopped || !(this.fatal || this.overLimit)) return;
    const { play } = this.o;
    this.stopped = true;
    this.reason = this.fatal
      ? `play "${play.name}": a host failed a task with any_errors_fatal, stopping the run`
      : `play "${play.name}": failed hosts exceed max_fail_percentage ${play.maxFailPercentage}%, stopping the run`;
    // Under free the others stop at their next task; under linear none is mid-task here.
    if (this.strategy === 'linear') for (const h of this.rdv.remaining) if (!this.o.isDown(h)) this.o.markFailed(h);
  }
}

/** `run_once: true` written as such; a templated value is rendered per host by the runner. */
function isRunOnce(task: Task): boolean {
  return task.strategy.runOnce === true;
}
