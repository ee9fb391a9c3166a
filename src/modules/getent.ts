import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { type GetentDb, getentDb } from '../reads/getent-db.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  database: z.string().min(1).describe('the getent database: passwd, group, hosts, services...'),
  key: z.union([z.string(), z.number()]).transform(String).optional().describe('one entry only; the whole database when not given'),
  service: z.string().optional().describe('the NSS service to ask instead of the configured ones (getent -s)'),
  split: z.string().optional().describe('the separator of the fields; ":" for passwd, shadow, group and gshadow, whitespace otherwise'),
  fail_key: yesNo.default(true).describe('fail when the key is not found'),
});
export type GetentArgs = z.infer<typeof schema>;

const COLON = ['passwd', 'shadow', 'group', 'gshadow'];

/** Python's str.split: by a separator, or (none given) on runs of whitespace with the ends trimmed. */
function pySplit(line: string, sep: string | undefined): string[] {
  if (sep === undefined) return line.trim() === '' ? [] : line.trim().split(/\s+/);
  return line.split(sep);
}

/** The records as the module keys them: by first field; a key seen again holds a list of the records. */
export function getentRecords(out: string, split: string | undefined): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  const seen = new Map<string, number>();
  for (const line of out.split(/\r\n|\n|\r/).filter((l, i, all) => i < all.length - 1 || l !== '')) {
    const [first = '', ...rest] = pySplit(line, split);
    const n = seen.get(first) ?? 0;
    if (n === 0) tree[first] = rest;
    else {
      if (n === 1) tree[first] = [tree[first]];
      (tree[first] as unknown[]).push(rest);
    }
    seen.set(first, n + 1);
  }
  return tree;
}

/** Pure decision: no change ever; the records become the `getent_<database>` fact (a name the module chose, not a secret's). */
export function decideGetent(a: GetentArgs, result: GetentDb): Plan {
  if (result === null) return { changes: [], failed: 'Failed to find required executable "getent" in paths' };
  const name = `getent_${a.database}`;
  const split = a.split ?? (COLON.includes(a.database) ? ':' : undefined);
  const found = (tree: Record<string, unknown>, msg?: string): Plan => {
    const facts = { [name]: tree };
    return { changes: [], hostFacts: facts, data: { ansible_facts: facts }, msg };
  };
  if (result.rc === 0) return found(getentRecords(result.out, split));
  if (result.rc === 2 && !a.fail_key && a.key !== undefined)
    return found({ [a.key]: null }, 'One or more supplied key could not be found in the database.');
  const msg: Record<number, string> = {
    1: 'Missing arguments, or database unknown.',
    2: 'One or more supplied key could not be found in the database.',
    3: 'Enumeration not supported on this database.',
  };
  return { changes: [], failed: msg[result.rc] ?? 'Unexpected failure!' };
}

export const getent = defineModule({
  name: 'getent',
  schema,
  definesVariables: (args) => (typeof args.database === 'string' ? [`getent_${args.database}`] : []),
  async plan({ args, reader }) {
    const q: { database: string; key?: string; service?: string } = { database: args.database };
    if (args.key !== undefined) q.key = args.key;
    if (args.service !== undefined) q.service = args.service;
    return decideGetent(args, await reader.get(getentDb, q));
  },
});
