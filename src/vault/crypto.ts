import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { VaultPayload } from './format.js';

// ansible-vault's AES256 scheme: PBKDF2-SHA256 (10000 rounds) derives 32 bytes of AES-256-CTR key,
// 32 bytes of HMAC-SHA256 key and a 16-byte initial counter; the plaintext is PKCS#7-padded to the
// AES block before CTR (Ansible pads although CTR does not need it), and the HMAC covers the ciphertext.
const ITERATIONS = 10_000;
const KEY_LENGTH = 32;
const BLOCK = 16;
const SALT_LENGTH = 32;

interface Keys {
  cipherKey: Buffer;
  hmacKey: Buffer;
  counter: Buffer;
}

function deriveKeys(password: Buffer, salt: Buffer): Keys {
  const material = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_LENGTH + BLOCK, 'sha256');
  return {
    cipherKey: material.subarray(0, KEY_LENGTH),
    hmacKey: material.subarray(KEY_LENGTH, 2 * KEY_LENGTH),
    counter: material.subarray(2 * KEY_LENGTH),
  };
}

/** Encrypt with a fresh random salt (or the given one, for known-answer tests). */
export function encryptPayload(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(SALT_LENGTH)): VaultPayload {
  const keys = deriveKeys(password, salt);
  const pad = BLOCK - (plaintext.length % BLOCK);
  const padded = Buffer.concat([plaintext, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-ctr', keys.cipherKey, keys.counter);
  const ciphertext = Buffer.concat([cipher.update(padded), cipher.final()]);
  const hmac = createHmac('sha256', keys.hmacKey).update(ciphertext).digest();
  return { salt, hmac, ciphertext };
}

export type DecryptResult = { ok: true; plaintext: Buffer } | { ok: false; reason: 'wrong-password' | 'bad-padding' };

/** Decrypt if `password` is the one the payload was made with; the HMAC decides, compared in constant time. */
export function decryptPayload(payload: VaultPayload, password: Buffer): DecryptResult {
  const keys = deriveKeys(password, payload.salt);
  const expected = createHmac('sha256', keys.hmacKey).update(payload.ciphertext).digest();
  if (expected.length !== payload.hmac.length || !timingSafeEqual(expected, payload.hmac)) return { ok: false, reason: 'wrong-password' };
  const decipher = createDecipheriv('aes-256-ctr', keys.cipherKey, keys.counter);
  const padded = Buffer.concat([decipher.update(payload.ciphertext), decipher.final()]);
  const pad = padded.at(-1) ?? 0;
  const validPad = pad >= 1 && pad <= BLOCK && pad <= padded.length && padded.subarray(padded.length - pad).every((b) => b === pad);
  if (!validPad) return { ok: false, reason: 'bad-padding' };
  return { ok: true, plaintext: padded.subarray(0, padded.length - pad) };
}
