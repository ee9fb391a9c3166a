import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the JSON events
type Event = Record<string, any>;
/** What each debug task printed (`msg`, or the value of `var = value`), read back from its JSON. */
const printed = (r: { results: Event[] }) =>
  r.results.filter((e) => e.host === 'h1').map((e) => JSON.parse(String(e.msg).replace(/^[\w.]+ = /, '')));
const ONE = { hosts: '    h1: {}\n' };

// The values Ansible (ansible-core 2.14.18) printed for the same playbook on this machine, run with
// `--tags all,x --skip-tags y --check --diff -f 7`, a role r2 depending on r1, and no ansible.cfg.
describe('magic variables as Ansible gives them', () => {
  it('gives the run, play and role variables', async () => {
    const r = await runLocal(
      `- name: Magic play
  hosts: all
  gather_facts: false
  roles: [r2]
  tasks:
    - debug: var=ansible_version
    - debug:
        msg: "{{ [ansible_run_tags, ansible_skip_tags, ansible_check_mode, ansible_diff_mode, ansible_forks, ansible_verbosity] }}"
    - debug:
        msg: "{{ [ansible_play_name, ansible_play_hosts_all, ansible_play_batch, ansible_config_file, playbook_dir == d] }}"
    - debug:
        msg: "{{ [role_names, ansible_role_names, ansible_parent_role_names | default('UNDEF'), ansible_managed | default('UNDEF')] }}"
`,
      {
        ...ONE,
        args: ['--tags', 'all,x', '--skip-tags', 'y', '--check', '--diff', '-f', '7'],
        files: {
          'roles/r1/tasks/main.yml': '- debug:\n    msg: "{{ [role_names, ansible_role_names, role_name] }}"\n',
          'roles/r2/tasks/main.yml': '- debug:\n    msg: "{{ [role_names, ansible_role_names, role_name] }}"\n',
          'roles/r2/meta/main.yml': 'dependencies: [r1]\n',
        },
      },
    );
    expect(r.code).toBe(0);
    const [r1, r2, version, run, play, roles] = printed(r);
    // ansible_role_names is a Python set in Ansible (its order changes from run to run): compared sorted.
    const sorted = (v: unknown[]) => [v[0], [...(v[1] as string[])].sort(), v[2]];
    expect(sorted(r1)).toEqual([['r2'], ['r1', 'r2'], 'r1']);
    expect(sorted(r2)).toEqual([['r2'], ['r1', 'r2'], 'r2']);
    expect(version).toEqual({ full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' });
    // Ansible's run tags are a set (printed in a different order each run): compared as one.
    expect(run[0]).toEqual(expect.arrayContaining(['all', 'x']));
    expect(run.slice(1)).toEqual([['y'], true, true, 7, 0]);
    expect(play).toEqual(['Magic play', ['h1'], ['h1'], null, true]);
    expect([roles[0], [...roles[1]].sort(), ...roles.slice(2)]).toEqual([['r2'], ['r1', 'r2'], 'UNDEF', 'UNDEF']);
  });

  it('defaults run tags to [all], gives -v as ansible_verbosity and inventory_file/dir', async () => {
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  tasks:
    - debug:
        msg: "{{ [ansible_run_tags, ansible_skip_tags, ansible_check_mode, ansible_diff_mode, ansible_verbosity, inventory_file == d ~ '/inv.yaml', inventory_dir == d] }}"
`,
      { ...ONE, args: ['-v'] },
    );
    expect(printed(r)[0]).toEqual([['all'], [], false, false, 1, true, true]);
  });

  it("renders ansible_managed in a template as Ansible's default, and drops an argument given omit", async () => {
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  tasks:
    - template: src=t.j2 dest={{ d }}/t.out mode={{ omit }}
    - file:
        path: "{{ d }}/touched"
        state: touch
        owner: "{{ omit }}"
`,
      { ...ONE, files: { 't.j2': '# {{ ansible_managed }}\nx={{ ansible_config_file }}\n' } },
    );
    expect(r.code).toBe(0);
    // What Ansible's template module wrote for the same template with no ansible.cfg.
    expect(readFileSync(join(r.dir, 't.out'), 'utf8')).toBe('# Ansible managed\nx=\n');
  });

  it("role names: the play's roles, their dependencies, and the parents of an imported or included role, as Ansible gives them", async () => {
    const show =
      '- debug:\n    msg: "{{ [role_name, role_names, ansible_play_role_names, ansible_dependent_role_names | sort, ansible_role_names | sort, ansible_parent_role_names | default(\'UNDEF\')] }}"\n';
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  pre_tasks:
    - import_role: { name: r7 }
  roles:
    - r3
    - { role: r2, x: 1 }
    - { role: r2, x: 2 }
  tasks:
    - include_role: { name: r6 }
`,
      {
        ...ONE,
        files: {
          ...Object.fromEntries(['r1', 'r2', 'r5', 'r6', 'r7', 'r8', 'r9'].map((n) => [`roles/${n}/tasks/main.yml`, show])),
          'roles/r2/meta/main.yml': 'dependencies: [r1]\n',
          'roles/r3/tasks/main.yml': `${show}- import_role: { name: r4 }\n- include_role: { name: r5 }\n`,
          'roles/r4/tasks/main.yml': `${show}- include_role: { name: r8 }\n`,
          'roles/r4/meta/main.yml': 'dependencies: [r9]\n',
        },
      },
    );
    expect(r.code, r.stdout).toBe(0);
    // What ansible-core 2.14.18 printed for the same project (the dependency and all-role sets sorted).
    const play = ['r3', 'r2', 'r2', 'r4', 'r7'];
    const all = ['r1', 'r2', 'r3', 'r4', 'r7', 'r9'];
    const seen = (role: string, parents: string[] | 'UNDEF') => [role, play, play, ['r1', 'r9'], all, parents];
    const lists = r.results.filter((e) => String(e.msg).startsWith('[')).map((e) => JSON.parse(String(e.msg)));
    expect(lists).toEqual([
      seen('r7', 'UNDEF'),
      seen('r3', 'UNDEF'),
      seen('r9', ['r3']),
      seen('r4', ['r3']),
      seen('r8', ['r4', 'r3']),
      seen('r5', ['r3']),
      seen('r1', 'UNDEF'),
      seen('r2', 'UNDEF'),
      seen('r2', 'UNDEF'),
      seen('r6', 'UNDEF'),
    ]);
  });

  it('include_role with public: true adds the role to role_names, once per include a host reaches, play-wide', async () => {
    const show = '- debug: { msg: "{{ role_names }}" }\n';
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  tasks:
    - include_role: { name: priv }
    - debug: { msg: "{{ role_names }}" }
    - include_role: { name: pub, public: true }
    - include_role: { name: pub2, public: true }
      when: inventory_hostname == 'h1'
    - debug: { msg: "{{ [role_names, ansible_play_role_names, ansible_role_names | sort] }}" }
    - include_role: { name: "{{ item }}", public: true }
      loop: [pub2, pub]
    - debug: { msg: "{{ role_names }}" }
`,
      { files: Object.fromEntries(['priv', 'pub', 'pub2'].map((n) => [`roles/${n}/tasks/main.yml`, show])) },
    );
    expect(r.code, r.stdout).toBe(0);
    // What ansible-core 2.14.18 printed for the same project on hosts h1 and h2: h2 sees the role
    // only h1 included, and both items of the loop are added before either runs.
    const both = ['pub', 'pub2'];
    const last = ['pub', 'pub2', 'pub2', 'pub'];
    const lists = (host: string) =>
      r.results.filter((e) => e.host === host && String(e.msg).startsWith('[')).map((e) => JSON.parse(String(e.msg)));
    expect(lists('h1')).toEqual([[], [], ['pub'], both, [both, both, both], last, last, last]);
    expect(lists('h2')).toEqual([[], [], ['pub'], [both, both, both], last, last, last]);
  });

  it('the imported roles of role_names follow Ansible’s load order: roles, pre_tasks, post_tasks, tasks', async () => {
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  roles: [r1]
  pre_tasks:
    - import_role: { name: r2 }
  tasks:
    - import_role: { name: r3 }
    - debug: { msg: "{{ role_names }}" }
  post_tasks:
    - import_role: { name: r4 }
`,
      { ...ONE, files: Object.fromEntries(['r1', 'r2', 'r3', 'r4'].map((n) => [`roles/${n}/tasks/main.yml`, '- debug: { msg: "0" }\n'])) },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(printed(r).at(-2)).toEqual(['r1', 'r2', 'r4', 'r3']);
  });

  it('renders ansible_managed with its placeholders and the template_* variables, in a template and the template lookup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-managed-'));
    const cfg = join(dir, 'ansible.cfg');
    writeFileSync(cfg, '[defaults]\nansible_managed = Ansible managed: {file} modified on %Y-%m-%d %H:%M:%S by {uid} on {host} %% {{x}}\n');
    const before = process.env.ANSIBLE_CONFIG;
    process.env.ANSIBLE_CONFIG = cfg;
    try {
      const t =
        '# {{ ansible_managed }}\npath={{ template_path }} full={{ template_fullpath == d ~ "/templates/t.j2" }} uid={{ template_uid }} host={{ template_host }} dest={{ template_destpath }}\nmtime={{ template_mtime | type_debug }} run={{ template_run_date | type_debug }}\n';
      const r = await runLocal(
        `- hosts: all
  gather_facts: false
  tasks:
    - template: { src: t.j2, dest: "{{ d }}/out" }
    - template: { src: templates/t.j2, dest: "{{ d }}/out2" }
    - debug: { msg: "{{ lookup('template', 'l.j2') }}" }
    - debug: { msg: "{{ ansible_managed | default('UNDEF') }}" }
`,
        {
          ...ONE,
          files: { 'templates/t.j2': t, 'templates/l.j2': 'L {{ ansible_managed }} {{ template_path }} {{ template_destpath }}\n' },
          beforeRun: (d: string) => {
            // 2024-03-05 06:07:08 in the controller's time zone, where Ansible's strftime reads it.
            const at = new Date(2024, 2, 5, 6, 7, 8);
            for (const f of ['templates/t.j2', 'templates/l.j2']) utimesSync(join(d, f), at, at);
          },
        },
      );
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const uid = userInfo().username;
      const managed = (file: string) => `Ansible managed: ${file} modified on 2024-03-05 06:07:08 by ${uid} on ${hostname()} % {x}`;
      // What Ansible's template module wrote and its lookup gave for the same templates and ansible.cfg.
      expect(readFileSync(join(r.dir, 'out'), 'utf8')).toBe(
        `# ${managed('t.j2')}\npath=t.j2 full=True uid=${uid} host=${hostname()} dest=${join(r.dir, 'out')}\nmtime=datetime run=datetime\n`,
      );
      expect(readFileSync(join(r.dir, 'out2'), 'utf8')).toContain(`# ${managed('templates/t.j2')}\npath=templates/t.j2 `);
      expect(r.results.map((e) => e.msg).slice(2)).toEqual([`L ${managed('l.j2')} l.j2 \n`, 'UNDEF']);
    } finally {
      if (before === undefined) delete process.env.ANSIBLE_CONFIG;
      else process.env.ANSIBLE_CONFIG = before;
    }
  });
});
