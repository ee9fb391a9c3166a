import { createHash, createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { matchOpenSshPatternList } from './openssh-pattern.js';

export interface KnownHostEntry {
  patterns: string;
  keyType: string;
  key: Buffer;
  revoked: boolean;
  line: number;
}

export type HostKeyVerdict =
  | { status: 'match' }
  | { status: 'unknown' }
  | { status: 'changed'; line: number }
  | { status: 'revoked'; line: number };

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** SHA256 fingerprint as OpenSSH prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type is the first string inside the key blob itself. */
export function keyTypeOf(key: Buffer): string {
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString('latin1');
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      const marker = fields.shift();
      // Certificate authorities sign host certificates, which this transport does not use.
      if (marker === '@cert-authority') return;
      revoked = marker === '@revoked';
    }
    const [patterns, keyType, b64] = fields;
    if (!patterns || !keyType || !b64) return;
    entries.push({ patterns, keyType, key: Buffer.from(b64, 'base64'), revoked, line: i + 1 });
  });
  return entries;
}

function matchesHashed(pattern: string, name: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** Whether an entry's host field names `name`, following OpenSSH: hashed, globs, negation. */
export function entryMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return matchesHashed(patterns, name);
  return matchOpenSshPatternList(name, patterns) === 'match';
}

export function verifyHostKey(entries: readonly KnownHostEntry[], name: string, key: Buffer): HostKeyVerdict {
  const type = keyTypeOf(key);
  const mine = entries.filter((e) => entryMatches(e.patterns, name));
  const revoked = mine.find((e) => e.revoked && e.key.equals(key));
  if (revoked) return { status: 'revoked', line: revoked.line };
  if (mine.some((e) => !e.revoked && e.key.equals(key))) return { status: 'match' };
  // Another key of the same type for this host means the host key changed: never accept that.
  const other = mine.find((e) => !e.revoked && e.keyType === type);
  if (other) return { status: 'changed', line: other.line };
  return { status: 'unknown' };
}

export class KnownHostsFile {
  constructor(readonly path: string) {}

  entries(): KnownHostEntry[] {
    return existsSync(this.path) ? parseKnownHosts(readFileSync(this.path, 'utf8')) : [];
  }

  add(name: string, key: Buffer): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    appendFileSync(this.path, `${name} ${keyTypeOf(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
  }
}
