import { describe, expect, it } from 'vitest';
import { runLocal } from './helpers.js';

describe('local_action', () => {
  it('runs its module on the controller, as delegate_to: localhost, in both its forms', async () => {
    const r = await runLocal(
      `- hosts: all
  gather_facts: false
  tasks:
    - local_action: command echo from the controller
      register: said
      changed_when: false
    - local_action:
        module: ansible.builtin.stat
        path: "{{ d }}/pb.yaml"
      register: st
    - debug: { msg: "{{ [said.stdout, st.stat.exists] }}" }
`,
      { hosts: '    h1: {}\n' },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.results.slice(0, 2).map((e) => e.delegatedTo)).toEqual(['localhost', 'localhost']);
    expect(JSON.parse(String(r.results.at(-1)?.msg))).toEqual(['from the controller', true]);
  });
});
