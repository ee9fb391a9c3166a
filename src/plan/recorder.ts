import { isAbsolute, relative } from 'node:path';
import type { RunEvent } from '../core/events.js';
import type { Plan } from '../core/plan.js';
import type { DecisionSite, PlanHooks } from '../core/plan-hooks.js';
import type { ReadRequest, ReadValue } from '../core/reads.js';
import { readKey, stableJson } from '../core/reads.js';
import { digestOf, isSecretChange, plannedChanges, readHoldsSecret, readState } from './changes.js';
import type { PlanDigest } from './plan-key.js';
import type { PlannedDecision, PlanTask, ReadFingerprint } from './schema.js';

/** A read that answered, before it is hashed: whether its hash is keyed is known only once its decisions are. */
interface ReadSeen {
  fingerprint: Omit<ReadFingerprint, 'sha256' | 'hmac'>;
  state: string;
  secret: boolean;
}

/** What the plan run knows of one host while it goes: what it would have changed so far, and what it read. */
interface HostTrack {
  task: string;
  reads: Map<string, Promise<ReadSeen | undefined>>;
  /** Reads asked since the host's last decision (by key): the next decision's inputs. */
  asked: { key: string; request: ReadRequest }[];
  /** Reads a decision that writes or runs a secret used: keyed even when their value holds no secret text (the old password). */
  secretReads: Set<string>;
  decisions: PlannedDecision[];
  /** A command would have run: anything read after it may read otherwise at apply. */
  pendingCommand: boolean;
  pendingWrites: Set<string>;
  /** Registered results of commands that did not run: known only at apply. */
  unknownRegisters: Set<string>;
  location?: string;
}

/** Records a check run as a plan: every read fingerprinted, every decision with its changes, every task result. */
export class PlanRecorder implements PlanHooks {
  private readonly hosts = new Map<string, HostTrack>();
  readonly tasks: PlanTask[] = [];

  constructor(
    private readonly playbookDir: string,
    private readonly digest: PlanDigest,
  ) {}

  read(host: string, scope: string, request: ReadRequest, value: Promise<ReadValue>): void {
    const t = this.track(host);
    const key = `${scope}\0${readKey(request.name, request.args)}`;
    t.asked.push({ key, request });
    if (t.reads.has(key)) return;
    const task = t.task;
    // A read that failed decided nothing; the task that asked it failed (or ignored it).
    const seen = value.then(
      (v): ReadSeen => ({
        fingerprint: { scope, read: request.name, args: JSON.parse(stableJson(request.args)) as ReadFingerprint['args'], task },
        state: readState(request, v),
        secret: readHoldsSecret(v),
      }),
      () => undefined,
    );
    t.reads.set(key, seen);
  }

  decided(site: DecisionSite, plan: Plan): undefined {
    const t = this.track(site.host);
    const changes = plannedChanges(plan.changes, this.digest);
    const atApply = site.check && (this.usesUnknown(t, site) || t.asked.some((r) => this.affected(t, r.request)));
    if (changes.some(isSecretChange)) for (const r of t.asked) t.secretReads.add(r.key);
    t.asked = [];
    t.location = this.relativeLocation(site.location);
    if (site.attempt === undefined || site.attempt === 1)
      t.decisions.push({ decidedAt: atApply ? 'apply' : 'plan', ranAtPlan: !site.check, neverChanges: site.neverChanges, changes });
    if (site.check) {
      for (const c of plan.changes) {
        if (c.kind === 'write') t.pendingWrites.add(c.file.path);
        else if (!site.neverChanges) t.pendingCommand = true;
      }
      if (site.register && plan.changes.some((c) => c.kind === 'exec')) t.unknownRegisters.add(site.register);
    }
    return undefined;
  }

  /** The run's events: a task_result closes the decisions its host made since the last one. */
  event(e: RunEvent): void {
    if (e.event === 'task_start') this.track(e.host).task = e.task;
    if (e.event !== 'task_result') return;
    const t = this.track(e.host);
    const decisions = t.decisions;
    t.decisions = [];
    // The engine's own marker (src/engine/unknown-until-apply.ts, where present): the check run did not decide the task at all.
    if ((e as { decidedAtApply?: boolean }).decidedAtApply && decisions.length === 0)
      decisions.push({ decidedAt: 'apply', ranAtPlan: false, neverChanges: false, changes: [] });
    const { event: _event, ...result } = e;
    const pending = decisions.some((d) => d.changes.length > 0 && !(d.neverChanges && d.changes.every((c) => c.kind === 'exec')));
    // A command that changes nothing by its own word (changed_when: false) is planned, not pending;
    // one the check run skipped (no creates/removes) is a plan's pending change all the same.
    const decided = decisions.length > 0 && (e.status === 'changed' || e.status === 'skipped');
    const status = decided ? (pending ? 'changed' : 'ok') : e.status;
    this.tasks.push({ ...result, status, location: decisions.length ? t.location : undefined, pending, decisions });
  }

  /** Per host, the fingerprints of the reads that answered: keyed where a secret is in or behind them. */
  async fingerprints(): Promise<Record<string, { reads: ReadFingerprint[] }>> {
    const out: Record<string, { reads: ReadFingerprint[] }> = {};
    for (const [host, t] of this.hosts) {
      const reads: ReadFingerprint[] = [];
      for (const [key, seen] of t.reads) {
        const r = await seen;
        if (r) reads.push({ ...r.fingerprint, ...digestOf(this.digest, r.state, r.secret || t.secretReads.has(key)) });
      }
      if (reads.length) out[host] = { reads };
    }
    return out;
  }

  private track(host: string): HostTrack {
    let t = this.hosts.get(host);
    if (!t) {
      t = {
        task: '',
        reads: new Map(),
        asked: [],
        secretReads: new Set(),
        decisions: [],
        pendingCommand: false,
        pendingWrites: new Set(),
        unknownRegisters: new Set(),
      };
      this.hosts.set(host, t);
    }
    return t;
  }

  /** The task's arguments, conditions or vars name a registered result that only apply will know. */
  private usesUnknown(t: HostTrack, site: DecisionSite): boolean {
    if (t.unknownRegisters.size === 0) return false;
    const source = site.source();
    return [...t.unknownRegisters].some((name) => new RegExp(`(^|[^\\w.])${name}([^\\w]|$)`).test(source));
  }

  /** A read whose answer an earlier would-be change can alter: after a command, any; after a write, its path. */
  private affected(t: HostTrack, r: ReadRequest): boolean {
    if (t.pendingCommand) return true;
    if (t.pendingWrites.size === 0) return false;
    const paths = Object.values(r.args).filter((v): v is string => typeof v === 'string' && v.startsWith('/'));
    return paths.some((p) => [...t.pendingWrites].some((w) => w === p || w.startsWith(`${p}/`) || p.startsWith(`${w}/`)));
  }

  private relativeLocation(location: string): string {
    return isAbsolute(location) ? relative(this.playbookDir, location) : location;
  }
}
