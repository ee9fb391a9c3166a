import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal } from './helpers.js';

const one = { hosts: '    h1: {}\n' };

/** Processes on this machine whose command line contains `marker`. */
function processesWith(marker: string): string {
  return execFileSync('sh', ['-c', `ps -eo pid=,args= | grep -F -- ${marker} | grep -v grep || true`])
    .toString()
    .trim();
}

// Each case runs the CLI and waits for commands to time out: seconds, not milliseconds.
describe('until / retries / delay (local connection)', { timeout: 30_000 }, () => {
  it('a command that fails twice then succeeds passes on the third try and registers attempts 3 and that result', async () => {
    const r = await runLocal(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - name: flaky
      shell: echo x >> {{ d }}/count; n=$(wc -l < {{ d }}/count); echo "try $n"; [ $n -ge 3 ]
      register: flaky
      until: flaky.rc == 0
      retries: 5
      delay: 0
    - copy: { dest: "{{ d }}/registered", content: "{{ flaky.attempts }} {{ flaky.stdout }} {{ flaky.rc }}" }
`,
      one,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(r.dir, 'registered'), 'utf8')).toBe('3 try 3 0');
    const retries = r.events.filter((e) => e.event === 'task_retry');
    expect(retries.map((e) => [e.attempt, e.retriesLeft])).toEqual([
      [1, 5],
      [2, 4],
    ]);
    expect(r.results[0]).toMatchObject({ task: 'flaky', status: 'changed', attempts: 3, retries: 2 });
  });

  it('gives up after retries + 1 tries: the task fails, and ignore_errors lets the host go on', async () => {
    const r = await runLocal(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - shell: echo x >> {{ d }}/count; exit 1
      register: never
      until: never is success
      retries: 2
      delay: 0
      ignore_errors: true
    - copy: { dest: "{{ d }}/after", content: "{{ never.attempts }} {{ never.failed }}" }
`,
      one,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(r.dir, 'count'), 'utf8')).toBe('x\nx\nx\n');
    // Jinja prints Python's bool, as Ansible writes it
    expect(readFileSync(join(r.dir, 'after'), 'utf8')).toBe('3 True');
    expect(r.results[0].msg).toMatch(/still failing its until condition after 3 tries/);
  });

  it('a loop retries each item on its own; until sees the item result', async () => {
    const r = await runLocal(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - shell: echo {{ item }} >> {{ d }}/log; [ $(grep -c {{ item }} {{ d }}/log) -ge {{ item }} ]
      loop: [1, 2]
      register: per_item
      until: per_item.rc == 0
      retries: 3
      delay: 0
    - copy: { dest: "{{ d }}/attempts", content: "{{ per_item.results[0].attempts }},{{ per_item.results[1].attempts }}" }
`,
      one,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(r.dir, 'attempts'), 'utf8')).toBe('1,2');
    expect(r.results[0]).toMatchObject({ attempts: 3, retries: 1 });
    expect(r.events.filter((e) => e.event === 'task_retry').map((e) => e.item)).toEqual([2]);
  });

  it('check mode tries once: a command that did not run cannot satisfy until', async () => {
    const r = await runLocal(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - command: touch {{ d }}/x
      register: t
      until: t.rc == 0
      delay: 30
`,
      { ...one, args: ['--check'] },
    );
    expect(r.code).toBe(0);
    expect(r.events.filter((e) => e.event === 'task_retry')).toEqual([]);
  });
});

describe('timeout (local connection)', { timeout: 30_000 }, () => {
  it('kills the whole process group at the limit and fails with the last output lines', async () => {
    const marker = `prov-to-${process.pid}-a`;
    const t0 = Date.now();
    const r = await runLocal(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - name: hangs
      shell: echo first line; echo last line; sleep 600 & exec -a ${marker} sleep 601
      timeout: 1
`,
      one,
    );
    const took = Date.now() - t0;
    expect(r.code).toBe(2);
    expect(r.results[0]).toMatchObject({ task: 'hangs', status: 'failed', timedOut: true });
    expect(r.results[0].msg).toMatch(/^timed out after 1 s: its process group was killed\n/);
    expect(r.results[0].msg).toContain('| last line');
    expect(took).toBeLessThan(5000);
    expect(processesWith(marker)).toBe('');
    expect(processesWith('sleep 600')).not.toMatch(/^\d+ sleep 600$/m);
  });

  it('the play sets the default, a task overrides it (0: none), --task-timeout applies where neither does', async () => {
    const pb = `
- hosts: h1
  gather_facts: false
  timeout: 1
  tasks:
    - name: from the play
      command: sleep 30
      ignore_errors: true
    - name: no limit
      command: sleep 1.5
      timeout: 0
- hosts: h1
  gather_facts: false
  tasks:
    - name: from the run
      command: sleep 2
      ignore_errors: true
    - name: templated
      command: sleep 30
      timeout: "{{ short }}"
      vars: { short: 1 }
      ignore_errors: true
`;
    const r = await runLocal(pb, { ...one, args: ['--task-timeout', '1'] });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.results.map((e) => [e.task, e.timedOut ?? false])).toEqual([
      ['from the play', true],
      ['no limit', false],
      ['from the run', true],
      ['templated', true],
    ]);
    const without = await runLocal(pb.replace(/- name: templated[\s\S]*$/, ''), { ...one, args: ['--task-timeout', '0'] });
    expect(without.results.map((e) => e.timedOut ?? false)).toEqual([true, false, false]);
  });

  it('until retries a try that timed out', async () => {
    const r = await runLocal(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - shell: echo x >> {{ d }}/count; [ $(wc -l < {{ d }}/count) -ge 2 ] || sleep 600
      timeout: 1
      register: hung_once
      until: hung_once is success
      retries: 2
      delay: 0
`,
      one,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const retry = r.events.find((e) => e.event === 'task_retry');
    expect(retry).toMatchObject({ attempt: 1, timedOut: true });
    expect(r.results[0]).toMatchObject({ status: 'changed', attempts: 2 });
  });

  it('a timed-out task is a failed task: --force-handlers still runs the handlers it notified earlier', async () => {
    const r = await runLocal(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - copy: { dest: "{{ d }}/conf", content: x }
      notify: record
    - command: sleep 30
      timeout: 1
  handlers:
    - name: record
      copy: { dest: "{{ d }}/handled", content: x }
`,
      { ...one, args: ['--force-handlers'] },
    );
    expect(r.code).toBe(2);
    expect(existsSync(join(r.dir, 'handled'))).toBe(true);
  });
});
