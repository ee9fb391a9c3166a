import { emptyStats, type HostStats, type RunEvent } from '../core/events.js';
import { unifiedDiff } from './diff.js';
import { safe } from './format.js';
import { type HostRecord, RUN_RECORD_FORMAT, RUN_RECORD_VERSION, type RunRecord, type TaskRecord } from './run-record.js';

/** An event as recorded: `at` is when it was emitted, in ms after the run started (the --json stream carries it). */
export type TimedEvent = RunEvent & { at?: number };

export interface RecordMeta {
  kind: RunRecord['kind'];
  provisionVersion?: string;
  startedAt?: string;
}

type TaskResult = Extract<RunEvent, { event: 'task_result' }>;

/** Every text goes through the secret mask here, so a record (and every report drawn from it) never holds a secret. */
function taskRecord(e: TaskResult, at: number | undefined): TaskRecord {
  const t: TaskRecord = {
    play: safe(e.play),
    task: safe(e.task),
    handler: e.handler,
    status: e.status,
    durationMs: e.durationMs,
    roundTrips: e.roundTrips,
  };
  if (at !== undefined) t.startMs = Math.max(0, at - e.durationMs);
  if (e.msg !== undefined) t.msg = safe(e.msg);
  if (e.changes?.length) t.changes = e.changes.map(safe);
  if (e.diffs?.length) t.diffs = e.diffs.map((d) => ({ path: safe(d.path), diff: safe(unifiedDiff(d)) }));
  if (e.attempts !== undefined) t.attempts = e.attempts;
  if (e.timedOut) t.timedOut = true;
  if (e.delegatedTo !== undefined) t.delegatedTo = safe(e.delegatedTo);
  return t;
}

/** Counts from the results themselves, for a stream that ends before its recap. */
function countResults(tasks: TaskRecord[]): HostStats {
  const s = emptyStats();
  for (const t of tasks) s[t.status]++;
  return s;
}

/** The run record of an event stream (live, or read back from a --json file). Pure: the same events give the same record. */
export function buildRunRecord(events: readonly TimedEvent[], meta: RecordMeta): RunRecord {
  const hosts = new Map<string, TaskRecord[]>();
  const hostTasks = (name: string) => {
    const list = hosts.get(name) ?? [];
    hosts.set(name, list);
    return list;
  };
  const record: RunRecord = {
    format: RUN_RECORD_FORMAT,
    version: RUN_RECORD_VERSION,
    kind: meta.kind,
    check: false,
    complete: false,
    plays: [],
    hosts: [],
    warnings: [],
  };
  if (meta.provisionVersion) record.provisionVersion = meta.provisionVersion;
  if (meta.startedAt) record.startedAt = meta.startedAt;
  let recap: Record<string, HostStats> | undefined;
  let lastAt: number | undefined;
  for (const e of events) {
    if (e.at !== undefined) lastAt = Math.max(lastAt ?? 0, e.at);
    switch (e.event) {
      case 'run_start':
        record.check = e.check;
        record.playbook = safe(e.playbook);
        record.inventory = safe(e.inventory);
        break;
      case 'play_start':
        record.plays.push({ name: safe(e.play), hosts: e.hosts });
        for (const h of e.hosts) hostTasks(h);
        break;
      case 'task_result':
        hostTasks(e.host).push(taskRecord(e, e.at));
        break;
      case 'warning':
        record.warnings.push(e.host === undefined ? { msg: safe(e.msg) } : { msg: safe(e.msg), host: e.host });
        break;
      case 'interrupted':
        record.interrupted = e.running.map((r) => ({ host: r.host, task: safe(r.task) }));
        break;
      case 'recap':
        recap = e.hosts;
        record.complete = true;
        // A live run's recap has its duration; the --json recap line does not, the last event's time stands in.
        if (e.durationMs !== undefined) record.durationMs = e.durationMs;
        else if (lastAt !== undefined) record.durationMs = lastAt;
        for (const h of Object.keys(e.hosts)) hostTasks(h);
        break;
      default:
        break;
    }
  }
  // Recap order first (the order the PLAY RECAP prints), then hosts it does not name.
  const names = [...Object.keys(recap ?? {}), ...[...hosts.keys()].filter((h) => !recap?.[h])];
  record.hosts = names.map((name): HostRecord => {
    const tasks = hosts.get(name) ?? [];
    return { name, stats: recap?.[name] ?? countResults(tasks), tasks };
  });
  return record;
}
