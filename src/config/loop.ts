/**
 * A task's loop as Ansible reads it: `loop:` a list, or `with_<lookup>:` the terms of that lookup
 * (with_items is the `items` lookup, with_first_found the `first_found` one), and `loop_control`.
 */
import { z } from 'zod';
import { inputError, type SourceLocation } from '../errors.js';
import { templateExtensions } from '../template/render.js';

const varName = z.string().regex(/^[A-Za-z_]\w*$/, 'must be a variable name');
const flagOrTemplate = z.union([z.boolean(), z.string()]);

export const loopControlSchema = z.strictObject({
  loop_var: varName.optional(),
  index_var: varName.optional(),
  label: z.union([z.string(), z.number()]).optional(),
  pause: z.union([z.number().nonnegative(), z.string()]).optional(),
  extended: flagOrTemplate.optional(),
  extended_allitems: flagOrTemplate.optional(),
});

/** The lookups a `with_` keyword may name: those the template engine has, by their short names. */
export const WITH_LOOKUPS: readonly string[] = Object.keys(templateExtensions.lookups).filter((n) => !n.includes('.'));

/** `with_items`, `with_dict`...: one keyword per lookup, for the task and include schemas. */
export const withKeywordShape: Record<string, z.ZodOptional<z.ZodUnknown>> = Object.fromEntries(
  WITH_LOOKUPS.map((n) => [`with_${n}`, z.unknown().optional()]),
);

export type LoopSource = { kind: 'list'; value: unknown } | { kind: 'lookup'; lookup: string; terms: unknown };

/** loop_control; the yes/no and number fields may be templates, decided per host when the loop runs. */
export interface LoopControl {
  indexVar?: string;
  label?: string;
  pause?: number | string;
  extended?: boolean | string;
  extendedAllitems?: boolean | string;
}

/** The task's loop, if it has one; two loops are Ansible's "duplicate loop in task" error. */
export function parseLoop(kw: Record<string, unknown>, locate: (key: string) => SourceLocation): LoopSource | undefined {
  let found: LoopSource | undefined;
  for (const [key, value] of Object.entries(kw)) {
    if (value === undefined || (key !== 'loop' && !key.startsWith('with_'))) continue;
    const lookup = key === 'loop' ? undefined : key.slice('with_'.length);
    if (found) {
      throw inputError(`duplicate loop in task: ${lookup ?? 'loop'}`, locate(key), 'a task has one loop: keep loop: or one with_ keyword');
    }
    found = lookup === undefined ? { kind: 'list', value } : { kind: 'lookup', lookup, terms: value };
  }
  return found;
}

export function parseLoopControl(raw: z.infer<typeof loopControlSchema> | undefined): { loopVar: string; loopControl: LoopControl } {
  return {
    loopVar: raw?.loop_var ?? 'item',
    loopControl: {
      indexVar: raw?.index_var,
      label: raw?.label === undefined ? undefined : String(raw.label),
      pause: raw?.pause,
      extended: raw?.extended,
      extendedAllitems: raw?.extended_allitems,
    },
  };
}
