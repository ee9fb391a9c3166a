import { describe, expect, it } from 'vitest';
import { reportsChanged } from '../../src/engine/results.js';
import { decideUnit } from '../../src/modules/systemd.js';
import { runLocal as run } from './helpers.js';

const quiet = { active: 'active', enabled: 'enabled', needReload: true };

describe("a task's changed, as Ansible reports it", { timeout: 60_000 }, () => {
  it('daemon_reexec and daemon_reload run but do not make the task changed; a start does', () => {
    expect(reportsChanged(decideUnit({ daemon_reexec: true, daemon_reload: true, name: 'k' }, quiet), false)).toBe(false);
    expect(reportsChanged(decideUnit({ daemon_reexec: true, name: 'k', state: 'restarted' }, quiet), false)).toBe(true);
  });

  it('a module that fails changed nothing; a failed command did (Ansible 2.14 on localhost)', async () => {
    const r = await run(`
- hosts: h1
  gather_facts: false
  tasks:
    - copy: { dest: /proc/provision-cannot-write, content: x }
      register: w
      ignore_errors: true
    - file: { path: /proc/provision-cannot-mkdir, state: directory }
      register: f
      ignore_errors: true
    - command: "false"
      register: c
      ignore_errors: true
    - debug: msg="{{ w.changed }} {{ f.changed }} {{ c.changed }}"
`);
    expect(r.results.map((e: { status: string }) => e.status)).toEqual(['failed', 'failed', 'failed', 'ok']);
    expect(r.results[3].msg).toBe('False False True');
  });
});
