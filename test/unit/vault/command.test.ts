import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { YamlSource } from '../../../src/config/source.js';
import { must } from '../../../src/errors.js';
import { parseVaultText } from '../../../src/vault/format.js';
import { useVaultKeyring, VaultKeyring } from '../../../src/vault/keyring.js';
import { runCli } from '../helpers.js';

function workdir() {
  const dir = mkdtempSync(join(tmpdir(), 'prov-vault-cmd-'));
  const p = (name: string) => join(dir, name);
  writeFileSync(p('a.pw'), 'pass-a\n');
  writeFileSync(p('b.pw'), 'pass-b\n');
  writeFileSync(p('vars.yml'), 'db_host: db1\nport: 5432\n');
  return p;
}

const vault = (...args: string[]) => runCli(['vault', ...args]);
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

afterEach(() => useVaultKeyring(new VaultKeyring([])));

describe('provision vault', { timeout: 30_000 }, () => {
  it('encrypt in place (0600, 1.2 with the label), view, decrypt back to the same bytes', async () => {
    const p = workdir();
    const plain = readFileSync(p('vars.yml'));
    expect((await vault('encrypt', p('vars.yml'), '--vault-id', `lab@${p('a.pw')}`)).code).toBe(0);
    expect(readFileSync(p('vars.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;lab\n/);
    expect(mode(p('vars.yml'))).toBe('600');
    const view = await vault('view', p('vars.yml'), '--vault-password-file', p('a.pw'));
    expect(view.stdout).toBe(plain.toString());
    expect((await vault('decrypt', p('vars.yml'), '--vault-id', `lab@${p('a.pw')}`)).code).toBe(0);
    expect(readFileSync(p('vars.yml')).equals(plain)).toBe(true);
  });

  it('--output writes elsewhere and leaves the input alone; --output - is standard output', async () => {
    const p = workdir();
    await vault('encrypt', p('vars.yml'), '--vault-password-file', p('a.pw'), '--output', p('out.yml'));
    expect(readFileSync(p('vars.yml'), 'utf8')).toBe('db_host: db1\nport: 5432\n');
    expect(readFileSync(p('out.yml'), 'utf8')).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    const r = await vault('decrypt', p('out.yml'), '--vault-password-file', p('a.pw'), '--output', '-');
    expect(r.stdout).toBe('db_host: db1\nport: 5432\n');
    expect((await vault('encrypt', p('vars.yml'), p('a.pw'), '--vault-password-file', p('a.pw'), '--output', p('x'))).code).toBe(5);
  });

  it('several vault ids: encrypting needs --encrypt-vault-id (exit 5 without), decrypting tries them all', async () => {
    const p = workdir();
    const ids = ['--vault-id', `a@${p('a.pw')}`, '--vault-id', `b@${p('b.pw')}`];
    const refused = await vault('encrypt', p('vars.yml'), ...ids);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('--encrypt-vault-id');
    expect((await vault('encrypt', p('vars.yml'), ...ids, '--encrypt-vault-id', 'b')).code).toBe(0);
    expect(parseVaultText(readFileSync(p('vars.yml'), 'utf8')).label).toBe('b');
    expect((await vault('view', p('vars.yml'), ...ids)).code).toBe(0);
    expect((await vault('encrypt', p('vars.yml'), ...ids, '--encrypt-vault-id', 'b')).code).toBe(4);
  });

  it('a wrong password: exit 4 naming the file and the vault ids tried', async () => {
    const p = workdir();
    await vault('encrypt', p('vars.yml'), '--vault-id', `prod@${p('a.pw')}`);
    const r = await vault('view', p('vars.yml'), '--vault-id', `dev@${p('b.pw')}`);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${p('vars.yml')}:1:1:`);
    expect(r.stderr).toContain('vault id "prod"');
    expect(r.stderr).toContain('tried "dev"');
  });

  it('encrypt_string prints `name: !vault |` blocks as ansible-vault does (no final newline) that load back', async () => {
    const p = workdir();
    const r = await vault('encrypt_string', '--vault-password-file', p('a.pw'), '--name', 'api_token', 'tok-1', 'tok-2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^api_token: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n( {10}[0-9a-f]{1,80}\n)+!vault \|\n {10}\$ANSIBLE_VAULT/,
    );
    expect(r.stdout.endsWith('\n')).toBe(false);
    expect(r.stderr).toContain('The number of --name options do not match the number of args.');
    expect(r.stderr).toContain('# The encrypted version of variable ("api_token", the string #1 from the command line args).');
    expect(r.stderr).toContain('# The encrypted version of the string #2 from the command line args.)');
    useVaultKeyring(new VaultKeyring([{ id: 'default', password: Buffer.from('pass-a'), source: 'test' }]));
    const [first, second] = r.stdout.split('\n!vault |\n');
    expect(YamlSource.fromText('s.yml', must(first, 'the first encrypted value')).value).toEqual({ api_token: 'tok-1' });
    expect(YamlSource.fromText('s.yml', `x: !vault |\n${second}`).value).toEqual({ x: 'tok-2' });
  });

  it('rekey: the new password opens it, the old does not, the mode stays', async () => {
    const p = workdir();
    await vault('encrypt', p('vars.yml'), '--vault-password-file', p('a.pw'));
    chmodSync(p('vars.yml'), 0o640);
    const r = await vault('rekey', p('vars.yml'), '--vault-password-file', p('a.pw'), '--new-vault-id', `next@${p('b.pw')}`);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Rekey successful');
    expect(mode(p('vars.yml'))).toBe('640');
    expect(parseVaultText(readFileSync(p('vars.yml'), 'utf8')).label).toBe('next');
    expect((await vault('view', p('vars.yml'), '--vault-password-file', p('a.pw'))).code).toBe(4);
    expect((await vault('view', p('vars.yml'), '--vault-password-file', p('b.pw'))).stdout).toContain('db_host: db1');
  });

  it('edit: $EDITOR gets a 0600 file that is gone afterwards; the result is encrypted with the same id', async () => {
    const p = workdir();
    await vault('encrypt', p('vars.yml'), '--vault-id', `lab@${p('a.pw')}`);
    chmodSync(p('vars.yml'), 0o644);
    writeFileSync(p('editor.sh'), `#!/bin/sh\nstat -c '%a %n' "$1" > ${p('seen')}\necho 'added: yes' >> "$1"\n`);
    chmodSync(p('editor.sh'), 0o755);
    vi.stubEnv('EDITOR', p('editor.sh'));
    try {
      expect((await vault('edit', p('vars.yml'), '--vault-id', `lab@${p('a.pw')}`)).code).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
    const [tempMode, tempPath] = readFileSync(p('seen'), 'utf8').trim().split(' ');
    expect(tempMode).toBe('600');
    expect(existsSync(must(tempPath, 'the temporary file the editor saw'))).toBe(false);
    expect(mode(p('vars.yml'))).toBe('644');
    expect(parseVaultText(readFileSync(p('vars.yml'), 'utf8')).label).toBe('lab');
    expect((await vault('view', p('vars.yml'), '--vault-password-file', p('a.pw'))).stdout).toBe('db_host: db1\nport: 5432\nadded: yes\n');
  });

  it('edit: an unchanged file is not rewritten; a failing editor leaves it alone (exit 5)', async () => {
    const p = workdir();
    await vault('encrypt', p('vars.yml'), '--vault-password-file', p('a.pw'));
    const before = readFileSync(p('vars.yml'));
    try {
      vi.stubEnv('EDITOR', 'true');
      expect((await vault('edit', p('vars.yml'), '--vault-password-file', p('a.pw'))).code).toBe(0);
      expect(readFileSync(p('vars.yml')).equals(before)).toBe(true);
      vi.stubEnv('EDITOR', `sh -c 'echo x >> "$0"; exit 3'`);
      const r = await vault('edit', p('vars.yml'), '--vault-password-file', p('a.pw'));
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('is unchanged');
      expect(readFileSync(p('vars.yml')).equals(before)).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('no password and no terminal: exit 5 with a hint', async () => {
    const p = workdir();
    const r = await vault('encrypt', p('vars.yml'));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/hint: .*--vault-password-file/);
  });
});

describe('password sources', { timeout: 30_000 }, () => {
  it('a file: surrounding whitespace is not part of the password', async () => {
    const p = workdir();
    writeFileSync(p('spaced.pw'), ' \tpass-a \r\n\n');
    await vault('encrypt', p('vars.yml'), '--vault-password-file', p('a.pw'));
    expect((await vault('view', p('vars.yml'), '--vault-password-file', p('spaced.pw'))).code).toBe(0);
  });

  it('a client script (*-client) is asked for one id; exit 2 means it has none', async () => {
    const p = workdir();
    writeFileSync(
      p('pw-client.sh'),
      '#!/bin/sh\n[ "$1" = --vault-id ] || exit 9\ncase "$2" in a) echo pass-a;; *) echo "no $2" >&2; exit 2;; esac\n',
    );
    chmodSync(p('pw-client.sh'), 0o755);
    expect((await vault('encrypt', p('vars.yml'), '--vault-id', `a@${p('pw-client.sh')}`)).code).toBe(0);
    expect((await vault('view', p('vars.yml'), '--vault-password-file', p('a.pw'))).code).toBe(0);
    const r = await vault('view', p('vars.yml'), '--vault-id', `zz@${p('pw-client.sh')}`);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('has no password for vault id "zz"');
  });

  it('an unreadable password file is a warning while another works, an error when none does', async () => {
    const p = workdir();
    await vault('encrypt', p('vars.yml'), '--vault-password-file', p('a.pw'));
    const ok = await vault('view', p('vars.yml'), '--vault-id', `x@${p('missing')}`, '--vault-password-file', p('a.pw'));
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('warning: vault id "x"');
    const bad = await vault('view', p('vars.yml'), '--vault-id', `x@${p('missing')}`);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('cannot be read (ENOENT)');
  });

  it('a vault id with ";" cannot go into a header: exit 5', async () => {
    const p = workdir();
    expect((await vault('encrypt', p('vars.yml'), '--vault-id', `a;b@${p('a.pw')}`)).code).toBe(5);
  });
});
