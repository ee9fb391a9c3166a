import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIRST_WINDOW, nextWindow } from '../../src/engine/read-ahead.js';
import { runLocal } from './helpers.js';

/** One host on the controller itself (ansible_connection: local), through the real engine, its reads and its cache. */
const run = (playbook: string, args: string[] = [], beforeRun?: (dir: string) => void) =>
  runLocal(playbook, { args, hosts: '    h1: {}\n', beforeRun });

/** `n` tasks that each read another file and change nothing when it is there. */
const readingTasks = (n: number, from = 0) =>
  Array.from(
    { length: n },
    (_, i) => `    - { name: t${from + i}, command: { argv: [touch, "{{ d }}/f${from + i}"], creates: "{{ d }}/f${from + i}" } }`,
  ).join('\n');

const makeFiles = (n: number) => (dir: string) => {
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `f${i}`), '');
};

describe('read-ahead window', () => {
  const play = {};
  it('starts at the first window, then doubles while the cache holds', () => {
    const first = nextWindow(undefined, play, 0, 0, 100);
    expect(first).toMatchObject({ from: 0, to: FIRST_WINDOW });
    expect(nextWindow(first?.state, play, 0, FIRST_WINDOW - 1, 100)).toBeUndefined();
    const second = nextWindow(first?.state, play, 0, FIRST_WINDOW, 100);
    expect(second).toMatchObject({ from: FIRST_WINDOW, to: FIRST_WINDOW * 3 });
  });

  it('starts again small after a change, and in another play', () => {
    const first = nextWindow(undefined, play, 0, 0, 100);
    const second = nextWindow(first?.state, play, 0, FIRST_WINDOW, 100);
    const changed = second && { ...second.state, changed: true };
    expect(nextWindow(changed, play, 1, FIRST_WINDOW + 1, 100)).toMatchObject({ from: FIRST_WINDOW + 1, to: FIRST_WINDOW * 2 + 1 });
    expect(nextWindow(second?.state, {}, 0, 3, 100)).toMatchObject({ from: 3, to: 3 + FIRST_WINDOW });
  });

  it('reads again where the cache was emptied by a task that changed nothing, with a wider window', () => {
    const first = nextWindow(undefined, play, 0, 0, 100);
    expect(nextWindow(first?.state, play, 1, 2, 100)).toMatchObject({ from: 2, to: 2 + FIRST_WINDOW * 2 });
  });

  it('ends at the play', () => {
    expect(nextWindow(undefined, play, 0, 2, 5)).toMatchObject({ from: 2, to: 5 });
  });
});

describe('read-ahead on a host', () => {
  it('a no-op play of 20 reading tasks takes 2 round trips, not 20', async () => {
    const r = await run(
      `
- hosts: h1
  gather_facts: false
  tasks:
${readingTasks(20)}
`,
      [],
      makeFiles(20),
    );
    expect(r.code).toBe(0);
    expect(r.results.map((e) => e.status)).toEqual(Array(20).fill('ok'));
    const trips = r.results.map((e) => e.roundTrips);
    // Windows of 8, 16 (cut at the play's end): the first task of each pays for the window.
    expect(trips.filter((t) => t > 0)).toEqual([1, 1]);
    expect(trips.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('after a change later tasks read again and see it', async () => {
    const r = await run(`
- hosts: h1
  gather_facts: false
  tasks:
    - { name: before, stat: { path: "{{ d }}/x" }, register: before }
    - { name: make x, copy: { dest: "{{ d }}/x", content: "new\\n" } }
    - { name: after, stat: { path: "{{ d }}/x" }, register: after }
    - assert: { that: ["not before.stat.exists", "after.stat.exists", "after.stat.size == 4"] }
`);
    expect(r.code).toBe(0);
    expect(r.results.map((e) => [e.task, e.status])).toEqual([
      ['before', 'ok'],
      ['make x', 'changed'],
      ['after', 'ok'],
      ['assert', 'ok'],
    ]);
  });

  it('a task whose arguments come from an earlier task reads what that task decided', async () => {
    const r = await run(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - { name: pick, set_fact: { target: "{{ d }}/f1" } }
    - { name: look, stat: { path: "{{ target }}" }, register: st }
    - { name: name, command: "cat {{ d }}/which", register: which, changed_when: false }
    - { name: look again, stat: { path: "{{ d }}/{{ which.stdout }}" }, register: st2 }
    - assert: { that: ["st.stat.exists", "st2.stat.exists", "st2.stat.path.endswith('/f0')"] }
`,
      [],
      (dir) => {
        makeFiles(2)(dir);
        writeFileSync(join(dir, 'which'), 'f0');
      },
    );
    expect(r.code).toBe(0);
  });

  it('a lookup that runs a command runs once, when its task does', async () => {
    const r = await run(`
- hosts: h1
  gather_facts: false
  tasks:
    - { name: first, stat: { path: "{{ d }}" } }
    - { name: second, copy: { dest: "{{ d }}/out", content: "{{ lookup('pipe', 'echo ran >> ' ~ d ~ '/log; echo x') }}" } }
`);
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.dir, 'log'), 'utf8')).toBe('ran\n');
  });

  it('check mode reads ahead too and reports the same', async () => {
    const r = await run(
      `
- hosts: h1
  gather_facts: false
  tasks:
${readingTasks(10)}
`,
      ['--check'],
      makeFiles(5),
    );
    expect(r.results.map((e) => e.status)).toEqual([...Array(5).fill('ok'), ...Array(5).fill('changed')]);
    expect(r.results.reduce((a, e) => a + e.roundTrips, 0)).toBe(2);
  });

  it('under serial, a waiting host reads ahead and still sees what a task delegated to it changed', async () => {
    const r = await runLocal(
      `
- hosts: all
  gather_facts: false
  tasks:
    - { name: connect, stat: { path: "{{ d }}" } }
- hosts: all
  serial: 1
  gather_facts: false
  tasks:
    - { name: look, stat: { path: "{{ d }}/{{ inventory_hostname }}-flag" }, register: st }
    - name: flag the next host
      copy: { dest: "{{ d }}/h2-flag", content: x }
      delegate_to: h2
      when: inventory_hostname == 'h1'
    - assert: { that: ["st.stat.exists == (inventory_hostname == 'h2')"] }
`,
      { hosts: '    h1: {}\n    h2: {}\n    h3: {}\n' },
    );
    expect(r.code).toBe(0);
    const trips = (host: string) => r.results.filter((e) => e.host === host && e.task === 'look').map((e) => e.roundTrips);
    // h3's reads went out ahead of its turn and are counted in its first task; h2's were read again after the change.
    expect(trips('h3')).toEqual([1]);
    expect(trips('h2')).toEqual([2]);
  });
});
