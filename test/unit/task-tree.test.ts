import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal as run } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the JSON events
type Event = Record<string, any>;
const lines = (r: { results: Event[] }, host = 'h1') => r.results.filter((e) => e.host === host).map((e) => `${e.status} ${e.task}`);
const ONE = { hosts: '    h1: {}\n' };

describe('the task tree on the controller (local connection)', () => {
  it('rescue runs after a failure and the host is not failed; always runs in both cases', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - name: fails
          command: "false"
        - name: never
          debug: msg=never
      rescue:
        - name: rescued
          copy: { dest: "{{ d }}/rescued", content: "{{ ansible_failed_task.name }} rc={{ ansible_failed_result.rc }}" }
      always:
        - name: always
          debug: msg=always
    - block:
        - { name: ok, debug: msg=fine }
      rescue:
        - { name: not run, debug: msg=no }
      always:
        - { name: always 2, debug: msg=always }
    - block:
        - { name: fails again, command: "false" }
      always:
        - { name: always 3, debug: msg=always }
    - { name: after, debug: msg=after }
`,
      ONE,
    );
    expect(lines(r)).toEqual(['failed fails', 'changed rescued', 'ok always', 'ok ok', 'ok always 2', 'failed fails again', 'ok always 3']);
    expect(readFileSync(join(r.dir, 'rescued'), 'utf8')).toBe('fails rc=1');
    expect(r.recap.hosts.h1).toMatchObject({ failed: 1, rescued: 1 });
    expect(r.code).toBe(2);
  });

  it('include_tasks: per host, per loop item, a file named by a variable, vars as parameters; include_role with tasks_from', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  vars: { kind: part }
  tasks:
    - include_tasks: "{{ kind }}.yml"
      loop: [a, b]
      when: inventory_hostname == 'h1'
      vars: { suffix: "-x" }
    - include_role: { name: r, tasks_from: extra }
      vars: { who: param }
`,
      {
        files: {
          'part.yml': '- name: part {{ item }}\n  copy: { dest: "{{ d }}/{{ inventory_hostname }}-{{ item }}{{ suffix }}", content: x }\n',
          'roles/r/tasks/extra.yml':
            '- copy: { dest: "{{ d }}/{{ inventory_hostname }}-role", content: "{{ who }} {{ role_name }} {{ who_default }}" }\n',
          'roles/r/defaults/main.yml': 'who: default\nwho_default: low\n',
        },
      },
    );
    expect(r.code).toBe(0);
    expect(lines(r, 'h1').filter((l) => l.startsWith('changed'))).toHaveLength(3);
    expect(readFileSync(join(r.dir, 'h1-b-x'), 'utf8')).toBe('x');
    expect(lines(r, 'h2')[0]).toBe('skipped include_tasks {{ kind }}.yml');
    // A looped include is one result with its items, as Ansible reports it.
    expect(
      r.results.filter((e: { host: string; task: string }) => e.host === 'h1' && e.task === 'include_tasks {{ kind }}.yml'),
    ).toMatchObject([
      {
        status: 'ok',
        items: [
          { label: 'a', status: 'ok' },
          { label: 'b', status: 'ok' },
        ],
      },
    ]);
    // and the recap counts each file it loaded, as Ansible's does: 2, and 1 for the include_role
    expect(r.recap.hosts.h1).toMatchObject({ ok: 3, changed: 3 });
    expect(readFileSync(join(r.dir, 'h2-role'), 'utf8')).toBe('param r low');
  });

  it('keywords written as templates are decided per host; environment reaches the command, merged', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  environment: { OUTER: play, BOTH: play }
  vars: { extra_env: { FROM_VAR: "{{ inventory_hostname }}" } }
  tasks:
    - shell: "false"
      ignore_errors: "{{ inventory_hostname == 'h1' }}"
    - environment: { BOTH: block }
      block:
        - shell: echo "$OUTER $BOTH $FROM_VAR" > {{ d }}/{{ inventory_hostname }}-env
          environment: "{{ extra_env }}"
`,
    );
    // The ignored failure shows failed, as Ansible shows it; a templated name is shown rendered.
    expect(lines(r, 'h1')).toEqual(['failed shell false', `changed shell echo "$OUTER $BOTH $FROM_VAR" > ${r.dir}/`]);
    expect(lines(r, 'h2')).toEqual(['failed shell false']);
    expect(readFileSync(join(r.dir, 'h1-env'), 'utf8')).toBe('play block h1\n');
  });

  it('include_vars: a file found with with_first_found, a dir with files_matching, under a name', async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  tasks:
    - include_vars: "{{ item }}"
      with_first_found: [missing.yml, "{{ inventory_hostname }}.yml", default.yml]
    - include_vars: { dir: conf, files_matching: "^app", name: conf }
    - copy: { dest: "{{ d }}/out", content: "{{ color }} {{ conf.a }} {{ conf.b }} {{ conf.skip | default('none') }}" }
`,
      {
        ...ONE,
        files: {
          'vars/h1.yml': 'color: blue\n',
          'default.yml': 'color: grey\n',
          'conf/app1.yml': 'a: 1\n',
          'conf/app2.yml': 'b: 2\n',
          'conf/other.yml': 'skip: 1\n',
        },
      },
    );
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.dir, 'out'), 'utf8')).toBe('blue 1 2 none');
  });

  it("a role template is found in its templates/ before the playbook's; force_handlers runs handlers after a failure", async () => {
    const r = await run(
      `
- hosts: all
  gather_facts: false
  force_handlers: yes
  roles: [web]
  tasks:
    - command: "false"
`,
      {
        ...ONE,
        files: {
          'templates/t.j2': 'the playbook one',
          'roles/web/templates/t.j2': 'the role one',
          'roles/web/tasks/main.yml': '- template: { src: t.j2, dest: "{{ d }}/t" }\n  notify: web changed\n',
          'roles/web/handlers/main.yml': '- name: note\n  listen: web changed\n  copy: { dest: "{{ d }}/handled", content: y }\n',
        },
      },
    );
    expect(readFileSync(join(r.dir, 't'), 'utf8')).toBe('the role one');
    expect(readFileSync(join(r.dir, 'handled'), 'utf8')).toBe('y');
    expect(r.code).toBe(2);
  });

  it('vars_prompt is refused before the run unless -e gives the value', async () => {
    const pb =
      '- hosts: all\n  gather_facts: false\n  vars_prompt:\n    - name: pw\n      prompt: password\n  tasks:\n    - debug: msg="{{ pw }}"\n';
    const refused = await run(pb, ONE);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('vars_prompt asks for "pw": provision does not prompt');
    expect(refused.stderr).toContain('pb.yaml:4:7');
    const given = await run(pb, { ...ONE, args: ['-e', 'pw=x'] });
    expect(given.code).toBe(0);
  });

  it('vars_prompt with a default takes it when there is no terminal, as Ansible does, with its warning', async () => {
    const pb =
      '- hosts: all\n  gather_facts: false\n  vars_prompt:\n    - name: keep\n      prompt: archives\n      default: 7\n  tasks:\n    - debug: msg="{{ keep is string }} {{ keep }}"\n';
    const r = await run(pb, ONE);
    expect(r.code, r.stderr).toBe(0);
    // ansible-core 2.14.18 with stdin not a terminal: "Not prompting as we are not in interactive mode", the default as text.
    expect(r.results.map((e) => e.msg)).toEqual(['True 7']);
    expect(r.events.some((e) => e.event === 'warning' && String(e.msg).includes('Not prompting'))).toBe(true);
    const given = await run(pb, { ...ONE, args: ['-e', 'keep=30'] });
    expect(given.results.map((e) => e.msg)).toEqual(['True 30']);
  });
});
