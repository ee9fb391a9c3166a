import { describe, expect, it } from 'vitest';
import { withReturnedFacts } from '../../src/engine/facts.js';
import { runLocal } from './helpers.js';

describe('facts a module returns', () => {
  it('become variables of their own names and join ansible_facts without the ansible_ prefix', () => {
    const gathered = { ansible_facts: { distribution: 'Debian' }, ansible_distribution: 'Debian' };
    expect(withReturnedFacts(gathered, { getent_passwd: { root: ['x'] }, ansible_hostname: 'web1' })).toEqual({
      ansible_facts: { distribution: 'Debian', getent_passwd: { root: ['x'] }, hostname: 'web1' },
      ansible_distribution: 'Debian',
      ansible_hostname: 'web1',
      getent_passwd: { root: ['x'] },
    });
  });

  // ansible-core 2.14, run on this machine: "/root / /root", "Debian / Debian / none".
  it('are reachable as variables and under ansible_facts, and getent_passwd is not taken for a secret', async () => {
    const playbook = `
- hosts: h1
  gather_facts: false
  tasks:
    - getent: { database: passwd, key: root }
    - name: passwd
      debug: { msg: "{{ getent_passwd.root[4] }} / {{ ansible_facts.getent_passwd.root[4] }}" }
    - setup: { filter: ansible_distribution }
    - name: setup
      debug: { msg: "{{ ansible_distribution }} / {{ ansible_facts.distribution }} / {{ ansible_facts.ansible_distribution | default('none') }}" }
    - name: still there
      debug: { msg: "{{ ansible_facts.getent_passwd.root[4] }}" }
`;
    const r = await runLocal(playbook, { hosts: '    h1: {}\n' });
    expect(r.code).toBe(0);
    const msg = Object.fromEntries(r.results.map((e) => [e.task, e.msg]));
    expect(msg.passwd).toBe('/root / /root');
    expect(msg.setup).toMatch(/^(\w+) \/ \1 \/ none$/);
    expect(msg['still there']).toBe('/root');
  });
});
