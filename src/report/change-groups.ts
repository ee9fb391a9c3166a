import type { RunRecord, TaskRecord } from './run-record.js';

/** Hosts on which one task did the same thing: shown once, with their names. */
export interface TaskGroup {
  hosts: string[];
  /** The task as it ran on the first of them (the others differ at most in timing). */
  task: TaskRecord;
}

/** One task of the run (a play, a name, its nth run on a host) and what it did, grouped by host. */
export interface TaskOutcomes {
  play: string;
  task: string;
  handler: boolean;
  groups: TaskGroup[];
}

const CHANGED = (t: TaskRecord) => t.status === 'changed';
const FAILED = (t: TaskRecord) => t.status === 'failed' || t.status === 'unreachable';

/** What makes two hosts' runs of a task the same: status, the changes and diffs, and (for failures) the message. */
function outcomeKey(t: TaskRecord): string {
  return JSON.stringify([t.status, t.changes ?? [], t.diffs ?? [], t.status === 'changed' ? '' : (t.msg ?? '')]);
}

/** Tasks that matched `pick` on some host, in the order they first ran, each with its hosts grouped by identical outcome. */
function groupTasks(record: RunRecord, pick: (t: TaskRecord) => boolean): TaskOutcomes[] {
  type Entry = TaskOutcomes & { byKey: Map<string, TaskGroup> };
  const byTask = new Map<string, Entry>();
  for (const host of record.hosts) {
    // The same task name can run twice on a host (an include, a handler): its nth run is its own entry.
    const seen = new Map<string, number>();
    for (const t of host.tasks) {
      const id = JSON.stringify([t.play, t.task, t.handler]);
      const nth = (seen.get(id) ?? 0) + 1;
      seen.set(id, nth);
      if (!pick(t)) continue;
      const taskId = `${id}#${nth}`;
      const entry: Entry = byTask.get(taskId) ?? { play: t.play, task: t.task, handler: t.handler, groups: [], byKey: new Map() };
      byTask.set(taskId, entry);
      const key = outcomeKey(t);
      const group = entry.byKey.get(key);
      if (group) group.hosts.push(host.name);
      else {
        const g = { hosts: [host.name], task: t };
        entry.byKey.set(key, g);
        entry.groups.push(g);
      }
    }
  }
  return [...byTask.values()].map(({ byKey: _, ...rest }) => rest);
}

/** Every task that changed (or would change) something, hosts grouped where they change the same way. */
export function changesByTask(record: RunRecord): TaskOutcomes[] {
  return groupTasks(record, CHANGED);
}

/** Every failed or unreachable task, hosts grouped where they failed the same way. */
export function failuresByTask(record: RunRecord): TaskOutcomes[] {
  return groupTasks(record, FAILED);
}

/** Hosts whose whole change sets are identical (the same tasks changing the same way), in host order. */
export function hostChangeSets(record: RunRecord): { hosts: string[]; changes: number }[] {
  const sets = new Map<string, { hosts: string[]; changes: number }>();
  for (const host of record.hosts) {
    const changed = host.tasks.filter(CHANGED);
    const key = JSON.stringify(changed.map((t) => [t.play, t.task, t.handler, outcomeKey(t)]));
    const set = sets.get(key);
    if (set) set.hosts.push(host.name);
    else sets.set(key, { hosts: [host.name], changes: changed.length });
  }
  return [...sets.values()];
}

export interface Totals {
  hosts: number;
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
}

export function totals(record: RunRecord): Totals {
  const t: Totals = { hosts: record.hosts.length, ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0 };
  for (const h of record.hosts) {
    t.ok += h.stats.ok;
    t.changed += h.stats.changed;
    t.failed += h.stats.failed;
    t.skipped += h.stats.skipped;
    t.unreachable += h.stats.unreachable;
  }
  return t;
}
