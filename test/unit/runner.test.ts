import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal as run } from './helpers.js';

// Local commands take seconds each on a loaded machine; under linear a task waits for its slowest host.
describe('runner (local connection)', { timeout: 60_000 }, () => {
  it('handlers run once, in definition order, only when notified by a change; listen works', async () => {
    const r = await run(`
- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "{{ d }}/{{ inventory_hostname }}-a", content: a }
      notify: [second, first]
    - copy: { dest: "{{ d }}/{{ inventory_hostname }}-b", content: b }
      notify: second
    - debug: msg=unchanged
      notify: never runs
  handlers:
    - name: first
      shell: echo first >> {{ d }}/{{ inventory_hostname }}-log
    - name: second
      shell: echo second >> {{ d }}/{{ inventory_hostname }}-log
    - name: never runs
      shell: echo never >> {{ d }}/{{ inventory_hostname }}-log
    - name: listener
      listen: second
      shell: echo listener >> {{ d }}/{{ inventory_hostname }}-log
`);
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.dir, 'h1-log'), 'utf8')).toBe('first\nsecond\nlistener\n');
    expect(r.recap).toEqual({
      event: 'recap',
      hosts: {
        h1: { ok: 1, changed: 5, failed: 0, unreachable: 0, skipped: 0 },
        h2: { ok: 1, changed: 5, failed: 0, unreachable: 0, skipped: 0 },
      },
    });
  });

  it('register, when, loop, changed_when, failed_when, set_fact', async () => {
    const r = await run(`
- hosts: h1
  gather_facts: false
  tasks:
    - command: echo hello
      register: out
      changed_when: false
    - set_fact: { greeting: "{{ out.stdout }} world" }
    - copy: { dest: "{{ d }}/{{ item }}", content: "{{ greeting }}" }
      loop: [x, y]
    - debug: msg=skipped
      when: out.stdout == 'nope'
    - command: "false"
      failed_when: false
    - shell: exit 3
      register: r3
      ignore_errors: true
    - assert: { that: ["r3.rc == 3", "greeting == 'hello world'"] }
`);
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.dir, 'y'), 'utf8')).toBe('hello world');
    // The ignored failure shows failed (ignored), as Ansible shows it; the recap counts it ok and ignored.
    expect(r.results.map((e: { status: string }) => e.status)).toEqual(['ok', 'ok', 'changed', 'skipped', 'changed', 'failed', 'ok']);
    expect(r.results[5].ignored).toBe(true);
    expect(r.recap.hosts.h1).toMatchObject({ ok: 4, changed: 2, failed: 0, skipped: 1, ignored: 1 });
  });

  it('a failed host stops; the others go on; exit 2 and a retry file', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - shell: "[ {{ inventory_hostname }} != h1 ]"
    - copy: { dest: "{{ d }}/{{ inventory_hostname }}-after", content: x }
`,
      { args: ['--forks', '1'] },
    );
    expect(r.code).toBe(2);
    expect(existsSync(join(r.dir, 'h1-after'))).toBe(false);
    expect(existsSync(join(r.dir, 'h2-after'))).toBe(true);
    // beside the playbook (Ansible's place), not in the directory the run was started from
    const retry = join(r.dir, 'pb.retry');
    expect(readFileSync(retry, 'utf8')).toBe('h1\n');
    expect(existsSync('pb.retry')).toBe(false);
    const again = await run(
      `
- hosts: all
  gather_facts: false
  tasks: [ { debug: msg=hi } ]
`,
      { args: ['--limit', `@${retry}`] },
    );
    expect(Object.keys(again.recap.hosts)).toEqual(['h1']);
  });

  it('serial batches with max_fail_percentage stop the rollout', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  serial: 1
  max_fail_percentage: 0
  tasks:
    - shell: "[ {{ inventory_hostname }} != h2 ]"
    - copy: { dest: "{{ d }}/{{ inventory_hostname }}-done", content: x }
`,
      { hosts: '    h1: {}\n    h2: {}\n    h3: {}\n' },
    );
    expect(r.code).toBe(2);
    expect(existsSync(join(r.dir, 'h1-done'))).toBe(true);
    expect(existsSync(join(r.dir, 'h3-done'))).toBe(false);
    expect(r.recap.hosts.h3).toBeUndefined();
  });

  it('tags and skip-tags select tasks', async () => {
    const pb = `
- hosts: h1
  gather_facts: false
  tasks:
    - { debug: msg=a, tags: [a] }
    - { debug: msg=b, tags: [b] }
    - { debug: msg=c, tags: [always] }
`;
    expect((await run(pb, { args: ['--tags', 'a'] })).results.map((e: { task: string }) => e.task)).toEqual(['debug msg=a', 'debug msg=c']);
    expect((await run(pb, { args: ['--skip-tags', 'a'] })).results.map((e: { task: string }) => e.task)).toEqual([
      'debug msg=b',
      'debug msg=c',
    ]);
  });

  it('check mode changes nothing, says what would change, honours creates, and --detailed-exitcode flags drift', async () => {
    const r = await run(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - copy: { dest: "{{ d }}/f", content: new }
    - command: touch {{ d }}/touched
    - name: guarded
      command: { cmd: "touch {{ d }}/guarded", creates: "{{ d }}" }
`,
      { args: ['--check', '--diff', '--detailed-exitcode'] },
    );
    expect(r.code).toBe(6);
    expect(existsSync(join(r.dir, 'f'))).toBe(false);
    expect(existsSync(join(r.dir, 'touched'))).toBe(false);
    const copy = r.results[0];
    expect(copy).toMatchObject({ status: 'changed', check: true });
    expect(copy.diffs[0].after).toBe('new');
    // As Ansible: a command without creates/removes is skipped by a check run, which still says what it would run.
    expect(r.results[1]).toMatchObject({ status: 'skipped', changes: [`touch ${r.dir}/touched`] });
    // the path in `creates` exists: the command would not run, so check mode says ok, not "would change"
    expect(r.results[2]).toMatchObject({ task: 'guarded', status: 'ok', changes: [] });
    expect(r.results[2].msg).toContain(`${r.dir} exists`);
  });

  it('an undefined variable inside a template file names it, the file, the task and the host', async () => {
    const r = await run(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - name: render
      template: { src: app.conf.j2, dest: "{{ d }}/app.conf" }
`,
      { files: { 'app.conf.j2': 'listen {{ port }}\nserver_name {{ server_name }}\n' }, hosts: '    h1: { port: 80 }\n' },
    );
    expect(r.code).toBe(2);
    expect(r.results[0]).toMatchObject({ host: 'h1', task: 'render', status: 'failed' });
    expect(r.results[0].msg).toContain(`${join(r.dir, 'app.conf.j2')}:2:16: 'server_name' is undefined`);
    expect(r.results[0].msg).toContain(join(r.dir, 'app.conf.j2'));
    expect(existsSync(join(r.dir, 'app.conf'))).toBe(false);
  });

  it('an undefined variable inside a nested lookup in a task argument names the whole path', async () => {
    const r = await run(`
- hosts: h1
  gather_facts: false
  tasks:
    - name: render
      copy: { dest: "{{ d }}/x", content: "{{ lookup_me | default('ok') }}" }
    - name: nested
      debug: { msg: "{{ inventory_hostname }} {{ some.missing }}" }
      vars: { some: {} }
`);
    expect(r.code).toBe(2);
    expect(r.results[0]).toMatchObject({ task: 'render', status: 'changed' });
    expect(r.results[1]).toMatchObject({ host: 'h1', task: 'nested', status: 'failed' });
    expect(r.results[1].msg).toContain("'dict object' has no attribute 'missing' ('some.missing')");
  });
});
