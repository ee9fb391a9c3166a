import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal as run } from './helpers.js';

describe('text edits that create their file', { timeout: 60_000 }, () => {
  it('make the missing directories above it, as Ansible does (lineinfile, blockinfile, ini_file)', async () => {
    const r = await run(
      `
- hosts: h1
  gather_facts: false
  tasks:
    - lineinfile: { path: "{{ d }}/a/b/line.conf", line: x=1, create: true }
    - blockinfile: { path: "{{ d }}/c/block.conf", block: y=2, create: true }
    - community.general.ini_file: { path: "{{ d }}/e/f/limits.conf", section: Manager, option: DefaultLimitNOFILE, value: "65536", no_extra_spaces: true }
`,
      { hosts: '    h1: {}\n' },
    );
    expect(r.results.map((e: { status: string }) => e.status)).toEqual(['changed', 'changed', 'changed']);
    expect(readFileSync(join(r.dir, 'a/b/line.conf'), 'utf8')).toBe('x=1\n');
    // Ansible's ini_file starts a new file with an empty line before the section, too.
    expect(readFileSync(join(r.dir, 'c/block.conf'), 'utf8')).toBe('# BEGIN ANSIBLE MANAGED BLOCK\ny=2\n# END ANSIBLE MANAGED BLOCK\n');
    expect(readFileSync(join(r.dir, 'e/f/limits.conf'), 'utf8')).toBe('\n[Manager]\nDefaultLimitNOFILE=65536\n');
  });
});
