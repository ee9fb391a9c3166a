/** Ansible's digest filters: hash (any hashlib name), checksum and sha1, md5. */
import { createHash, getHashes } from 'node:crypto';
import type { Filter } from '../../extension.js';
import { pyStr } from '../../value.js';
import { bind, pluginError, toText } from '../shared.js';

/** hashlib names as OpenSSL through Node spells them. */
const NODE_NAMES: Record<string, string> = {
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
  sha512_224: 'sha512-224',
  sha512_256: 'sha512-256',
};

/** hashlib.new(name).update(text).hexdigest(). */
export function hexDigest(algorithm: string, text: string): string {
  const name = NODE_NAMES[algorithm.toLowerCase()] ?? algorithm.toLowerCase();
  if (!getHashes().includes(name) || name.startsWith('shake')) throw pluginError(`unsupported hash type ${algorithm}`);
  return createHash(name).update(text, 'utf8').digest('hex');
}

const hash: Filter = (_ctx, value, args, kwargs) => {
  const [hashtype] = bind('hash', ['hashtype'], ['sha1'], args, kwargs);
  return hexDigest(pyStr(hashtype), toText(value));
};

const digest =
  (algorithm: string): Filter =>
  (_ctx, value) =>
    hexDigest(algorithm, toText(value));

export const hashFilters: Record<string, Filter> = {
  hash,
  checksum: digest('sha1'),
  sha1: digest('sha1'),
  md5: digest('md5'),
};
