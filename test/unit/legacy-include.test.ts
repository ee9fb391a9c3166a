import { describe, expect, it } from 'vitest';
import { runLocal } from './helpers.js';

describe('the old include', () => {
  it('is an import unless its file is a template, it loops or it is inside a dynamic include', async () => {
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  vars: { f: t.yml }
  tasks:
    - name: static
      include: t.yml
    - name: templated
      include: "{{ f }}"
    - name: looped
      include: t.yml
      loop: [1]
    - name: dynamic parent
      include_tasks: outer.yml
`,
      {
        hosts: '    h1: {}\n',
        files: {
          't.yml': '- name: inner\n  debug: { msg: x }\n',
          'outer.yml': '- name: nested\n  include: t.yml\n',
        },
      },
    );
    expect(r.code, r.stdout).toBe(0);
    // ansible-core 2.14.18 decides static or dynamic this way (playbook/helpers.py); a static one has no result line.
    expect(r.results.map((e) => e.task)).toEqual(['inner', 'templated', 'inner', 'looped', 'inner', 'dynamic parent', 'nested', 'inner']);
  });
});
