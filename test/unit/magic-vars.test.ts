import { readFileSync } from 'node:fs';
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
    expect(r1).toEqual([['r2'], ['r2', 'r1'], 'r1']);
    expect(r2).toEqual([['r2'], ['r2', 'r1'], 'r2']);
    expect(version).toEqual({ full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' });
    // Ansible's run tags are a set (printed in a different order each run): compared as one.
    expect(run[0]).toEqual(expect.arrayContaining(['all', 'x']));
    expect(run.slice(1)).toEqual([['y'], true, true, 7, 0]);
    expect(play).toEqual(['Magic play', ['h1'], ['h1'], null, true]);
    expect(roles).toEqual([['r2'], ['r2', 'r1'], 'UNDEF', 'UNDEF']);
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
});
