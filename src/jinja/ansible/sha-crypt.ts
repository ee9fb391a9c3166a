/**
 * The crypt(3) password hashes Ansible's password_hash makes through Python's crypt module:
 * SHA-crypt ($5$ SHA-256, $6$ SHA-512, Ulrich Drepper's specification) and MD5-crypt ($1$),
 * written from their public specifications. Output is byte-identical to glibc's crypt() for the
 * same salt and rounds.
 */
import { createHash } from 'node:crypto';

const B64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** crypt's base-64: 24-bit groups of three bytes, least significant six bits first. */
function b64From24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += B64[w & 0x3f];
    w >>>= 6;
  }
  return out;
}

/** A byte string made of `src` repeated to `length` bytes. */
function repeatTo(src: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += src.length) src.copy(out, i, 0, Math.min(src.length, length - i));
  return out;
}

export const SHA_CRYPT_DEFAULT_ROUNDS = 5000;

/**
 * SHA-crypt of `password` with `salt` (at most 16 characters are used). `rounds` undefined means
 * the default 5000, which the output then does not spell out.
 */
export function shaCrypt(algorithm: 'sha256' | 'sha512', password: string, salt: string, rounds?: number): string {
  const hashLength = algorithm === 'sha256' ? 32 : 64;
  const digest = (...parts: Buffer[]) => {
    const h = createHash(algorithm);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const r = rounds === undefined ? SHA_CRYPT_DEFAULT_ROUNDS : Math.min(999_999_999, Math.max(1000, rounds));

  const b = digest(pw, s, pw);
  const a = createHash(algorithm).update(pw).update(s).update(repeatTo(b, pw.length));
  for (let n = pw.length; n > 0; n >>= 1) a.update(n & 1 ? b : pw);
  const aDigest = a.digest();

  const dpHash = createHash(algorithm);
  for (let i = 0; i < pw.length; i++) dpHash.update(pw);
  const p = repeatTo(dpHash.digest(), pw.length);

  const dsHash = createHash(algorithm);
  for (let i = 0; i < 16 + (aDigest[0] ?? 0); i++) dsHash.update(s);
  const sBytes = repeatTo(dsHash.digest(), s.length);

  let c = aDigest;
  for (let i = 0; i < r; i++) {
    const h = createHash(algorithm);
    h.update(i & 1 ? p : c);
    if (i % 3) h.update(sBytes);
    if (i % 7) h.update(p);
    h.update(i & 1 ? c : p);
    c = h.digest();
  }

  const byte = (i: number) => c[i] ?? 0;
  let encoded = '';
  if (hashLength === 32) {
    for (let i = 0; i < 10; i++) {
      const x = (i * 21) % 30;
      const order = [x, (x + 10) % 30, (x + 20) % 30];
      // glibc's table for SHA-256: (0,10,20) (21,1,11) (12,22,2) ...
      encoded += b64From24(byte(order[0] ?? 0), byte(order[1] ?? 0), byte(order[2] ?? 0), 4);
    }
    encoded += b64From24(0, byte(31), byte(30), 3);
  } else {
    for (let i = 0; i < 21; i++) {
      const x = (i * 22) % 63;
      encoded += b64From24(byte(x), byte((x + 21) % 63), byte((x + 42) % 63), 4);
    }
    encoded += b64From24(0, 0, byte(63), 2);
  }
  const id = algorithm === 'sha256' ? '5' : '6';
  const roundsPart = rounds === undefined ? '' : `rounds=${r}$`;
  return `$${id}$${roundsPart}${s.toString('utf8')}$${encoded}`;
}

/** MD5-crypt ($1$), Poul-Henning Kamp's algorithm (salt: at most 8 characters). */
export function md5Crypt(password: string, salt: string): string {
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const magic = Buffer.from('$1$');
  const alt = createHash('md5').update(pw).update(s).update(pw).digest();
  const ctx = createHash('md5').update(pw).update(magic).update(s).update(repeatTo(alt, pw.length));
  for (let n = pw.length; n > 0; n >>= 1) ctx.update(n & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  let c = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const h = createHash('md5');
    h.update(i & 1 ? pw : c);
    if (i % 3) h.update(s);
    if (i % 7) h.update(pw);
    h.update(i & 1 ? c : pw);
    c = h.digest();
  }
  const byte = (i: number) => c[i] ?? 0;
  let encoded = '';
  for (const [x, y, z] of [
    [0, 6, 12],
    [1, 7, 13],
    [2, 8, 14],
    [3, 9, 15],
    [4, 10, 5],
  ] as const) {
    encoded += b64From24(byte(x), byte(y), byte(z), 4);
  }
  encoded += b64From24(0, 0, byte(11), 2);
  return `$1$${s.toString('utf8')}$${encoded}`;
}
