/**
 * Ansible's password_hash as the Debian controller runs it (ansible-core 2.14 without passlib, so
 * Python's crypt module): SHA-512/SHA-256/MD5 crypt, byte-identical for the same salt and rounds.
 * As there, rounds equal to passlib's implicit default (656000 / 535000) mean crypt's own default
 * 5000, and a salt is 8-16 characters of [./0-9A-Za-z], drawn at random when not given.
 */
import { randomInt } from 'node:crypto';
import type { Filter } from '../../extension.js';
import { pyStr } from '../../value.js';
import { md5Crypt, shaCrypt } from '../sha-crypt.js';
import { bind, pluginError, toText } from '../shared.js';

const ALIASES: Record<string, string> = { md5: 'md5_crypt', blowfish: 'bcrypt', sha256: 'sha256_crypt', sha512: 'sha512_crypt' };

interface Algorithm {
  saltSize: number;
  implicitRounds?: number;
}

const ALGORITHMS: Record<string, Algorithm> = {
  md5_crypt: { saltSize: 8 },
  sha256_crypt: { saltSize: 16, implicitRounds: 535000 },
  sha512_crypt: { saltSize: 16, implicitRounds: 656000 },
};

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./';

export function randomSalt(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SALT_CHARS.charAt(randomInt(SALT_CHARS.length));
  return out;
}

/** Ansible's passlib_or_crypt, crypt branch. */
export function cryptHash(secret: string, algorithm: string, salt: string | null, saltSize: number | null, rounds: number | null): string {
  const algo = ALGORITHMS[algorithm];
  if (!algo) throw pluginError(`crypt.crypt does not support '${algorithm}' algorithm`);
  const s = salt || randomSalt(saltSize || algo.saltSize);
  if (/[^./0-9A-Za-z]/.test(s)) throw pluginError('invalid characters in salt');
  if (s.length > algo.saltSize) throw pluginError('invalid salt size');
  const r = rounds === null || rounds === algo.implicitRounds ? undefined : rounds;
  if (algorithm === 'md5_crypt') return md5Crypt(secret, s);
  return shaCrypt(algorithm === 'sha256_crypt' ? 'sha256' : 'sha512', secret, s, r || undefined);
}

const passwordHash: Filter = (_ctx, value, args, kwargs) => {
  const [hashtype, salt, saltSize, rounds] = bind(
    'password_hash',
    ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'],
    ['sha512', null, null, null, null] as unknown[],
    args,
    kwargs,
  );
  const name = pyStr(hashtype);
  return cryptHash(
    toText(value),
    ALIASES[name] ?? name,
    salt === null ? null : pyStr(salt),
    saltSize === null ? null : Number(saltSize),
    rounds === null ? null : Number(rounds),
  );
};

export const cryptFilters: Record<string, Filter> = { password_hash: passwordHash };
