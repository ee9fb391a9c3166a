import { describe, expect, it } from 'vitest';
import { runLocal as run } from './helpers.js';

describe('fact gathering', { timeout: 60_000 }, () => {
  it("gathers again in every play that gathers (Ansible's implicit gathering), a later subset adding to the first", async () => {
    const r = await run(`
- hosts: h1
  gather_subset: ["!all", "!min", network]
  tasks:
    - name: network only
      debug: msg="{{ ansible_virtualization_role is defined }}"
- hosts: h1
  tasks:
    - name: every subset
      debug: msg="{{ ansible_virtualization_role is defined }}"
`);
    expect(r.code).toBe(0);
    const rows = r.results.map((e: { task: string; msg?: string }) => `${e.task}${e.msg === undefined ? '' : ` ${e.msg}`}`);
    expect(rows).toEqual(['Gathering Facts', 'network only false', 'Gathering Facts', 'every subset true']);
  });
});
