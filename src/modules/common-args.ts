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
