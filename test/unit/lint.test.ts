import { describe, expect, it } from 'vitest';
import { loadInventory, parseInventory } from '../../src/config/inventory.js';
import { YamlSource } from '../../src/config/source.js';
import { lintInventory } from '../../src/keepalived/lint-command.js';
import { runCli } from './helpers.js';

const cluster = (hosts: string, groupVars = '') =>
  parseInventory(
    YamlSource.fromText(
      'c.yaml',
      `
all:
  vars:
    keepalived_interface: eth0
    keepalived_virtual_router_id: 51
    keepalived_auth_pass: keep520
    keepalived_vips: [198.18.1.25/22]
    keepalived_vrrp_scripts: [{ name: chk, script: /bin/true, weight: -20 }]
  children:
    cluster:
      vars:
${groupVars.replace(/^ {4}/gm, '        ') || '        {}'}
      hosts:
${hosts.replace(/^ {4}/gm, '        ')}`,
    ),
  );
const node = (name: string, ip: string, state: string, prio: number, extra = '') =>
  `    ${name}: { ansible_host: ${ip}, keepalived_state: ${state}, keepalived_priority: ${prio}${extra} }`;
const good: [string, string, string] = [
  node('m', '198.18.0.2', 'MASTER', 150),
  node('b0', '198.18.0.3', 'BACKUP', 140),
  node('b1', '198.18.0.4', 'BACKUP', 130),
];
const rules = (hosts: string[], groupVars = '') =>
  lintInventory(cluster(hosts.join('\n'), groupVars)).map((f) => `${f.severity}:${f.rule}:${f.host}`);

describe('keepalived lint', () => {
  it('a good cluster is clean', () => {
    expect(rules(good)).toEqual([]);
    expect(lintInventory(loadInventory('inventory/lab.yaml'))).toEqual([]);
  });

  it("finds the tutorial's two real problems in inventory/seed.yaml", async () => {
    const f = lintInventory(loadInventory('inventory/seed.yaml'));
    expect(f.map((x) => `${x.severity}:${x.rule}:${x.host}`)).toEqual(['error:vips:BACKUP1', 'warning:track-weight:MASTER']);
    expect(f[0]?.message).toMatch(/has no prefix/);
    expect(f[0]?.location).toMatchObject({ file: 'inventory/seed.yaml', line: 49 });
    const r = await runCli(['lint', 'inventory/seed.yaml']);
    expect(r.code).toBe(7);
    expect(r.stdout).toContain('inventory/seed.yaml:49:32: error [vips] BACKUP1');
  });

  it('one virtual_router_id per cluster', () => {
    expect(rules([good[0], good[1], node('b1', '198.18.0.4', 'BACKUP', 130, ', keepalived_virtual_router_id: 52')])).toContain(
      'error:virtual-router-id:b1',
    );
  });

  it('distinct priorities in 1-255', () => {
    expect(rules([good[0], good[1], node('b1', '198.18.0.4', 'BACKUP', 140)])).toContain('error:priority:b1');
    expect(rules([good[0], good[1], node('b1', '198.18.0.4', 'BACKUP', 300)])).toContain('error:priority:b1');
  });

  it('auth_pass longer than 8 characters', () => {
    expect(rules(good, '    keepalived_auth_pass: averylongpassword')).toEqual([
      'warning:auth-pass:m',
      'warning:auth-pass:b0',
      'warning:auth-pass:b1',
    ]);
  });

  it('exactly one MASTER, or all BACKUP with nopreempt', () => {
    expect(rules([good[0], node('b0', '198.18.0.3', 'MASTER', 140), good[2]])).toContain('error:state:b0');
    expect(rules([node('m', '198.18.0.2', 'BACKUP', 150), good[1], good[2]])).toContain('error:state:m');
    expect(rules([node('m', '198.18.0.2', 'BACKUP', 150), good[1], good[2]], '    keepalived_nopreempt: true')).toEqual([]);
  });

  it('a track_script weight too small to move the MASTER', () => {
    expect(rules(good, '    keepalived_vrrp_scripts: [{ name: chk, script: /bin/true, weight: -5 }]')).toEqual(['warning:track-weight:m']);
  });

  it('mcast_src_ip must be the host', () => {
    expect(rules([node('m', '198.18.0.2', 'MASTER', 150, ', keepalived_mcast_src_ip: 198.18.0.9'), good[1], good[2]])).toEqual([
      'error:mcast-src-ip:m',
    ]);
  });

  it('errors stop `up` before any connection; exit 7', async () => {
    const r = await runCli(['up', 'inventory/seed.yaml', '--playbook', 'playbooks/site.yaml']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('nothing was run');
  });
});
