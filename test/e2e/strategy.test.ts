import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { jsonEvents, provision } from './helpers.js';

const INV = 'test/e2e/inventories/strategy.yaml';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the JSON events
type Ev = Record<string, any>;

const tasksOf = (events: Ev[]) => [...new Set(events.filter((e) => e.event === 'task_start').map((e) => e.task as string))];
const where = (events: Ev[], kind: string, task: string, host?: string) =>
  events.flatMap((e, i) => (e.event === kind && e.task === task && (!host || e.host === host) ? [i] : []));

/**
 * What ansible-playbook (ansible-core 2.14) printed for test/e2e/playbooks/strategy-linear.yaml on
 * these hosts: per task, the hosts with a result line and their status. run_once prints one line;
 * the delegated tasks print "[g-1 -> g-4]".
 */
const ANSIBLE_LINEAR: [string, string[], string][] = [
  ['slow on g-1', ['g-1', 'g-2', 'g-3'], 'ok'],
  ['after the slow one', ['g-1', 'g-2', 'g-3'], 'ok'],
  ['once', ['g-1'], 'ok'],
  ['delegated to g-4', ['g-1', 'g-2', 'g-3'], 'ok'],
  ['delegated to localhost', ['g-1', 'g-2', 'g-3'], 'ok'],
  ['what the others registered', ['g-1', 'g-2', 'g-3'], 'ok'],
];

describe('strategies on lab hosts', () => {
  it('linear: every host has its result of task N before any host starts N+1; run_once, delegate_to, hostvars as Ansible', async () => {
    const r = await provision([
      'up',
      INV,
      '--playbook',
      'test/e2e/playbooks/strategy-linear.yaml',
      '-e',
      `controller=${hostname()}`,
      '--json',
    ]);
    const events = jsonEvents(r.stdout);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const tasks = tasksOf(events);
    expect(tasks).toEqual(ANSIBLE_LINEAR.map(([t]) => t));
    for (const [i, task] of tasks.entries()) {
      const next = tasks[i + 1];
      if (next) expect(Math.max(...where(events, 'task_result', task))).toBeLessThan(Math.min(...where(events, 'task_start', next)));
    }
    for (const [task, hosts, status] of ANSIBLE_LINEAR) {
      const results = events.filter((e) => e.event === 'task_result' && e.task === task);
      expect(results.map((e) => e.host).sort(), task).toEqual(hosts);
      expect(new Set(results.map((e) => e.status)), task).toEqual(new Set([status]));
    }
    const delegated = (task: string) => events.filter((e) => e.event === 'task_result' && e.task === task).map((e) => e.delegatedTo);
    expect(delegated('delegated to g-4')).toEqual(['g-4', 'g-4', 'g-4']);
    expect(delegated('delegated to localhost')).toEqual(['localhost', 'localhost', 'localhost']);
    // a task starts on the hosts in play order
    expect(events.filter((e) => e.event === 'task_start' && e.task === 'delegated to g-4').map((e) => e.host)).toEqual([
      'g-1',
      'g-2',
      'g-3',
    ]);
  }, 600_000);

  it('free: a slow host does not hold the others back', async () => {
    const r = await provision(['up', INV, '--playbook', 'test/e2e/playbooks/strategy-free.yaml', '--json']);
    const events = jsonEvents(r.stdout);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const fast of ['g-2', 'g-3'])
      expect(where(events, 'task_result', 'three', fast)[0]).toBeLessThan(where(events, 'task_result', 'slow on g-1', 'g-1')[0] ?? -1);
  }, 600_000);
});
