import { createHmac, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entryMatches, fingerprint, hostKeyName, keyTypeOf, parseKnownHosts, verifyHostKey } from '../../src/transport/known-hosts.js';

function sshKeyBlob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(body)]);
}
const keyA = sshKeyBlob('ssh-ed25519', 'key-a-bytes-000000000000000000000');
const keyB = sshKeyBlob('ssh-ed25519', 'key-b-bytes-111111111111111111111');
const rsa = sshKeyBlob('ssh-rsa', 'rsa-bytes');

function hashed(name: string): string {
  const salt = Buffer.from('0123456789abcdefghij');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  it('matches plain, bracketed-port, hashed, glob and negated entries', () => {
    expect(hostKeyName('198.18.0.29', 22)).toBe('198.18.0.29');
    expect(hostKeyName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
    expect(entryMatches('a,b,198.18.0.29', '198.18.0.29')).toBe(true);
    expect(entryMatches(hashed('[127.0.0.1]:2222'), '[127.0.0.1]:2222')).toBe(true);
    expect(entryMatches(hashed('[127.0.0.1]:2222'), '127.0.0.1')).toBe(false);
    expect(entryMatches('198.18.*,!198.18.0.9', '198.18.0.29')).toBe(true);
    expect(entryMatches('198.18.*,!198.18.0.9', '198.18.0.9')).toBe(false);
  });

  it('decides match, unknown, changed and revoked', () => {
    const text = [
      `# comment`,
      `${hashed('h1')} ssh-ed25519 ${keyA.toString('base64')}`,
      `h2 ssh-rsa ${rsa.toString('base64')}`,
      `@revoked h3 ssh-ed25519 ${keyB.toString('base64')}`,
      `@cert-authority *.example ssh-ed25519 ${keyB.toString('base64')}`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(verifyHostKey(entries, 'h1', keyA)).toEqual({ status: 'match' });
    expect(verifyHostKey(entries, 'h1', keyB)).toEqual({ status: 'changed', line: 2 });
    // a host known only by another key type is not "changed": OpenSSH asks, so do we (unknown)
    expect(verifyHostKey(entries, 'h2', keyA)).toEqual({ status: 'unknown' });
    expect(verifyHostKey(entries, 'h3', keyB)).toEqual({ status: 'revoked', line: 4 });
    expect(verifyHostKey(entries, 'nobody', keyA)).toEqual({ status: 'unknown' });
  });

  it('fingerprints as OpenSSH prints them', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const blob = Buffer.concat([sshKeyBlob('ssh-ed25519', '').subarray(0, 15), Buffer.from([0, 0, 0, 32]), raw]);
    expect(keyTypeOf(blob)).toBe('ssh-ed25519');
    expect(fingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
