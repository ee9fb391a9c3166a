import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { type AptKeys, aptKeys } from '../reads/apt-keys.js';
import { commandLine } from '../shell/quote.js';
import { absPath, yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z
  .strictObject({
    id: z.string().min(1).optional().describe('the key id (8, 16 or more hex digits); required for state=absent without file or data'),
    data: z.string().min(1).optional().describe('the key itself (armored or binary text)'),
    file: absPath.optional().describe('a key file on the host'),
    keyring: absPath.optional().describe('the keyring to add to or remove from (in /etc/apt/trusted.gpg.d/)'),
    state: z.enum(['present', 'absent']).default('present'),
    url: z.string().optional().describe('refused: provision does not download keys from the host; get_url, then file'),
    keyserver: z.string().optional().describe('refused: provision does not contact key servers'),
    validate_certs: yesNo.default(true).describe('accepted for Ansible'),
  })
  .refine((a) => a.url === undefined, { message: 'url is not supported: download the key with get_url and give its path as file' })
  .refine((a) => a.keyserver === undefined, { message: 'keyserver is not supported: provision does not contact key servers' })
  .refine((a) => [a.data, a.file].filter((x) => x !== undefined).length <= 1, { message: 'data and file are mutually exclusive' });
export type AptKeyArgs = z.infer<typeof schema>;

/** Ansible's parse_key_id: the short id (apt-key del), the id listings compare with, the whole id. */
export function parseKeyId(id: string): { short: string; fingerprint: string; keyId: string } | undefined {
  let keyId = id.toUpperCase();
  if (!/^(0X)?[0-9A-F]+$/.test(keyId)) return undefined;
  if (keyId.startsWith('0X')) keyId = keyId.slice(2);
  if (keyId.length !== 8 && keyId.length !== 16 && keyId.length <= 16) return undefined;
  return { short: keyId.slice(-8), fingerprint: keyId.length > 16 ? keyId.slice(-16) : keyId, keyId };
}

export function decideAptKey(a: AptKeyArgs, found: AptKeys): Plan {
  const id = a.id ?? found.given ?? undefined;
  const result: Record<string, unknown> = { id: id ?? null };
  if (id === undefined) return { changes: [], failed: 'Invalid key_id', data: result };
  const parsed = parseKeyId(id);
  if (!parsed) return { changes: [], failed: 'Invalid key_id', data: result };
  const short = parsed.keyId.length === 8;
  const keys = short ? found.keys.map((k) => k.slice(-8)) : found.keys;
  const data = { ...result, short_id: parsed.short, fp: parsed.fingerprint, key_id: parsed.keyId, before: keys };
  const aptKey = ['apt-key', ...(a.keyring ? ['--keyring', a.keyring] : [])];
  if (a.state === 'absent') {
    if (!keys.includes(parsed.fingerprint)) return { changes: [], msg: `key ${parsed.keyId} is absent`, data };
    return {
      changes: [{ kind: 'exec', command: commandLine([...aptKey, 'del', parsed.short]), description: `remove key ${parsed.keyId}` }],
      data,
    };
  }
  if (keys.includes(short ? parsed.short : parsed.fingerprint)) return { changes: [], msg: `key ${parsed.keyId} is present`, data };
  if (a.file !== undefined)
    return { changes: [{ kind: 'exec', command: commandLine([...aptKey, 'add', a.file]), description: `add key ${parsed.keyId}` }], data };
  if (a.data !== undefined)
    return {
      changes: [
        { kind: 'exec', command: commandLine([...aptKey, 'add', '-']), stdin: Buffer.from(a.data), description: `add key ${parsed.keyId}` },
      ],
      data,
    };
  return { changes: [], failed: `key ${parsed.keyId} is missing and there is no file or data to add it from`, data };
}

export const aptKey = defineModule({
  name: 'apt_key',
  schema,
  async plan({ args, reader }) {
    const found = await reader.get(aptKeys, {
      ...(args.keyring ? { keyring: args.keyring } : {}),
      ...(args.id === undefined && args.file !== undefined ? { file: args.file } : {}),
      ...(args.id === undefined && args.data !== undefined ? { data: args.data } : {}),
    });
    return decideAptKey(args, found);
  },
  async resultAfterApply({ args, reader }) {
    const { keys } = await reader.get(aptKeys, args.keyring ? { keyring: args.keyring } : {});
    const short = args.id !== undefined && parseKeyId(args.id)?.keyId.length === 8;
    return { after: short ? keys.map((k) => k.slice(-8)) : keys };
  },
});
