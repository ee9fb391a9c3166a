/**
 * The password lookup: a random password generated once and kept in the named controller file
 * (Ansible's format: the password, then ` salt=SALT` when it is to be encrypted), read back on the
 * next run. /dev/null keeps nothing. With `seed` the password is Python's random.Random(seed) choice
 * over the characters, as Ansible draws it. Callers must treat the result as a secret (issue 13).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Lookup } from '../../extension.js';
import { pyStr } from '../../value.js';
import { cryptHash, randomSalt } from '../filters/crypt.js';
import { pyDirname, pyJoin } from '../filters/paths.js';
import { pyRandom } from '../filters/random.js';
import { pluginError } from '../shared.js';
import { parseKv } from './kv.js';
import { baseDir } from './search.js';

const VALID_PARAMS = ['length', 'encrypt', 'chars', 'ident', 'seed'];

/** Python's string module constants that `chars` may name. */
const CHAR_SETS: Record<string, string> = {
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  whitespace: ' \t\n\r\x0b\x0c',
  printable: '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c',
};

const SALT_SIZES: Record<string, number> = { md5_crypt: 8, bcrypt: 22, sha256_crypt: 16, sha512_crypt: 16 };

interface Params {
  length: number;
  encrypt: string | null;
  chars: string[];
  seed: unknown;
}

function parseParams(term: string, kwargs: Record<string, unknown>): { path: string; params: Params } {
  const space = term.indexOf(' ');
  let path = term;
  let inline: Record<string, string> = {};
  if (space >= 0) {
    path = term.slice(0, space);
    inline = parseKv(term.slice(space + 1));
    if (inline._raw_params !== undefined) {
      path = `${path} ${inline._raw_params}`;
      delete inline._raw_params;
      if (!term.startsWith(path)) throw pluginError('Unrecognized value after key=value parameters given to password lookup');
    }
  }
  const invalid = Object.keys(inline).filter((k) => !VALID_PARAMS.includes(k));
  if (invalid.length) throw pluginError(`Unrecognized parameter(s) given to password lookup: ${invalid.join(', ')}`);
  const merged: Record<string, unknown> = {
    length: 20,
    encrypt: null,
    chars: ['ascii_letters', 'digits', '.,:-_'],
    seed: null,
    ...kwargs,
    ...inline,
  };
  let chars = merged.chars;
  if (typeof chars === 'string') {
    const list: string[] = chars.includes(',,') ? [','] : [];
    list.push(...chars.replace(/,,/g, ',').split(',').filter(Boolean));
    chars = list;
  }
  const length = Number.parseInt(pyStr(merged.length), 10);
  if (Number.isNaN(length)) throw pluginError(`invalid literal for int() with base 10: '${pyStr(merged.length)}'`);
  return {
    path,
    params: {
      length,
      encrypt: merged.encrypt === null || merged.encrypt === undefined ? null : pyStr(merged.encrypt),
      chars: (chars as unknown[]).map((c) => pyStr(c)),
      seed: merged.seed,
    },
  };
}

function candidateChars(specs: string[]): string {
  return specs
    .map((s) => CHAR_SETS[s] ?? s)
    .join('')
    .replace(/["']/g, '');
}

/** Ansible's random_password: `length` choices from `chars`, seeded when a seed is given. */
export function randomPassword(length: number, chars: string, seed: unknown): string {
  const r = pyRandom(seed);
  const pool = [...chars];
  let out = '';
  for (let i = 0; i < length; i++) out += r.choice(pool);
  return out;
}

/** The password file's content: the password, and the salt (and ident) after it. */
function parseContent(content: string): { password: string; salt: string | null } {
  const sep = content.lastIndexOf(' salt=');
  if (sep < 0) return { password: content, salt: null };
  const rest = content.slice(sep + ' salt='.length);
  const identAt = rest.lastIndexOf(' ident=');
  return { password: content.slice(0, sep), salt: identAt < 0 ? rest : rest.slice(0, identAt) };
}

const password: Lookup = (ctx, terms, kwargs) =>
  terms.map((term) => {
    const { path: relpath, params } = parseParams(pyStr(term), kwargs);
    const path = relpath.startsWith('/') ? relpath : pyJoin([baseDir(ctx), relpath]);
    const devNull = path === '/dev/null';
    const content = existsSync(path) ? readFileSync(path, 'utf8').replace(/\s+$/, '') : null;
    let plaintext: string;
    let salt: string | null = null;
    let changed = false;
    if (content === null || devNull) {
      plaintext = randomPassword(params.length, candidateChars(params.chars), params.seed);
      changed = true;
    } else ({ password: plaintext, salt } = parseContent(content));
    const encrypt = params.encrypt;
    if (encrypt && !salt) {
      salt = randomSalt(SALT_SIZES[encrypt] ?? 8);
      changed = true;
    }
    if (encrypt) changed = true; // Ansible rewrites the file whenever it encrypts (no ident for SHA/MD5)
    if (changed && !devNull) {
      mkdirSync(pyDirname(path) || '.', { recursive: true, mode: 0o700 });
      writeFileSync(path, `${encrypt || salt ? `${plaintext} salt=${salt}` : plaintext}\n`, { mode: 0o600 });
      chmodSync(path, 0o600);
    }
    return encrypt ? cryptHash(plaintext, encrypt, salt, null, null) : plaintext;
  });

export const passwordLookups: Record<string, Lookup> = { password };
