import { isAbsolute, relative } from 'node:path';
import type { Plan } from '../core/plan.js';
import type { DecisionSite, PlanHooks } from '../core/plan-hooks.js';
import { describeChange, plannedChanges, sameChanges } from './changes.js';
import type { PlanDigest } from './plan-key.js';
import type { PlannedChange, PlannedDecision, SavedPlan } from './schema.js';

/** A decision apply made itself: the plan could not know it (it depended on an earlier change). */
export interface DecidedAtApply {
  host: string;
  task: string;
  changes: PlannedChange[];
}

/** Holds an apply run to its plan: a module's decision is carried out only when the plan has the same one. */
export class PlanEnforcer implements PlanHooks {
  /** Planned decisions per task site, in the order they were made. */
  private readonly queues = new Map<string, PlannedDecision[]>();
  private readonly last = new Map<string, PlannedDecision | undefined>();
  /** Hosts where a planned command has run: what follows may differ from the plan because of it. */
  private readonly ranCommand = new Set<string>();
  /** Tasks the check run left to apply without deciding (no place known): by host, play, name. */
  private readonly undecided = new Set<string>();
  readonly decidedAtApply: DecidedAtApply[] = [];
  readonly refusals: string[] = [];

  constructor(
    plan: SavedPlan,
    private readonly playbookDir: string,
    private readonly digest: PlanDigest,
  ) {
    for (const t of plan.tasks) {
      if (t.decisions.some((d) => d.decidedAt === 'apply')) this.undecided.add(siteKey(t.host, t.play, t.task, t.handler));
      if (t.location === undefined) continue;
      const key = siteKey(t.host, t.play, t.location, t.handler);
      this.queues.set(key, [...(this.queues.get(key) ?? []), ...t.decisions]);
    }
  }

  read(): void {}

  decided(site: DecisionSite, plan: Plan): string | undefined {
    const key = siteKey(site.host, site.play, this.relativeLocation(site.location), site.handler);
    // A retry of `until` is the same decision again.
    const planned = site.attempt !== undefined && site.attempt > 1 ? this.last.get(key) : this.queues.get(key)?.shift();
    this.last.set(key, planned);
    const got = plannedChanges(plan.changes, this.digest);
    const afterCommand = this.ranCommand.has(site.host);
    const allow = (atApply: boolean) => {
      if (atApply && got.length > 0) this.decidedAtApply.push({ host: site.host, task: site.task, changes: got });
      if (got.some((c) => c.kind === 'exec' || c.kind === 'reboot') && !site.neverChanges) this.ranCommand.add(site.host);
      return undefined;
    };
    if (planned?.decidedAt === 'apply') return allow(true);
    if (!planned) {
      if (got.length === 0) return undefined;
      if (afterCommand || this.undecided.has(siteKey(site.host, site.play, site.task, site.handler))) return allow(true);
      return this.refuse(site, `it would ${got.map(describeChange).join(', ')}, which the plan does not have`);
    }
    if (sameChanges(planned.changes, got)) return allow(false);
    const want = planned.changes.length ? planned.changes.map(describeChange).join(', ') : 'no change';
    const now = got.length ? got.map(describeChange).join(', ') : 'no change';
    return this.refuse(site, `it now decides ${now} where the plan has ${want}`);
  }

  /** Planned changes apply did not reach (the host failed or stopped first). */
  notMade(): string[] {
    const out: string[] = [];
    for (const [key, queue] of this.queues)
      for (const d of queue)
        if (d.changes.length && !d.neverChanges) out.push(`${key.split('\0').slice(0, 1)}: ${d.changes.map(describeChange).join(', ')}`);
    return out;
  }

  private refuse(site: DecisionSite, why: string): string {
    const msg = `refused by the plan: task "${site.task}" on ${site.host}: ${why}`;
    this.refusals.push(msg);
    return msg;
  }

  private relativeLocation(location: string): string {
    return isAbsolute(location) ? relative(this.playbookDir, location) : location;
  }
}

function siteKey(host: string, play: string, place: string, handler: boolean): string {
  return `${host}\0${play}\0${place}\0${handler ? 'handler' : 'task'}`;
}
