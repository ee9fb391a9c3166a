import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../../src/config/playbook.js';
import { gatherArgs } from '../../../src/engine/facts.js';
import { hostFacts } from '../../../src/reads/host-facts.js';

function playbookFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gather-')), 'site.yml');
  writeFileSync(file, text);
  return file;
}

describe("a play's gather_subset and gather_timeout", () => {
  it('reach the gathering: the subset picks the collectors, the timeout bounds each mount', () => {
    const play = loadPlaybook(playbookFile('- hosts: all\n  gather_subset: [network]\n  gather_timeout: 3\n  tasks: []\n')).plays[0];
    const args = gatherArgs(play ?? {});
    expect(args).toEqual({ gather_subset: ['network'], gather_timeout: 3 });
    const command = hostFacts.command(args);
    expect(command).toContain("echo '::facts:network'");
    expect(command).not.toContain("echo '::facts:hardware'");
    expect(hostFacts.command({ gather_subset: ['!all', '!min', 'mounts'], gather_timeout: 3 })).toContain('timeout 3 stat -f');
    expect(gatherArgs({})).toEqual({});
  });

  it('a subset Ansible refuses stops the load, at its line', () => {
    const file = playbookFile('- hosts: all\n  gather_subset: [nosuch]\n  tasks: []\n');
    expect(() => loadPlaybook(file)).toThrow(/Bad subset 'nosuch' given to Ansible/);
    expect(() => loadPlaybook(file)).toThrow(expect.objectContaining({ location: expect.objectContaining({ line: 2 }) }));
  });
});
