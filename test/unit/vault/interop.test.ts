import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { YamlSource } from '../../../src/config/source.js';
import { useVaultKeyring, VaultKeyring } from '../../../src/vault/keyring.js';
import { runCli } from '../helpers.js';

// Both directions against Debian's ansible-vault (ansible-core 2.14, installed by scripts/setup.sh):
// files and inline values, 1.1 (no vault id) and 1.2 (with one).
const available = spawnSync('ansible-vault', ['--version'], { stdio: 'ignore' }).status === 0;

function ansible(cmd: string, args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    input,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false', ANSIBLE_NOCOLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workdir() {
  const dir = mkdtempSync(join(tmpdir(), 'prov-vault-interop-'));
  const p = (name: string) => join(dir, name);
  writeFileSync(p('prod.pw'), 'prod password\n');
  writeFileSync(p('default.pw'), 'default password\n');
  return p;
}

const lineShape = (text: string) => text.split('\n').map((l) => l.replace(/[0-9a-f]/g, 'h'));
const keyring = (p: (n: string) => string) =>
  new VaultKeyring([
    { id: 'prod', password: Buffer.from('prod password'), source: `file ${p('prod.pw')}` },
    { id: 'default', password: Buffer.from('default password'), source: `file ${p('default.pw')}` },
  ]);

afterEach(() => useVaultKeyring(new VaultKeyring([])));

// CI installs ansible-core: there a missing ansible-vault fails instead of skipping.
it.runIf(process.env.CI)('ansible-vault is installed', () => expect(available).toBe(true));

describe.skipIf(!available)('interop with ansible-vault', { timeout: 120_000 }, () => {
  const plaintext = 'db_password: "s3cr3t ünïcode"\nusers: [a, b]\n';

  it.each([
    ['1.1', ['--vault-password-file', 'default.pw']],
    ['1.2', ['--vault-id', 'prod@prod.pw']],
  ])('a %s file made by ansible-vault opens in provision (view, decrypt, load)', async (_v, idArgs) => {
    const p = workdir();
    const args = idArgs.map((a) => a.replace(/^(prod@)?(\w+\.pw)$/, (_m, at, f) => `${at ?? ''}${p(f)}`));
    writeFileSync(p('vars.yml'), plaintext);
    const made = ansible('ansible-vault', ['encrypt', p('vars.yml'), ...args]);
    expect(made.code, made.stderr).toBe(0);
    const view = await runCli(['vault', 'view', p('vars.yml'), ...args]);
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).toBe(plaintext);
    useVaultKeyring(keyring(p));
    expect(YamlSource.fromFile(p('vars.yml')).value).toEqual({ db_password: 's3cr3t ünïcode', users: ['a', 'b'] });
    expect((await runCli(['vault', 'decrypt', p('vars.yml'), ...args])).code).toBe(0);
    expect(readFileSync(p('vars.yml'), 'utf8')).toBe(plaintext);
  });

  it.each([
    ['1.1', ['--vault-password-file', 'default.pw'], '$ANSIBLE_VAULT;1.1;AES256'],
    ['1.2', ['--vault-id', 'prod@prod.pw'], '$ANSIBLE_VAULT;1.2;AES256;prod'],
  ])('a %s file made by provision opens in ansible-vault, laid out the same way', async (_v, idArgs, header) => {
    const p = workdir();
    const args = idArgs.map((a) => a.replace(/^(prod@)?(\w+\.pw)$/, (_m, at, f) => `${at ?? ''}${p(f)}`));
    writeFileSync(p('ours.yml'), plaintext);
    writeFileSync(p('theirs.yml'), plaintext);
    expect((await runCli(['vault', 'encrypt', p('ours.yml'), ...args])).code).toBe(0);
    expect(ansible('ansible-vault', ['encrypt', p('theirs.yml'), ...args]).code).toBe(0);
    const ours = readFileSync(p('ours.yml'), 'utf8');
    expect(ours.split('\n')[0]).toBe(header);
    expect(lineShape(ours)).toEqual(lineShape(readFileSync(p('theirs.yml'), 'utf8')));
    const view = ansible('ansible-vault', ['view', p('ours.yml'), ...args]);
    expect(view.code, view.stderr).toBe(0);
    expect(view.stdout).toBe(plaintext);
  });

  it('inline values made by ansible-vault encrypt_string (1.1 and 1.2) load in provision', () => {
    const p = workdir();
    const a = ansible('ansible-vault', ['encrypt_string', '--vault-id', `prod@${p('prod.pw')}`, '--name', 'api_token', 'tok-from-ansible']);
    const b = ansible('ansible-vault', ['encrypt_string', '--vault-password-file', p('default.pw'), '--name', 'other', 'eleven-chars']);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).toContain('$ANSIBLE_VAULT;1.2;AES256;prod');
    useVaultKeyring(keyring(p));
    const src = YamlSource.fromText('vars.yml', `plain: 1\n${a.stdout}\n${b.stdout}\n`);
    expect(src.value).toEqual({ plain: 1, api_token: 'tok-from-ansible', other: 'eleven-chars' });
  });

  it('inline values made by provision encrypt_string (1.1 and 1.2) are read by ansible, laid out the same way', async () => {
    const p = workdir();
    const a = await runCli(['vault', 'encrypt_string', '--vault-id', `prod@${p('prod.pw')}`, '--name', 'x', 'from-provision']);
    const b = await runCli(['vault', 'encrypt_string', '--vault-password-file', p('default.pw'), '--name', 'y', 'eleven']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const theirs = ansible('ansible-vault', ['encrypt_string', '--vault-id', `prod@${p('prod.pw')}`, '--name', 'x', 'from-provision']);
    expect(lineShape(a.stdout)).toEqual(lineShape(theirs.stdout));
    writeFileSync(p('vars.yml'), `${a.stdout}\n${b.stdout}\n`);
    const r = ansible('ansible', [
      'localhost',
      '-c',
      'local',
      '-m',
      'debug',
      '-a',
      'msg={{ x }}/{{ y }}',
      '-e',
      `@${p('vars.yml')}`,
      '--vault-id',
      `prod@${p('prod.pw')}`,
      '--vault-password-file',
      p('default.pw'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"msg": "from-provision/eleven"');
  });
});
