import { describe, expect, it } from 'vitest';
import { DECIDED_AT_APPLY, decidedAtApplyMessage, UnknownUntilApply } from '../../src/engine/unknown-until-apply.js';
import { runLocal } from './helpers.js';

describe('values unknown until apply', () => {
  it('finds the unknown variables a task reads in conditions, templates and expressions', () => {
    const u = new UnknownUntilApply();
    u.registeredFrom('out', 'Read it');
    expect(u.readBy({ conditions: ['other == 1'], templates: [{ msg: '{{ other }}' }] })).toEqual([]);
    expect(u.readBy({ conditions: ["out.stdout == '12'"], templates: [] })).toEqual([{ variable: 'out', task: 'Read it' }]);
    expect(u.readBy({ conditions: [], templates: [{ content: ['x {{ out.stdout | int }}'] }] })).toHaveLength(1);
    expect(u.readBy({ conditions: [], templates: [], expressions: ['out.stdout'] })).toHaveLength(1);
    // A guarded read does not need the value.
    expect(u.readBy({ conditions: ['out is defined'], templates: [] })).toEqual([]);
  });

  it('carries the first source through derived variables until a known value replaces them', () => {
    const u = new UnknownUntilApply();
    u.registeredFrom('out', 'Read it');
    u.derivedFrom(['major'], u.readBy({ conditions: [], templates: ['{{ out.stdout }}'] }));
    expect(u.readBy({ conditions: ['major == 12'], templates: [] })).toEqual([{ variable: 'major', task: 'Read it' }]);
    u.known('major');
    expect(u.has('major')).toBe(false);
    expect(decidedAtApplyMessage([{ variable: 'major', task: 'Read it' }])).toBe(
      `${DECIDED_AT_APPLY}: depends on major (from "Read it", which runs only on apply)`,
    );
  });

  it('a check run reports tasks reading a command it did not run as decided at apply, and does not fail', async () => {
    const playbook = `
- hosts: h1
  gather_facts: false
  tasks:
    - name: read
      command: cat /etc/hostname
      register: out
      changed_when: false
    - name: print
      debug: { var: out.stdout }
    - name: derive
      set_fact: { first: "{{ out.stdout[0] }}" }
    - name: use
      copy: { dest: "{{ d }}/note", content: "{{ first }}" }
      when: first != ''
    - name: independent
      debug: { msg: "{{ inventory_hostname }}" }
    - name: read again, now in check mode too
      command: echo known
      register: out
      check_mode: false
    - name: print again
      debug: { var: out.stdout }
`;
    const r = await runLocal(playbook, { args: ['--check'], hosts: '    h1: {}\n' });
    expect(r.code).toBe(0);
    const by = Object.fromEntries(r.results.map((e) => [e.task, e]));
    expect(by.read.status).toBe('skipped');
    for (const t of ['print', 'derive', 'use']) {
      expect(by[t].status).toBe('skipped');
      expect(by[t].decidedAtApply).toBe(true);
      expect(by[t].msg).toContain('"read"');
    }
    expect(by.independent.status).toBe('ok');
    expect(by['print again'].status).toBe('ok');
    expect(by['print again'].decidedAtApply).toBeUndefined();
  });

  it("a check run knows what a module registers from its reads; only a command's output waits for apply", async () => {
    const playbook = `
- hosts: h1
  gather_facts: false
  tasks:
    - name: copy a folder
      copy: { src: site/, dest: "{{ d }}/www", directory_mode: "0750" }
      register: tree
    - name: print the copy
      debug: { msg: "copied to {{ tree.dest }}" }
    - name: guarded command
      command: { cmd: echo hi, creates: "{{ d }}/nothing-here" }
      register: guarded
    - name: print the command
      debug: { var: guarded.stdout }
`;
    const r = await runLocal(playbook, {
      args: ['--check'],
      hosts: '    h1: {}\n',
      files: { 'site/index.html': 'hello\n', 'site/css/site.css': 'body {}\n' },
    });
    expect(r.code).toBe(0);
    const by = Object.fromEntries(r.results.map((e) => [e.task, e]));
    expect(by['copy a folder'].status).toBe('changed');
    expect(by['print the copy'].status).toBe('ok');
    expect(by['print the copy'].decidedAtApply).toBeUndefined();
    expect(by['print the copy'].msg).toBe(`copied to ${r.dir}/www/`);
    expect(by['guarded command'].status).toBe('changed');
    expect(by['print the command'].decidedAtApply).toBe(true);
  });
});
