import { describe, expect, it } from 'vitest';
import { runLocal as run } from './helpers.js';

interface Ev {
  event: string;
  task?: string;
  host?: string;
  status?: string;
  msg?: string;
}

/** Index of each host's start and result of a task, in the event stream. */
function at(events: Ev[], kind: 'task_start' | 'task_result', task: string, host?: string): number[] {
  return events.flatMap((e, i) => (e.event === kind && e.task === task && (!host || e.host === host) ? [i] : []));
}

const three = '    h1: {}\n    h2: {}\n    h3.example: {}\n';

describe('strategies through the engine (local connection)', { timeout: 60_000 }, () => {
  it('linear: every host has its result of task N before any host starts task N+1; free: a slow host holds no one back', async () => {
    const pb = (strategy: string) => `
- hosts: all
  gather_facts: false
  strategy: ${strategy}
  tasks:
    - name: one
      shell: "{{ 'sleep 1' if inventory_hostname == 'h1' else 'true' }}"
    - { name: two, debug: msg=two }
    - { name: three, debug: msg=three }
`;
    const linear = await run(pb('linear'), { hosts: three });
    expect(linear.code).toBe(0);
    for (const [n, next] of [
      ['one', 'two'],
      ['two', 'three'],
    ] as const) {
      expect(Math.max(...at(linear.events, 'task_result', n))).toBeLessThan(Math.min(...at(linear.events, 'task_start', next)));
    }
    const free = await run(pb('free'), { hosts: three });
    expect(free.code).toBe(0);
    expect(at(free.events, 'task_result', 'three', 'h2')[0]).toBeLessThan(at(free.events, 'task_result', 'one', 'h1')[0] ?? -1);
  }, 60_000);

  it('run_once runs on the first host in play order and gives its result to all; magic variables are Ansible values', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  order: reverse_sorted
  tasks:
    - name: once
      command: echo once
      register: o
      run_once: true
    - set_fact: { mine: "{{ inventory_hostname }}-x" }
    - name: show
      debug:
        msg: "{{ o.stdout }} {{ hostvars['h1'].mine }} {{ ansible_play_hosts | join(',') }} {{ ansible_play_batch | join(',') }} {{ ansible_play_hosts_all | join(',') }} {{ play_hosts | join(',') }} {{ inventory_hostname_short }} {{ groups.ungrouped | join(',') }}"
`,
      { hosts: three },
    );
    expect(r.code).toBe(0);
    const once = r.results.filter((e: Ev) => e.task === 'once');
    expect(once.map((e: Ev) => e.host)).toEqual(['h3.example']);
    const shown = Object.fromEntries(r.results.filter((e: Ev) => e.task === 'show').map((e: Ev) => [e.host, e.msg]));
    // the values ansible-core 2.14 prints for the same playbook (play_hosts = ansible_play_batch, in play order)
    const lists = 'h1,h2,h3.example h3.example,h2,h1 h1,h2,h3.example h3.example,h2,h1';
    expect(shown.h2).toBe(`once h1-x ${lists} h2 h1,h2,h3.example`);
    expect(shown['h3.example']).toBe(`once h1-x ${lists} h3 h1,h2,h3.example`);
    expect(r.recap.hosts.h2.changed).toBe(0);
    expect(r.recap.hosts['h3.example'].changed).toBe(1);
  });

  it('a later task reads what another host registered; delegate_facts puts set facts on the delegate', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - command: echo "{{ inventory_hostname }}"
      register: said
    - name: read
      debug: { msg: "{{ hostvars[(ansible_play_hosts | reject('equalto', inventory_hostname) | first)].said.stdout }}" }
    - name: dset
      set_fact: { dfact: 1 }
      delegate_to: h1
      delegate_facts: true
    - name: facts
      debug: { msg: "{{ hostvars['h1'].dfact | default('none') }} {{ dfact | default('nodef') }}" }
    - name: nowhere
      debug: msg=x
      delegate_to: not-in-inventory
`);
    const by = (task: string) => Object.fromEntries(r.results.filter((e: Ev) => e.task === task).map((e: Ev) => [e.host, e]));
    expect(by('read').h1.msg).toBe('h2');
    expect(by('read').h2.msg).toBe('h1');
    expect(by('dset').h2.delegatedTo).toBe('h1');
    expect(by('dset').h1.delegatedTo).toBeUndefined();
    expect(by('facts').h1.msg).toBe('1 1');
    expect(by('facts').h2.msg).toBe('1 nodef');
    expect(by('nowhere').h1.status).toBe('failed');
    expect(by('nowhere').h1.msg).toMatch(/not-in-inventory" is not a host/);
  });

  it('any_errors_fatal on a task: every host ends that task, then the run stops (no later task, no later play)', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: check
      shell: "[ {{ inventory_hostname }} != h2 ]"
      any_errors_fatal: true
    - { name: after, debug: msg=after }
- hosts: all
  gather_facts: false
  tasks: [ { name: play2, debug: msg=x } ]
`,
      { hosts: three },
    );
    expect(r.code).toBe(2);
    expect(
      r.results
        .filter((e: Ev) => e.task === 'check')
        .map((e: Ev) => e.status)
        .sort(),
    ).toEqual(['changed', 'changed', 'failed']);
    expect(r.results.some((e: Ev) => e.task === 'after' || e.task === 'play2')).toBe(false);
  });

  it('order and an unsupported strategy', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  order: reverse_inventory
  tasks: [ { name: t, debug: msg=x } ]
`,
      { hosts: three },
    );
    expect(r.events.filter((e: Ev) => e.event === 'task_start').map((e: Ev) => e.host)).toEqual(['h3.example', 'h2', 'h1']);
    const bad = await run(`
- hosts: all
  strategy: debug
  tasks: [ { debug: msg=x } ]
`);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/pb\.yaml:3:\d+/);
    expect(bad.stderr).toMatch(/strategy: debug is not supported; provision supports linear and free/);
  });
});
