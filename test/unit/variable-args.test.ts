import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal } from './helpers.js';

// What ansible-core 2.14.18 did with the same tasks against localhost: the arguments come from the
// variable, the task's own win over its keys, anything but a mapping fails the task, and each task
// given its arguments so warns.
describe('task arguments given as a variable', () => {
  it('debug: "{{ m }}", args: "{{ m }}", copy: "{{ c }}"; own arguments win; a string or a list fails', async () => {
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  vars:
    m: { msg: hello from m }
    c: { dest: "{{ d }}/out", content: "from c\\n" }
    both: { msg: from-both, verbosity: 0 }
    s: "msg=from-a-string"
  tasks:
    - debug: "{{ m }}"
    - debug:
      args: "{{ m }}"
    - copy: "{{ c }}"
    - debug: "{{ both }}"
    - debug: "{{ m }} verbosity=0"
    - debug: msg=inline
      args: "{{ m }}"
    - debug: "{{ item }}"
      loop: [{ msg: one }, { msg: two }]
    - debug: "{{ s }}"
      ignore_errors: true
    - debug: "{{ [1, 2] }}"
      ignore_errors: true
`,
      { hosts: '    h1: {}\n' },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.results.map((e) => [e.status, e.msg])).toEqual([
      ['ok', 'hello from m'],
      ['ok', 'hello from m'],
      ['changed', undefined],
      ['ok', 'from-both'],
      ['ok', 'hello from m'],
      ['ok', 'inline'],
      ['ok', 'one\ntwo'],
      ['failed', "invalid or malformed argument: 'msg=from-a-string'"],
      ['failed', "invalid or malformed argument: '[1, 2]'"],
    ]);
    expect(readFileSync(join(r.dir, 'out'), 'utf8')).toBe('from c\n');
    const warnings = r.events.filter((e) => e.event === 'warning' && String(e.msg).startsWith("Using a variable for a task's 'args'"));
    expect(warnings).toHaveLength(7);
  });

  it('args: with a bare word is refused at load as Ansible refuses it', async () => {
    const r = await runLocal('- hosts: all\n  gather_facts: false\n  tasks:\n    - debug:\n      args: m\n', { hosts: '    h1: {}\n' });
    expect(r.code).toBe(4);
    expect(r.stderr + r.stdout).toContain('Complex args containing variables cannot use bare variables');
  });
});
