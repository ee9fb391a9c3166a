import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal as run } from './helpers.js';

// Registered loop results compared key by key with what ansible-core 2.14.18 registered for the
// same tasks here (a playbook against localhost dumping each registered value as JSON).
describe('loops on a host (local connection)', { timeout: 120_000 }, () => {
  it('register, when per item, loop_control, an undefined loop under a false when', async () => {
    const r = await run(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - debug: { msg: "{{ item }}" }
      loop: [a, b, c]
      when: item != 'b'
      register: r_loop
    - debug: msg=x
      loop: [1]
      when: false
      register: r_allskip
    - debug: msg=x
      loop: []
      register: r_empty
    - debug: { msg: "m{{ item }}" }
      loop: [1, 2, 3]
      when: item != 1
      failed_when: item == 2
      ignore_errors: true
      register: r_fail
    - debug: { msg: "{{ x }} {{ i }} {{ ansible_loop.index }}" }
      loop: [p, q]
      loop_control: { loop_var: x, index_var: i, extended: true, extended_allitems: false, label: "L{{ x }}" }
      register: r_ext
    - debug: msg=x
      loop: "{{ nope }}"
      when: nope is defined
      register: r_undef
    - copy:
        dest: "{{ d }}/regs.json"
        content: "regs={{ {'r_loop': r_loop, 'r_allskip': r_allskip, 'r_empty': r_empty, 'r_fail': r_fail, 'r_ext': r_ext, 'r_undef': r_undef} | to_json }}"
`,
      { hosts: '    h1: {}\n' },
    );
    const regs = JSON.parse(readFileSync(join(r.dir, 'regs.json'), 'utf8').replace(/^regs=/, ''));
    expect(regs.r_loop).toEqual({
      changed: false,
      msg: 'All items completed',
      skipped: false,
      results: [
        { ansible_loop_var: 'item', changed: false, failed: false, item: 'a', msg: 'a' },
        { ansible_loop_var: 'item', changed: false, item: 'b', skip_reason: 'Conditional result was False', skipped: true },
        { ansible_loop_var: 'item', changed: false, failed: false, item: 'c', msg: 'c' },
      ],
    });
    expect(regs.r_allskip).toEqual({
      changed: false,
      msg: 'All items skipped',
      skipped: true,
      results: [{ ansible_loop_var: 'item', changed: false, item: 1, skip_reason: 'Conditional result was False', skipped: true }],
    });
    expect(regs.r_undef).toEqual({ changed: false, skip_reason: 'Conditional result was False', skipped: true });
    expect(regs.r_empty).toEqual({ changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] });
    expect(regs.r_fail).toEqual({
      changed: false,
      failed: true,
      msg: 'One or more items failed',
      skipped: false,
      results: [
        { ansible_loop_var: 'item', changed: false, item: 1, skip_reason: 'Conditional result was False', skipped: true },
        { ansible_loop_var: 'item', changed: false, failed: true, failed_when_result: true, item: 2, msg: 'm2' },
        { ansible_loop_var: 'item', changed: false, failed: false, failed_when_result: false, item: 3, msg: 'm3' },
      ],
    });
    expect(regs.r_ext.results[1]).toEqual({
      ansible_index_var: 'i',
      ansible_loop: { first: false, index: 2, index0: 1, last: true, length: 2, previtem: 'p', revindex: 1, revindex0: 0 },
      ansible_loop_var: 'x',
      changed: false,
      failed: false,
      i: 1,
      msg: 'q 1 2',
      x: 'q',
    });
    const byTask = r.results.map((e: { status: string; items?: unknown }) => [e.status, e.items]);
    expect(byTask).toEqual([
      [
        'ok',
        [
          { label: 'a', status: 'ok' },
          { label: 'b', status: 'skipped' },
          { label: 'c', status: 'ok' },
        ],
      ],
      ['skipped', [{ label: '1', status: 'skipped' }]],
      ['skipped', []],
      [
        // An ignored failure is shown failed (ignored) as Ansible shows it; the recap counts it ok.
        'failed',
        [
          { label: '1', status: 'skipped' },
          { label: '2', status: 'failed' },
          { label: '3', status: 'ok' },
        ],
      ],
      [
        'ok',
        [
          { label: 'Lp', status: 'ok' },
          { label: 'Lq', status: 'ok' },
        ],
      ],
      ['skipped', undefined],
      ['changed', undefined],
    ]);
  });
});
