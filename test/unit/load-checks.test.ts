import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

/** A keepalived cluster on local connections whose BACKUP1 has a VIP without its prefix (a lint error). */
function setup(tasks: string): { dir: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'prov-check-'));
  writeFileSync(
    join(dir, 'inv.yaml'),
    `all:
  vars: { ansible_connection: local, keepalived_interface: eth0, keepalived_virtual_router_id: 51, keepalived_vips: [198.18.1.25/22] }
  children:
    keepalived:
      hosts:
        m: { keepalived_state: MASTER, keepalived_priority: 150 }
        b0: { keepalived_state: BACKUP, keepalived_priority: 140 }
        b1: { keepalived_state: BACKUP, keepalived_priority: 130, keepalived_vips: [198.18.1.25] }
`,
  );
  writeFileSync(join(dir, 'pb.yaml'), `- hosts: keepalived\n  gather_facts: false\n  tasks:\n${tasks}`);
  return { dir, args: ['up', join(dir, 'inv.yaml'), '--playbook', join(dir, 'pb.yaml')] };
}

const touch = (dir: string) => `    - copy: { dest: "${dir}/{{ inventory_hostname }}", content: x }\n`;

describe('checks a job declares (keepalived_cluster_lint)', () => {
  it('a playbook that asks for the cluster lint stops before any host is touched, exit 7', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-mark-'));
    const { args } = setup(`${touch(dir)}    - keepalived_cluster_lint: {}\n`);
    const r = await runCli(args);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('error [vips] b1');
    expect(r.stderr).toContain('nothing was run');
    expect(existsSync(join(dir, 'm'))).toBe(false);
  });

  it('a playbook that does not ask for it runs on the same inventory: up knows no job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-mark-'));
    const r = await runCli(setup(touch(dir)).args);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'm'))).toBe(true);
  });

  it('--no-lint skips the declared checks; the task itself changes nothing', async () => {
    const { args } = setup('    - keepalived_cluster_lint: {}\n');
    const r = await runCli([...args, '--no-lint', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"changed":0');
  });
});
