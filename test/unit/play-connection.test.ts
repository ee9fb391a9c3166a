import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InventoryHost } from '../../src/config/inventory.js';
import { connectionKind, HostConnections, hostForConnection } from '../../src/engine/play-connection.js';
import type { Transport } from '../../src/transport/transport.js';
import { runCli } from './helpers.js';

const host = (vars: Record<string, unknown>): InventoryHost => ({
  name: 'web1',
  vars,
  groups: [],
  location: { file: 'inv', line: 1, col: 1 },
  origins: {},
});

describe('connection: on a play', () => {
  it("runs on the controller unless the host's own ansible_connection says otherwise, as Ansible decides", () => {
    expect(connectionKind(host({}), { connection: 'local' })).toBe('local');
    expect(connectionKind(host({}), {})).toBe('ssh');
    expect(connectionKind(host({ ansible_connection: 'ssh' }), { connection: 'local' })).toBe('ssh');
    expect(connectionKind(host({ ansible_connection: 'local' }), { connection: 'ssh' })).toBe('local');
    expect(hostForConnection(host({ ansible_host: '198.18.0.9' }), 'local').vars).toMatchObject({ ansible_connection: 'local' });
    const own = host({});
    expect(hostForConnection(own, 'ssh')).toBe(own);
  });

  it('keeps the connection of the other kind open for a later play, and reuses it', () => {
    const ssh = { name: 'ssh' } as unknown as Transport;
    const local = { name: 'local' } as unknown as Transport;
    const c = new HostConnections('ssh');
    expect(c.switchTo('ssh', ssh)).toBe(ssh);
    expect(c.switchTo('local', ssh)).toBeUndefined();
    expect(c.others()).toEqual([ssh]);
    expect(c.switchTo('ssh', local)).toBe(ssh);
    expect(c.others()).toEqual([local]);
    expect(c.kind).toBe('ssh');
  });

  it('a play with connection: local runs its tasks here, with the variables of the inventory host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-conn-'));
    // No ansible_connection: without the play's keyword this host would be reached over ssh.
    writeFileSync(join(dir, 'inv.yaml'), `all:\n  hosts:\n    web1: { ansible_host: 127.0.0.9, site: intranet }\n`);
    writeFileSync(
      join(dir, 'pb.yaml'),
      `- hosts: web1\n  connection: local\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/out", content: "{{ inventory_hostname }} {{ site }}" }\n`,
    );
    const r = await runCli(['up', join(dir, 'inv.yaml'), '--playbook', join(dir, 'pb.yaml')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(dir, 'out'))).toBe(true);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('web1 intranet');
  });

  it("a play on Ansible's implicit localhost is refused before any connection, saying how to name it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-conn-'));
    writeFileSync(join(dir, 'inv.yaml'), 'all:\n  hosts:\n    web1: { ansible_host: 127.0.0.9 }\n');
    writeFileSync(join(dir, 'pb.yaml'), '- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks: []\n');
    const r = await runCli(['up', join(dir, 'inv.yaml'), '--playbook', join(dir, 'pb.yaml')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('localhost ansible_connection=local');
  });
});
