/**
 * Ansible's password_hash as the Debian controller runs it (ansible-core 2.14 with python3-passlib):
 * SHA-512/SHA-256/MD5 crypt, byte-identical for the same salt and rounds. As there, rounds default
 * to passlib's 656000 (SHA-512) / 535000 (SHA-256) and are spelled out in the hash unless 5000, a
 * salt is at most 16 (MD5: 8) characters of [./0-9A-Za-z], drawn at random when not given.
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

/** passlib schemes Ansible would accept that provision does not compute (yet). */
const PASSLIB_ONLY = [
  'bcrypt',
  'bcrypt_sha256',
  'des_crypt',
  'bsdi_crypt',
  'bigcrypt',
  'crypt16',
  'sha1_crypt',
  'sun_md5_crypt',
  'apr_md5_crypt',
];

const SALT_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./';

export function randomSalt(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SALT_CHARS.charAt(randomInt(SALT_CHARS.length));
  return out;
}

/** Ansible's passlib_or_crypt, passlib branch. */
export function cryptHash(secret: string, algorithm: string, salt: string | null, saltSize: number | null, rounds: number | null): string {
  const algo = ALGORITHMS[algorithm];
  if (!algo) {
    if (PASSLIB_ONLY.includes(algorithm)) throw pluginError(`password_hash: '${algorithm}' is not supported by provision`);
    throw pluginError(`passlib does not support '${algorithm}' algorithm`);
  }
  const cannotHash = (why: string) => pluginError(`Could not hash the secret.. ${why}`);
  const s = salt || randomSalt(saltSize || algo.saltSize);
  if (/[^./0-9A-Za-z]/.test(s)) throw cannotHash(`invalid characters in ${algorithm} salt`);
  if (s.length > algo.saltSize) throw cannotHash(`salt too large (${algorithm} requires <= ${algo.saltSize} chars)`);
  if (algorithm === 'md5_crypt') return md5Crypt(secret, s);
  const r = rounds || algo.implicitRounds || 5000;
  if (r < 1000) throw cannotHash(`${algorithm}: min_desired_rounds (${r}) is too low, must be at least 1000`);
  if (r > 999_999_999) throw cannotHash(`${algorithm}: min_desired_rounds (${r}) is too large, cannot be more than 999999999`);
  return shaCrypt(algorithm === 'sha256_crypt' ? 'sha256' : 'sha512', secret, s, r === 5000 ? undefined : r);
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
