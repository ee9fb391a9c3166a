import { describe, expect, it } from 'vitest';
import { runLocal } from './helpers.js';

describe('what command and shell register', () => {
  it('holds cmd as Ansible gives it: the words for command, the line for shell, on success and on failure', async () => {
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  tasks:
    - command: test -d /nonexistent-dir
      register: c
      ignore_errors: true
    - shell: test -d /nonexistent-dir && echo x
      register: s
      ignore_errors: true
    - command:
        argv: [echo, a b]
      register: a
    - debug: { msg: "{{ [c.cmd, s.cmd, a.cmd, c.rc] }}" }
`,
      { hosts: '    h1: {}\n' },
    );
    expect(r.code, r.stdout).toBe(0);
    // What ansible-core 2.14.18 registered for the same tasks.
    expect(JSON.parse(String(r.results.at(-1)?.msg))).toEqual([
      ['test', '-d', '/nonexistent-dir'],
      'test -d /nonexistent-dir && echo x',
      ['echo', 'a b'],
      1,
    ]);
  });
});
