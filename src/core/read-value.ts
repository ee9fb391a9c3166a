import type { Json, ReadValue } from './reads.js';

const BYTES = '$base64';

/** A read's value as JSON (bytes become { "$base64": ... }), for saved plans and fixtures. */
export function toJson(value: ReadValue | undefined): Json | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return { [BYTES]: value.toString('base64') };
  if (Array.isArray(value)) return value.map((v) => toJson(v) ?? null);
  const out: { [k: string]: Json | undefined } = {};
  for (const [k, v] of Object.entries(value as { readonly [k: string]: ReadValue | undefined })) if (v !== undefined) out[k] = toJson(v);
  return out;
}

/** The inverse of toJson. */
export function fromJson(json: Json | undefined): ReadValue | undefined {
  if (json === undefined || json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map((v) => fromJson(v) ?? null);
  const obj = json as { readonly [k: string]: Json | undefined };
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === BYTES && typeof obj[BYTES] === 'string') return Buffer.from(obj[BYTES], 'base64');
  const out: { [k: string]: ReadValue | undefined } = {};
  for (const k of keys) out[k] = fromJson(obj[k]);
  return out;
}
