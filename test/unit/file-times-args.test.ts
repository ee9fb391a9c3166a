import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../src/config/playbook.js';
import type { ProvisionError } from '../../src/errors.js';

function site(task: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'prov-times-'));
  writeFileSync(join(dir, 'site.yml'), `- hosts: all\n  tasks:\n    - file:\n${task}`);
  return join(dir, 'site.yml');
}

describe('file times at load', () => {
  it('leaves a templated modification_time to be checked once rendered', () => {
    const pb = site('        path: /srv/{{ item.name }}\n        state: touch\n        modification_time: "{{ item.stamp }}"\n');
    expect(loadPlaybook(pb).plays).toHaveLength(1);
  });

  it('refuses a literal time that does not fit the format, at its own key', () => {
    const pb = site('        path: /srv/f\n        state: touch\n        access_time: "2024-01-02"\n');
    expect.assertions(2);
    try {
      loadPlaybook(pb);
    } catch (e) {
      expect((e as ProvisionError).message).toContain("time data '2024-01-02' does not match format '%Y%m%d%H%M.%S'");
      expect((e as ProvisionError).location).toMatchObject({ line: 6 });
    }
  });
});
