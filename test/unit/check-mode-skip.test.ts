import { describe, expect, it } from 'vitest';
import { runLocal } from './helpers.js';

describe('modules Ansible does not run in check mode', { timeout: 60_000 }, () => {
  it('tempfile, fetch and assemble are skipped by a check run, with the messages of ansible-core 2.14', async () => {
    const r = await runLocal(
      `
- hosts: all
  gather_facts: false
  tasks:
    - { name: temp, tempfile: { state: directory }, register: t }
    - { name: fetch, fetch: { src: /etc/hostname, dest: got }, register: f }
    - { name: assemble, assemble: { src: frags, remote_src: false, dest: "{{ d }}/asm" }, register: a }
    - { name: show, debug: { msg: "{{ t.msg }}|{{ f.msg }}|{{ a.msg }}|{{ t is skipped }}" } }
`,
      { hosts: '    h1: {}\n', files: { 'frags/a': 'a\n' }, args: ['--check'] },
    );
    expect(r.code, r.stderr).toBe(0);
    const status = Object.fromEntries(r.results.map((e: { task: string; status: string }) => [e.task, e.status]));
    expect(status).toEqual({ temp: 'skipped', fetch: 'skipped', assemble: 'skipped', show: 'ok' });
    // What ansible-playbook --check printed for the same tasks.
    expect(r.results.find((e: { task: string }) => e.task === 'show')?.msg).toBe(
      'remote module (tempfile) does not support check mode|check mode not (yet) supported for this module|check mode is not supported for this task.|True',
    );
  });
});
