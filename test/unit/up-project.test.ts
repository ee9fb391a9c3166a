import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPlaybookFile, resolveProject } from '../../src/config/project.js';
import { ExitCode, ProvisionError } from '../../src/errors.js';
import { sealVaultText, useVaultKeyring, VaultKeyring } from '../../src/vault/keyring.js';
import { runCli } from './helpers.js';

const none = { inventory: [] as string[] };
const configured = { inventory: ['/p/inventory'] };
const isPb = (p: string) => p.endsWith('site.yml');

function usageError(f: () => unknown): ProvisionError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProvisionError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('provision up: inventory and playbook from the arguments and the configuration', () => {
  it("provision's form: up INVENTORY [--playbook PB]", () => {
    expect(resolveProject({ positional: ['inv.yaml'], inventory: [] }, configured, isPb)).toEqual({ inventory: ['inv.yaml'] });
    expect(resolveProject({ positional: ['inv.yaml'], inventory: [], playbook: 'pb.yaml' }, none, isPb)).toEqual({
      inventory: ['inv.yaml'],
      playbook: 'pb.yaml',
    });
  });

  it("ansible-playbook's form: -i INVENTORY (repeatable) PLAYBOOK", () => {
    expect(resolveProject({ positional: ['site.yml'], inventory: ['a', 'b'] }, configured, isPb)).toEqual({
      inventory: ['a', 'b'],
      playbook: 'site.yml',
    });
  });

  it('the configured inventory when none is given; one word that is a playbook is the playbook', () => {
    expect(resolveProject({ positional: ['site.yml'], inventory: [] }, configured, isPb)).toEqual({
      inventory: ['/p/inventory'],
      playbook: 'site.yml',
    });
    expect(resolveProject({ positional: [], inventory: [] }, configured, isPb)).toEqual({ inventory: ['/p/inventory'] });
  });

  it('two words: inventory then playbook', () => {
    expect(resolveProject({ positional: ['hosts', 'site.yml'], inventory: [] }, none, isPb)).toEqual({
      inventory: ['hosts'],
      playbook: 'site.yml',
    });
  });

  it('usage errors: no inventory anywhere, the playbook twice, too many words', () => {
    const noInv = usageError(() => resolveProject({ positional: [], inventory: [] }, none, isPb));
    expect(noInv.exitCode).toBe(ExitCode.usage);
    expect(noInv.hint).toMatch(/-i INVENTORY.*ansible\.cfg.*ANSIBLE_INVENTORY/);
    expect(usageError(() => resolveProject({ positional: ['site.yml'], inventory: ['i'], playbook: 'x.yml' }, none, isPb)).message).toMatch(
      /given twice/,
    );
    expect(usageError(() => resolveProject({ positional: ['a', 'b'], inventory: ['i'] }, none, isPb)).message).toMatch(/only the playbook/);
  });

  it('a playbook is a YAML list; inventories (mappings, INI, directories) are not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-up-'));
    const files = { 'site.yml': '- hosts: all\n  tasks: []\n', 'inv.yaml': 'all:\n  hosts:\n    a:\n', hosts: '[web]\na\n' };
    for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
    expect([
      isPlaybookFile(join(dir, 'site.yml')),
      isPlaybookFile(join(dir, 'inv.yaml')),
      isPlaybookFile(join(dir, 'hosts')),
      isPlaybookFile(dir),
    ]).toEqual([true, false, false, false]);
  });

  it('the CLI runs an Ansible project: ansible.cfg inventory, INI, group_vars, warnings for unused keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-proj-'));
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\ninventory = hosts\nforks = 1\ngathering = smart\n');
    writeFileSync(join(dir, 'hosts'), '[local]\nh1 ansible_connection=local\n');
    writeFileSync(join(dir, 'site.yml'), '- hosts: local\n  tasks:\n    - debug: { msg: "{{ greet }}" }\n');
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'group_vars', 'local.yml'), 'greet: from group_vars\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runCli(['up', 'site.yml', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('ansible.cfg:4: [defaults] gathering is not used by provision');
      expect(r.stdout).toContain('from group_vars');
      const none = await runCli(['up', '-i', 'hosts', 'site.yml', '-p', 'site.yml']);
      expect(none.code).toBe(ExitCode.usage);
    } finally {
      process.chdir(cwd);
    }
  });

  it("ansible.cfg's vault_password_file opens an encrypted group_vars file", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-proj-vault-'));
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\ninventory = hosts\nvault_password_file = vp.txt\n');
    writeFileSync(join(dir, 'vp.txt'), 'pw\n');
    writeFileSync(join(dir, 'hosts'), '[local]\nh1 ansible_connection=local\n');
    writeFileSync(join(dir, 'group_vars', 'local.yml'), sealVaultText(Buffer.from('greet: Vaulted-7788\n'), Buffer.from('pw'), 'default'));
    writeFileSync(join(dir, 'site.yml'), '- hosts: local\n  tasks:\n    - debug: { msg: "{{ greet | length }}" }\n');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runCli(['up', 'site.yml', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('"12"');
    } finally {
      process.chdir(cwd);
      useVaultKeyring(new VaultKeyring([]));
    }
  });
});
