import { describe, expect, it } from 'vitest';
import { must, type ProvisionError } from '../../../src/errors.js';
import { decryptPayload, encryptPayload } from '../../../src/vault/crypto.js';
import { formatVaultText, isVaultText, parseVaultText } from '../../../src/vault/format.js';
import { sealVaultText, VaultKeyring } from '../../../src/vault/keyring.js';

// Made by Debian's ansible-core 2.14 (VaultAES256.encrypt with this fixed salt, then
// format_vaulttext_envelope): the output must match byte for byte, without ansible installed.
const salt = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const known = [
  {
    password: 'hunter2',
    plaintext: 'db_password: s3cret\n',
    label: 'default',
    text: `$ANSIBLE_VAULT;1.1;AES256
30303031303230333034303530363037303830393061306230633064306530663130313131323133
3134313531363137313831393161316231633164316531660a653132333531303262383461336631
37633430323965616232333565636439636662303939663531363833323732623161303932373661
3165383038393338620a306338363438666465303866316132623639313939316635373839653833
37613533336639366364326532323434646166303235623064303735396231383765
`,
  },
  {
    password: 'correct horse',
    plaintext: 'exactly16bytes!!',
    label: 'prod',
    text: `$ANSIBLE_VAULT;1.2;AES256;prod
30303031303230333034303530363037303830393061306230633064306530663130313131323133
3134313531363137313831393161316231633164316531660a376563663533356131663133343432
63323134663563313963323330643564663861393861356430336361643239373733343830396666
3964383465633935360a616565623734366261613630623036663736393635613335626364613363
37643533323666333938613139386431353663313564383231356130633536646532
`,
  },
  {
    password: 'pw',
    plaintext: '',
    label: 'default',
    text: `$ANSIBLE_VAULT;1.1;AES256
30303031303230333034303530363037303830393061306230633064306530663130313131323133
3134313531363137313831393161316231633164316531660a313832396462663865643236343636
34656338383663343737373364373530666665613734366634633335653365346362306261613434
6465356332303465660a633164383235326566363436636134333534346537373237613533376464
3530
`,
  },
];

const where = { file: 'x.yml', line: 1, col: 1 };
const keyring = (...pairs: [string, string][]) =>
  new VaultKeyring(pairs.map(([id, pw]) => ({ id, password: Buffer.from(pw), source: `test ${id}` })));

describe('ansible-vault format (known answers from ansible-core 2.14)', { timeout: 30_000 }, () => {
  it.each(known)('encrypts "$plaintext" under $label exactly as ansible-vault', ({ password, plaintext, label, text }) => {
    expect(sealVaultText(Buffer.from(plaintext), Buffer.from(password), label, salt)).toBe(text);
  });

  it.each(known)('decrypts what ansible-vault made under $label', ({ password, plaintext, label, text }) => {
    const opened = keyring([label, password]).open(text, where);
    expect(opened.plaintext.toString()).toBe(plaintext);
    expect(opened.label).toBe(label);
  });

  it('lines are 80 columns and the text ends with a newline', () => {
    const text = sealVaultText(Buffer.alloc(500, 'x'), Buffer.from('pw'), 'default');
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    for (const l of lines.slice(1, -2)) expect(l).toHaveLength(80);
    expect(lines.at(-2)?.length).toBeLessThanOrEqual(80);
  });

  it('a fresh salt each time: the same plaintext never encrypts the same way twice', () => {
    const a = encryptPayload(Buffer.from('same'), Buffer.from('pw'));
    const b = encryptPayload(Buffer.from('same'), Buffer.from('pw'));
    expect(a.salt.equals(b.salt)).toBe(false);
    expect(a.salt).toHaveLength(32);
  });

  it('a wrong password, or one changed byte of the ciphertext, fails the HMAC', () => {
    const payload = encryptPayload(Buffer.from('secret'), Buffer.from('right'));
    expect(decryptPayload(payload, Buffer.from('wrong'))).toEqual({ ok: false, reason: 'wrong-password' });
    const flipped = Buffer.from(payload.ciphertext);
    flipped.writeUInt8(flipped.readUInt8(0) ^ 1, 0);
    expect(decryptPayload({ ...payload, ciphertext: flipped }, Buffer.from('right')).ok).toBe(false);
    expect(decryptPayload({ ...payload, hmac: payload.hmac.subarray(1) }, Buffer.from('right')).ok).toBe(false);
  });

  it('indentation and CRLF line ends (inline values, Windows editors) do not matter', () => {
    const text = must(known[0], 'a known vault text')
      .text.split('\n')
      .map((l) => `  ${l}`)
      .join('\r\n')
      .trimStart();
    expect(keyring(['default', 'hunter2']).open(text, where).plaintext.toString()).toBe(known[0]?.plaintext);
  });

  it('recognises vault data by its first bytes only, as Ansible does', () => {
    expect(isVaultText('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    expect(isVaultText(' $ANSIBLE_VAULT;1.1;AES256\n')).toBe(false);
    expect(isVaultText(Buffer.from('$ANSIBLE_VAULT;1.2;AES256;x\n'))).toBe(true);
  });

  it.each([
    ['$ANSIBLE_VAULT;1.1;AES\n3030\n', 'cipher "AES"'],
    ['$ANSIBLE_VAULT;1.1\n3030\n', 'header'],
    ['$ANSIBLE_VAULT;1.1;AES256\nzz\n', 'not hexadecimal'],
    [`$ANSIBLE_VAULT;1.1;AES256\n${Buffer.from('00\n11').toString('hex')}\n`, 'salt, HMAC and ciphertext'],
  ])('malformed data is an input error pointing at where it is: %s', (text, why) => {
    expect.assertions(3);
    try {
      keyring(['default', 'pw']).open(text, { file: 'f.yml', line: 3, col: 9 });
    } catch (e) {
      expect((e as ProvisionError).exitCode).toBe(4);
      expect((e as ProvisionError).message).toContain(why);
      expect((e as ProvisionError).location).toEqual({ file: 'f.yml', line: 3, col: 9 });
    }
  });

  it('round-trips every byte value and lengths around the block size', () => {
    for (const n of [0, 1, 15, 16, 17, 256]) {
      const plain = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37) & 0xff));
      const text = sealVaultText(plain, Buffer.from('pw'), 'x');
      expect(parseVaultText(text).label).toBe('x');
      expect(keyring(['x', 'pw']).open(text, where).plaintext.equals(plain)).toBe(true);
    }
  });

  it('formats a payload the way it parses it', () => {
    const payload = encryptPayload(Buffer.from('v'), Buffer.from('pw'), salt);
    const parsed = parseVaultText(formatVaultText(payload, 'lab'));
    expect(parsed).toMatchObject({ version: '1.2', cipher: 'AES256', label: 'lab' });
    expect(parsed.hmac.equals(payload.hmac)).toBe(true);
  });
});

describe('which password opens what (ansible-vault 2.14 behaviour)', { timeout: 30_000 }, () => {
  const prodText = sealVaultText(Buffer.from('p'), Buffer.from('prod-pw'), 'prod');

  it("a 1.2 file's label does not limit the candidates: another id's right password opens it", () => {
    const opened = keyring(['dev', 'prod-pw']).open(prodText, where);
    expect(opened.secret.id).toBe('dev');
    expect(opened.label).toBe('prod');
  });

  it("the label's own secret is tried first, then the others in the order given", () => {
    const k = keyring(['a', 'x'], ['prod', 'y'], ['b', 'z']);
    expect(k.candidates('prod').map((s) => s.id)).toEqual(['prod', 'a', 'b']);
    expect(k.candidates('default').map((s) => s.id)).toEqual(['a', 'prod', 'b']);
  });

  it('ANSIBLE_VAULT_ID_MATCH: only the label’s secrets are tried', () => {
    const k = new VaultKeyring([{ id: 'dev', password: Buffer.from('prod-pw'), source: 'file d' }], true);
    expect(() => k.open(prodText, where)).toThrow(/no password is given for "prod"/);
  });

  it('a wrong password names the file, the label and every id tried', () => {
    expect(() => keyring(['prod', 'nope'], ['default', 'nope2']).open(prodText, { file: 'group_vars/all.yml', line: 1, col: 1 })).toThrow(
      /vault id "prod".*tried "prod" \(test prod\), "default" \(test default\)/,
    );
  });

  it('no password at all is bad input that says which flags give one', () => {
    expect.assertions(2);
    try {
      new VaultKeyring([]).open(prodText, where);
    } catch (e) {
      expect((e as ProvisionError).exitCode).toBe(4);
      expect((e as ProvisionError).hint).toContain('--vault-id');
    }
  });
});
