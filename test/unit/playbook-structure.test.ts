import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlaybook, type Play } from '../../src/config/playbook.js';
import { type IncludeNode, staticTasks, type TaskNode } from '../../src/config/task-list.js';
import { must, ProvisionError } from '../../src/errors.js';

/** A project on disk: `files` maps relative paths to their text; the playbook is site.yml. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'prov-structure-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function load(files: Record<string, string>, opts = {}): Play {
  const dir = project(files);
  return must(loadPlaybook(join(dir, 'site.yml'), opts).plays[0], 'the first play');
}

function loadError(files: Record<string, string>): ProvisionError {
  const dir = project(files);
  try {
    loadPlaybook(join(dir, 'site.yml'));
  } catch (err) {
    if (err instanceof ProvisionError) return err;
    throw err;
  }
  throw new Error('the playbook loaded');
}

const names = (nodes: TaskNode[]) => staticTasks(nodes).map((t) => t.name);
const kinds = (nodes: TaskNode[]) => nodes.map((n) => n.kind);

const envBefore = process.env.ANSIBLE_ROLES_PATH;
afterEach(() => {
  if (envBefore === undefined) delete process.env.ANSIBLE_ROLES_PATH;
  else process.env.ANSIBLE_ROLES_PATH = envBefore;
});

describe('roles', () => {
  const roleFiles = {
    'roles/base/tasks/main.yml': '- name: base task\n  debug: msg=base\n',
    'roles/base/defaults/main.yml': 'base_port: 1\nshared: from-base-defaults\n',
    'roles/web/meta/main.yml': 'dependencies:\n  - base\n',
    'roles/web/tasks/main.yml': '- name: web task\n  debug: msg=web\n  notify: reload web\n',
    'roles/web/handlers/main.yml': '- name: reload web\n  debug: msg=reload\n',
    'roles/web/defaults/main.yml': 'web_port: 80\n',
    'roles/web/vars/main.yaml': 'web_user: www\n',
  };

  it('runs pre_tasks, roles (dependencies first), tasks and post_tasks in order, flushing handlers between', () => {
    const play = load({
      ...roleFiles,
      'site.yml': `
- hosts: all
  pre_tasks: [{ name: pre, debug: msg=pre }]
  roles: [web]
  tasks: [{ name: main, debug: msg=main }]
  post_tasks: [{ name: post, debug: msg=post }]
`,
    });
    expect(names(play.tasks)).toEqual(['pre', 'base : base task', 'web : web task', 'main', 'post']);
    expect(kinds(play.tasks)).toEqual(['task', 'flush', 'task', 'task', 'task', 'flush', 'task', 'flush']);
    // the role's handler answers to its own name and to "role : name"
    expect(play.handlers.map((h) => [h.name, h.listen])).toEqual([['web : reload web', ['reload web']]]);
    expect(play.roles.map((r) => r.name)).toEqual(['base', 'web']);
    expect(play.roles[1]).toMatchObject({ defaults: { web_port: 80 }, vars: { web_user: 'www' } });
  });

  it('a role runs once per play, again with other parameters or allow_duplicates; a dependency once', () => {
    const play = load({
      ...roleFiles,
      'site.yml': `
- hosts: all
  roles:
    - web
    - web
    - { role: web, web_port: 81 }
`,
    });
    expect(names(play.tasks)).toEqual(['base : base task', 'web : web task', 'web : web task']);
    const dup = load({
      ...roleFiles,
      'roles/web/meta/main.yml': 'allow_duplicates: true\n',
      'site.yml': '- hosts: all\n  roles: [web, web]\n',
    });
    expect(names(dup.tasks)).toEqual(['web : web task', 'web : web task']);
  });

  it('role entries carry when, tags and become to every task, params above vars, role_name and role_path', () => {
    const play = load({
      ...roleFiles,
      'site.yml': `
- hosts: all
  roles:
    - role: web
      when: ansible_os_family == 'Debian'
      tags: [web]
      become: yes
      vars: { web_user: nobody }
      web_port: 8080
`,
    });
    const [base, web] = staticTasks(play.tasks);
    expect(base).toMatchObject({ when: ["ansible_os_family == 'Debian'"], tags: ['web'], become: true });
    expect(web?.params).toMatchObject({ web_port: 8080, role_name: 'web' });
    expect(web?.params.role_path).toMatch(/roles\/web$/);
    expect(web?.role?.vars).toEqual({ web_user: 'nobody' });
  });

  it('finds roles beside the playbook, in rolesPath, in ANSIBLE_ROLES_PATH, and by namespaced names', () => {
    const shared = project({ 'acme.ntp/tasks/main.yml': '- name: ntp\n  debug: msg=ntp\n' });
    const site = { 'site.yml': '- hosts: all\n  roles: [acme.ntp]\n' };
    expect(names(load(site, { rolesPath: [shared] }).tasks)).toEqual(['acme.ntp : ntp']);
    process.env.ANSIBLE_ROLES_PATH = `/nonexistent:${shared}`;
    expect(names(load(site).tasks)).toEqual(['acme.ntp : ntp']);
    delete process.env.ANSIBLE_ROLES_PATH;
    const err = loadError(site);
    expect(err.message).toBe('role "acme.ntp" not found');
    expect(err.hint).toContain('roles/acme.ntp');
    expect(err.location?.line).toBe(2);
  });

  it('import_role with tasks_from, vars_from, defaults_from', () => {
    const play = load({
      'roles/db/tasks/main.yml': '- debug: msg=main\n',
      'roles/db/tasks/backup.yml': '- name: backup\n  debug: msg=backup\n',
      'roles/db/vars/backup.yml': 'mode: backup\n',
      'roles/db/defaults/small.yml': 'size: 1\n',
      'site.yml': `
- hosts: all
  tasks:
    - import_role:
        name: db
        tasks_from: backup
        vars_from: backup.yml
        defaults_from: small
`,
    });
    expect(names(play.tasks)).toEqual(['db : backup']);
    expect(play.roles[0]).toMatchObject({ vars: { mode: 'backup' }, defaults: { size: 1 } });
  });
});

describe('imports, includes and blocks', () => {
  it('import_tasks copies when, tags and vars onto each imported task', () => {
    const play = load({
      'tasks/a.yml': '- name: a1\n  debug: msg=a1\n- name: a2\n  debug: msg=a2\n  tags: own\n',
      'site.yml': `
- hosts: all
  tasks:
    - import_tasks: tasks/a.yml
      when: x is defined
      tags: [imp]
      vars: { p: 1 }
`,
    });
    const [a1, a2] = staticTasks(play.tasks);
    expect(a1).toMatchObject({ name: 'a1', when: ['x is defined'], tags: ['imp'], vars: { p: 1 }, params: {} });
    expect(a2?.tags).toEqual(['imp', 'own']);
  });

  it('include_tasks stays an include, decided per host; apply passes keywords down', () => {
    const play = load({
      'site.yml': `
- hosts: all
  tasks:
    - include_tasks:
        file: "{{ kind }}.yml"
        apply: { become: yes, tags: [x] }
      loop: [a, b]
      when: run_it
      tags: [inc]
`,
    });
    const inc = play.tasks.find((n) => n.kind === 'include') as IncludeNode;
    expect(inc).toMatchObject({
      kind: 'include',
      target: '{{ kind }}.yml',
      loop: { kind: 'list', value: ['a', 'b'] },
      when: ['run_it'],
      tags: ['inc'],
    });
    expect(inc.scope).toMatchObject({ become: true, tags: ['x'] });
  });

  it('a block hands when, tags, vars, become, environment and ignore_errors to its tasks, inner values winning', () => {
    const play = load({
      'site.yml': `
- hosts: all
  environment: { A: play }
  tasks:
    - name: outer
      when: a
      tags: t1
      become: true
      become_user: app
      vars: { v: block, w: block }
      environment: { B: block }
      ignore_errors: yes
      block:
        - name: inner
          debug: msg=x
          when: b
          vars: { w: task }
          environment: { A: task }
      rescue:
        - debug: msg=r
      always:
        - debug: msg=a
`,
    });
    expect(kinds(play.tasks)).toEqual(['flush', 'block', 'flush', 'flush']);
    const [inner] = staticTasks(play.tasks);
    expect(inner).toMatchObject({
      when: ['a', 'b'],
      tags: ['t1'],
      become: true,
      becomeUser: 'app',
      ignoreErrors: true,
      vars: { v: 'block', w: 'task' },
      environment: [{ A: 'play' }, { B: 'block' }, { A: 'task' }],
    });
    expect(names(play.tasks)).toEqual(['inner', 'debug msg=r', 'debug msg=a']);
  });

  it("import_playbook brings the other file's plays in its place, with its tags", () => {
    const dir = project({
      'other.yml': '- hosts: all\n  tasks: [{ name: other, debug: msg=o }]\n',
      'site.yml': '- hosts: all\n  tasks: [{ name: first, debug: msg=f }]\n- import_playbook: other.yml\n  tags: [o]\n',
    });
    const pb = loadPlaybook(join(dir, 'site.yml'));
    expect(pb.plays.map((p) => names(p.tasks))).toEqual([['first'], ['other']]);
    expect(staticTasks(must(pb.plays[1], 'play 2').tasks)[0]?.tags).toEqual(['o']);
  });
});

describe('keywords', () => {
  it('reads YAML 1.1 yes/no words as Ansible does and keeps templates for the run', () => {
    const play = load({
      'site.yml': `
- hosts: all
  become: yes
  gather_facts: no
  force_handlers: On
  tasks:
    - debug: msg=x
      become: "off"
      check_mode: "N"
      ignore_errors: "{{ ansible_check_mode }}"
      no_log: 1
`,
    });
    expect(play).toMatchObject({ become: true, gatherFacts: false, forceHandlers: true });
    expect(staticTasks(play.tasks)[0]).toMatchObject({
      become: false,
      checkMode: false,
      noLog: true,
      ignoreErrors: false,
      templated: { ignoreErrors: '{{ ansible_check_mode }}' },
    });
  });

  it('action:, args: and the action form with a mapping', () => {
    const play = load({
      'site.yml': `
- hosts: all
  tasks:
    - action: command echo hi
      args: { chdir: /tmp }
    - action: { module: copy, dest: /tmp/x, content: y }
`,
    });
    const [a, b] = staticTasks(play.tasks);
    expect(a).toMatchObject({ module: 'command', args: { chdir: '/tmp', cmd: 'echo hi' } });
    expect(b).toMatchObject({ module: 'copy', args: { dest: '/tmp/x', content: 'y' } });
  });

  it.each([
    ['async: 60', 'on a task', '"async" on a task is an Ansible keyword provision does not support yet'],
    [
      'with_inventory_hostnames: all',
      'on a task',
      '"with_inventory_hostnames" on a task is an Ansible keyword provision does not support yet',
    ],
  ])('a real Ansible keyword not supported yet is named as such: %s', (line) => {
    const err = loadError({ 'site.yml': `- hosts: all\n  tasks:\n    - debug: msg=x\n      ${line}\n` });
    expect(err.message).toMatch(/is an Ansible keyword provision does not support yet$/);
    expect(err.message).not.toMatch(/unknown|typo|did you mean/);
    expect(err.location).toMatchObject({ line: 4, col: 7 });
  });

  it('reads YAML 1.1 words (yes/no/on/off) on the strategy keywords as Ansible does', () => {
    const play = load({
      'site.yml': `- hosts: all
  ignore_unreachable: yes
  tasks:
    - debug: msg=x
      run_once: yes
      delegate_to: localhost
      delegate_facts: on
      any_errors_fatal: "no"
      ignore_unreachable: off
    - debug: msg=y
      run_once: "{{ once }}"
`,
    });
    expect(play.strategy.ignoreUnreachable).toBe(true);
    const [first, second] = staticTasks(play.tasks);
    expect(first?.strategy).toMatchObject({ runOnce: true, delegateFacts: true, anyErrorsFatal: false, ignoreUnreachable: false });
    expect(second?.strategy.runOnce).toBe('{{ once }}');
    const bad = loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - debug: msg=x\n      run_once: maybe\n' });
    expect(bad.message).toContain('expected yes/no');
  });

  it('on a play too, and a typo still gets "did you mean"', () => {
    const strategy = loadError({ 'site.yml': '- hosts: all\n  strategy: debug\n  tasks: []\n' });
    expect(strategy.message).toBe('strategy: debug is not supported; provision supports linear and free');
    const connection = loadError({ 'site.yml': '- hosts: all\n  connection: paramiko\n  tasks: []\n' });
    expect(connection.message).toBe('connection: paramiko is not supported: provision connects with ssh or local');
    const onTask = loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - debug: msg=x\n      connection: local\n' });
    expect(onTask.message).toBe('"connection" on a task is an Ansible keyword provision does not support yet');
    const typo = loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - debug: msg=x\n      whne: x\n' });
    expect(typo.hint).toBe('did you mean "when"?');
    const playTypo = loadError({ 'site.yml': '- hosts: all\n  rolse: [x]\n' });
    expect(playTypo.hint).toContain('did you mean "roles"?');
  });

  it('refuses what Ansible refuses: a loop on a block or on an import, keywords on an include that only apply to it', () => {
    expect(loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - block: []\n      loop: [1]\n' }).message).toContain(
      '"loop" is not valid on a block',
    );
    expect(loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - import_tasks: a.yml\n      loop: [1]\n' }).message).toContain(
      'cannot loop',
    );
    const inc = loadError({ 'site.yml': '- hosts: all\n  tasks:\n    - include_tasks: a.yml\n      become: yes\n' });
    expect(inc.message).toContain('applies to the include only');
    expect(inc.hint).toContain('apply:');
  });
});
