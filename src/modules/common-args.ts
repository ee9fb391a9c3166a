import { z } from 'zod';
import { SYMBOLIC_MODE } from './mode.js';

/** Mode as Ansible users write it: '0644', 0644 (read as 644), '644', or symbolic: 'u=rw,g=r,o=r'. */
export const modeArg = z
  .union([
    z
      .string()
      .refine((m) => /^(0o)?[0-7]{3,4}$/.test(m) || SYMBOLIC_MODE.test(m), 'an octal mode like "0644" or a symbolic one like "u=rw,g=r"'),
    z
      .number()
      .int()
      .refine((n) => /^[0-7]{3,4}$/.test(String(n)), 'an octal mode like 0644'),
  ])
  .describe('permissions: octal, quoted ("0644"), or symbolic ("u=rw,g=r,o=r", "u+x")');

export const fileAttrs = {
  mode: modeArg.optional(),
  owner: z.string().min(1).optional().describe('owner name'),
  group: z.string().min(1).optional().describe('group name'),
};

export const absPath = z.string().regex(/^\//, 'an absolute path').describe('absolute path on the host');

/** What a module argument of type bool takes in Ansible (its `boolean()`): these words in any case, 1 and 0. */
const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** The input side of `yesNo`; the module reference names it a boolean. */
export const booleanWords = z.union([z.boolean(), z.number(), z.string()]);

export const yesNo = booleanWords.transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const word = String(v).toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  ctx.addIssue({ code: 'custom', message: `"${v}" is not a valid boolean: write yes/no, true/false, on/off or 1/0 (any case)` });
  return z.NEVER;
});

/** Ansible's check_type_dict on a string: `k1=v1, k2=v2`, split on commas and spaces outside quotes, `\` escaping. */
export function keyValueDict(text: string): Record<string, string> | undefined {
  const fields: string[] = [];
  let buf = '';
  let quoteChar: string | undefined;
  let escaped = false;
  for (const c of text.trim()) {
    if (escaped) {
      buf += c;
      escaped = false;
    } else if (c === '\\') escaped = true;
    else if (!quoteChar && (c === "'" || c === '"')) quoteChar = c;
    else if (quoteChar === c) quoteChar = undefined;
    else if (!quoteChar && (c === ',' || c === ' ')) {
      if (buf) fields.push(buf);
      buf = '';
    } else buf += c;
  }
  if (buf) fields.push(buf);
  if (fields.some((f) => !f.includes('='))) return undefined;
  return Object.fromEntries(fields.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
}

/**
 * An argument of Ansible's type `dict`: a mapping, a JSON object as text, or `k1=v1, k2=v2`;
 * values as text (headers), as the module receives them.
 */
export const dictArg = z
  .union([z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), z.string()])
  .transform((v, ctx) => {
    let dict: unknown = v;
    if (typeof v === 'string') {
      try {
        dict = v.startsWith('{') ? JSON.parse(v) : v.includes('=') ? keyValueDict(v) : undefined;
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        dict = undefined;
      }
    }
    if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
      ctx.addIssue({ code: 'custom', message: 'a mapping, a JSON object, or "key=value, key2=value2" (Ansible\'s dict)' });
      return z.NEVER;
    }
    // Python's str() of a bool, as the header reaches urllib
    return Object.fromEntries(Object.entries(dict).map(([k, x]) => [k, typeof x === 'boolean' ? (x ? 'True' : 'False') : String(x)]));
  })
  .describe('a mapping (or a JSON object, or "k1=v1, k2=v2")');
