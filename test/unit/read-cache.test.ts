import { describe, expect, it } from 'vitest';
import { runLocal } from './helpers.js';

/** One host on the controller itself (ansible_connection: local), through the real engine and its read cache. */
const run = (playbook: string, args: string[] = []) => runLocal(playbook, { args, hosts: '    h1: {}\n' });

describe('reads across tasks', () => {
  it('a later task sees what an earlier change did; an unchanged host is read once', async () => {
    const r = await run(`
- hosts: h1
  gather_facts: false
  tasks:
    - { name: make x, command: { argv: [touch, "{{ d }}/x"], creates: "{{ d }}/x" } }
    - { name: make x again, command: { argv: [touch, "{{ d }}/x"], creates: "{{ d }}/x" } }
    - { name: once more, command: { argv: [touch, "{{ d }}/x"], creates: "{{ d }}/x" } }
`);
    expect(r.code).toBe(0);
    expect(r.results.map((e) => [e.task, e.status, e.roundTrips])).toEqual([
      ['make x', 'changed', 2],
      ['make x again', 'ok', 1],
      ['once more', 'ok', 0],
    ]);
  });

  it('check mode applies nothing, so what was read stays true for later tasks', async () => {
    const r = await run(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - { name: would make x, command: { argv: [touch, "{{ d }}/x"], creates: "{{ d }}/x" } }
    - { name: would still make x, command: { argv: [touch, "{{ d }}/x"], creates: "{{ d }}/x" } }
`,
      ['--check'],
    );
    expect(r.results.map((e) => [e.task, e.status, e.roundTrips])).toEqual([
      ['would make x', 'changed', 1],
      ['would still make x', 'changed', 0],
    ]);
  });
});
