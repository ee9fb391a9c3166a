import { describe, expect, it } from 'vitest';
import { runLocal as run } from './helpers.js';

interface Ev {
  event: string;
  task?: string;
  host?: string;
  status?: string;
  msg?: string;
}

const shown = (results: Ev[], task: string) => Object.fromEntries(results.filter((e) => e.task === task).map((e) => [e.host, e.msg]));
const statuses = (results: Ev[], task: string) => Object.fromEntries(results.filter((e) => e.task === task).map((e) => [e.host, e.status]));

describe('flow modules through the engine (local connection)', { timeout: 60_000 }, () => {
  it('add_host and group_by change the run inventory: later plays match the new hosts and groups, group_vars/ apply', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: add
      add_host: { name: h9, groups: [late], tier: back }
    - name: group
      group_by: { key: "kind_{{ inventory_hostname }}", parents: [grouped] }
    - name: group again
      group_by: { key: "kind_{{ inventory_hostname }}", parents: [grouped] }
- hosts: late
  gather_facts: false
  tasks:
    - name: late host
      debug: { msg: "{{ inventory_hostname }} {{ tier }} {{ groups.late | join(',') }}" }
- hosts: grouped
  gather_facts: false
  tasks:
    - name: grouped
      debug: { msg: "{{ inventory_hostname }} {{ color | default('none') }} {{ group_names | join(',') }}" }
`,
      { files: { 'group_vars/kind_h1.yml': 'color: blue\n' } },
    );
    expect(r.code, r.stderr).toBe(0);
    // ansible-core 2.14 gives these statuses and prints these lines for the same playbook and group_vars/.
    // add_host runs once, on the first host, as Ansible's BYPASS_HOST_LOOP; it is changed when the host is new.
    expect(statuses(r.results, 'add')).toEqual({ h1: 'changed' });
    expect(statuses(r.results, 'group')).toEqual({ h1: 'changed', h2: 'changed' });
    expect(statuses(r.results, 'group again')).toEqual({ h1: 'ok', h2: 'ok' });
    expect(shown(r.results, 'late host')).toEqual({ h9: 'h9 back h9' });
    expect(shown(r.results, 'grouped')).toEqual({ h1: 'h1 blue grouped,kind_h1', h2: 'h2 none grouped,kind_h2' });
  });

  it('setup as a task gives facts to a play without gather_facts; fail fails with its message; pause runs once', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - name: facts
      setup: { filter: ['ansible_os_family', 'ansible_system'] }
      register: s
    - name: show
      debug: { msg: "{{ ansible_system }} {{ ansible_facts.system }} {{ s.ansible_facts.ansible_system }} {{ ansible_kernel is defined }}" }
    - name: wait
      pause: { seconds: 1 }
    - name: stop
      fail: { msg: "stopped on {{ inventory_hostname }}" }
      ignore_errors: true
`);
    expect(r.code, r.stderr).toBe(0);
    expect(shown(r.results, 'show')).toEqual({ h1: 'Linux Linux Linux False', h2: 'Linux Linux Linux False' });
    expect(statuses(r.results, 'wait')).toEqual({ h1: 'ok' });
    expect(shown(r.results, 'stop')).toEqual({ h1: 'stopped on h1', h2: 'stopped on h2' });
  });
});
