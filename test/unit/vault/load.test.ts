import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadInventory } from '../../../src/config/inventory.js';
import { loadPlaybook } from '../../../src/config/playbook.js';
import { YamlSource } from '../../../src/config/source.js';
import { MASK, secrets } from '../../../src/secrets.js';
import { sealVaultText, useVaultKeyring, VaultKeyring } from '../../../src/vault/keyring.js';
import { vaultYamlBlock } from '../../../src/vault/vault-command.js';
import { runCli } from '../helpers.js';

const seal = (text: string, password: string, label = 'default') => sealVaultText(Buffer.from(text), Buffer.from(password), label);
const indent = (block: string, n: number) =>
  block
    .split('\n')
    .map((l, i) => (i === 0 ? l : `${' '.repeat(n)}${l}`))
    .join('\n');
const keyring = (...pairs: [string, string][]) =>
  new VaultKeyring(pairs.map(([id, pw]) => ({ id, password: Buffer.from(pw), source: `file ${id}.pw` })));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'prov-vault-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

afterEach(() => useVaultKeyring(new VaultKeyring([])));

describe('vault data wherever YAML is read', () => {
  it('an inline !vault value becomes its plaintext, and is secret', () => {
    useVaultKeyring(keyring(['default', 'pw']));
    const src = YamlSource.fromText('v.yml', `api_key_plain: ${indent(vaultYamlBlock(seal('tok-123456', 'pw')), 2)}\nother: 1\n`);
    expect(src.value).toEqual({ api_key_plain: 'tok-123456', other: 1 });
    expect(secrets.mask('curl -H tok-123456')).toBe(`curl -H ${MASK}`);
  });

  it('a wrong password for an inline value points at its file:line:col and names the vault id', () => {
    expect.assertions(2);
    useVaultKeyring(keyring(['default', 'wrong']));
    const text = `a: 1\nb:\n  c: ${indent(vaultYamlBlock(seal('x', 'pw', 'prod')), 4)}\n`;
    expect(() => YamlSource.fromText('group_vars/all.yml', text)).toThrow(/vault id "prod"/);
    try {
      YamlSource.fromText('group_vars/all.yml', text);
    } catch (e) {
      expect((e as { describe(): string }).describe()).toMatch(/^group_vars\/all\.yml:3:13: /);
    }
  });

  it('a wholly encrypted inventory loads, and its values are secret', () => {
    useVaultKeyring(keyring(['prod', 'pw']));
    const dir = project({
      'inv.yml': seal('all:\n  hosts:\n    web1:\n      ansible_host: 127.0.0.1\n      db_pass_word_x: Zebra-42-quux\n', 'pw', 'prod'),
    });
    const inv = loadInventory(join(dir, 'inv.yml'));
    expect(inv.hosts.get('web1')?.vars.db_pass_word_x).toBe('Zebra-42-quux');
    expect(secrets.mask('Zebra-42-quux')).toBe(MASK);
  });

  it('vars_files may be vault files', () => {
    useVaultKeyring(keyring(['default', 'pw']));
    const dir = project({
      'secret.yml': seal('token_value: Tk-99887766\n', 'pw'),
      'pb.yml': '- hosts: all\n  vars_files: [secret.yml]\n  tasks:\n    - debug: msg=hi\n',
    });
    expect(loadPlaybook(join(dir, 'pb.yml')).plays[0]?.varsFiles).toEqual({ token_value: 'Tk-99887766' });
  });

  it('no password for an encrypted file: exit 4 at file:1:1, nothing contacted', async () => {
    const dir = project({ 'inv.yml': seal('all:\n  hosts:\n    web1: {}\n', 'pw') });
    const r = await runCli(['up', join(dir, 'inv.yml'), '--playbook', join(dir, 'inv.yml')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${join(dir, 'inv.yml')}:1:1: `);
    expect(r.stderr).toContain('no vault password was given');
  });
});

describe('a run with vaulted variables (local connection)', { timeout: 60_000 }, () => {
  const files = (dir: string) => ({
    'inv.yml': `all:\n  vars:\n    ansible_connection: local\n    out: ${dir}/out.txt\n    inline_val: ${indent(vaultYamlBlock(seal('Inline-S3cret-Value', 'lab-pw', 'lab')), 6)}\n  hosts:\n    h1: {}\n`,
    'extra.yml': seal('extra_val: Extra-S3cret-Value\n', 'default-pw'),
    'pb.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: "{{ out }}", content: "{{ inline_val }} {{ extra_val }}" }\n    - debug: msg="{{ inline_val }} {{ extra_val }}"\n`,
    'lab.pw': 'lab-pw\n',
    'default.pw': '  default-pw  \n',
  });

  const runDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-vault-run-'));
    for (const [name, text] of Object.entries(files(dir))) writeFileSync(join(dir, name), text);
    return dir;
  };

  it('decrypts inline and -e @file values with two vault ids; the host gets them, the output masks them', async () => {
    const dir = runDir();
    const r = await runCli([
      'up',
      join(dir, 'inv.yml'),
      '--playbook',
      join(dir, 'pb.yml'),
      '--json',
      '--no-lint',
      '--vault-id',
      `lab@${join(dir, 'lab.pw')}`,
      '--vault-password-file',
      join(dir, 'default.pw'),
      '-e',
      `@${join(dir, 'extra.yml')}`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('Inline-S3cret-Value Extra-S3cret-Value');
    expect(r.stdout).not.toContain('S3cret');
    expect(r.stdout).toContain(MASK);
  });

  it('a wrong password is exit 4 with the location and the id, before the host is touched', async () => {
    const dir = runDir();
    writeFileSync(join(dir, 'lab.pw'), 'not-it\n');
    const r = await runCli(['up', join(dir, 'inv.yml'), '--playbook', join(dir, 'pb.yml'), '--vault-id', `lab@${join(dir, 'lab.pw')}`]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${join(dir, 'inv.yml')}:5:24: `);
    expect(r.stderr).toContain('vault id "lab"');
    expect(() => readFileSync(join(dir, 'out.txt'))).toThrow();
  });

  it('a password script: its standard output is the password', async () => {
    const dir = runDir();
    writeFileSync(join(dir, 'lab.sh'), '#!/bin/sh\necho lab-pw\n');
    chmodSync(join(dir, 'lab.sh'), 0o755);
    vi.stubEnv('ANSIBLE_VAULT_PASSWORD_FILE', join(dir, 'default.pw'));
    try {
      const r = await runCli([
        'up',
        join(dir, 'inv.yml'),
        '--playbook',
        join(dir, 'pb.yml'),
        '--json',
        '--vault-id',
        `lab@${join(dir, 'lab.sh')}`,
        '-e',
        `@${join(dir, 'extra.yml')}`,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('--ask-vault-pass without a terminal is refused: exit 5', async () => {
    const dir = runDir();
    const r = await runCli(['up', join(dir, 'inv.yml'), '--playbook', join(dir, 'pb.yml'), '--ask-vault-pass']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('needs a terminal');
  });
});
