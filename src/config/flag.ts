import { z } from 'zod';
import { inputError, ProvisionError, type SourceLocation } from '../errors.js';
import { isTemplated } from '../template/render.js';

/** A yes/no keyword as written: decided now, or a template decided per host when the task runs. */
export type Flag = boolean | string;

// Ansible's boolean(): the strings are compared lowercased and trimmed.
const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** A keyword's yes/no value the way Ansible reads it (`yes`, `off`, `True`, 1), or a template kept for later. */
export const flag = z.union([z.boolean(), z.string(), z.number()]).transform((v, ctx): Flag => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
  if (typeof v === 'string') {
    const w = v.trim().toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
    if (isTemplated(v)) return v;
  }
  ctx.addIssue({
    code: 'custom',
    message: `expected yes/no (true, false, yes, no, on, off, 1, 0) or a "{{ template }}", got ${JSON.stringify(v)}`,
  });
  return z.NEVER;
});

/** A flag that must be known at load time (the play's gather_facts and the like). */
export function fixedFlag(value: Flag | undefined, keyword: string, location: SourceLocation): boolean | undefined {
  if (typeof value === 'string') {
    throw inputError(`a template in "${keyword}" is not supported yet here`, location, `write ${keyword}: true or ${keyword}: false`);
  }
  return value;
}

/** A rendered template's value read as Ansible's boolean(): anything else is an error naming the keyword. */
export function flagValue(rendered: unknown, keyword: string): boolean {
  if (typeof rendered === 'boolean') return rendered;
  if (rendered === 0 || rendered === 1) return rendered === 1;
  if (typeof rendered === 'string') {
    const w = rendered.trim().toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
  }
  throw new ProvisionError('input', `${keyword} rendered to ${JSON.stringify(rendered)}, which is not a yes/no value`, {
    hint: 'make the template give true or false (yes/no, on/off, 1/0)',
  });
}
