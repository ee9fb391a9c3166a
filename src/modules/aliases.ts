import { z } from 'zod';
import { must } from '../errors.js';

/** Arguments a module requires that also have aliases: the object cannot say so itself (either key may carry it). */
const requiredWithAlias = new WeakSet<z.ZodType>();

/** For the reference: the argument is required, under its own name or one of its aliases. */
export function isRequiredArgument(s: z.ZodType): boolean {
  return requiredWithAlias.has(s) || !s.safeParse(undefined).success;
}

/**
 * A module's arguments with Ansible's aliases (`dest` for `path`, `pkg` for `name`), declared once:
 * each alias accepts what its argument accepts and is folded into it, so planners see only the
 * argument's own name. The schema stays a plain object (unknown keys still get a "did you mean").
 * An aliased argument's default applies after folding.
 */
export function withAliases<S extends Record<string, z.ZodType>, const A extends Record<string, keyof S & string>>(
  shape: S,
  aliases: A,
): z.ZodType<z.output<z.ZodObject<S>>, z.input<z.ZodObject<S>> & { [K in keyof A]?: z.input<S[A[K]]> }> {
  const fieldOf = (name: string): z.ZodType => must((shape as Record<string, z.ZodType | undefined>)[name], `argument ${name}`);
  const targets = new Set<string>(Object.values(aliases));
  const required = [...targets].filter((t) => !fieldOf(t).safeParse(undefined).success);
  const fields: Record<string, z.ZodType> = {};
  const defaults = new Map<string, unknown>();
  for (const [name, s] of Object.entries(shape)) {
    if (targets.has(name) && s instanceof z.ZodDefault) {
      // Either key may carry the value: the default applies once both are folded, or it would look given twice.
      defaults.set(name, s.def.defaultValue);
      fields[name] = (s.def.innerType as z.ZodType)
        .optional()
        .describe(`${s.description ?? ''} (default ${JSON.stringify(s.def.defaultValue)})`.trim());
    } else if (!required.includes(name)) fields[name] = s;
    else {
      const opt = s.optional();
      requiredWithAlias.add(opt);
      fields[name] = opt;
    }
  }
  for (const [alias, target] of Object.entries(aliases)) {
    const s = fieldOf(target);
    // The alias takes the value without the default: a default there would make it look given.
    const base = s instanceof z.ZodDefault ? (s.def.innerType as z.ZodType) : s;
    fields[alias] = base.optional().describe(`alias of ${target}`);
  }
  const byTarget = new Map<string, string[]>();
  for (const [alias, target] of Object.entries(aliases)) byTarget.set(target, [...(byTarget.get(target) ?? []), alias]);
  const schema = z.strictObject(fields).superRefine((args, ctx) => {
    for (const [target, names] of byTarget) {
      const given = [target, ...names].filter((n) => args[n] !== undefined);
      if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1] ?? target], message: `give ${given.join(' or ')}, not both` });
      if (given.length === 0 && required.includes(target)) ctx.addIssue({ code: 'custom', path: [], message: `${target} is required` });
    }
  });
  const folded = schema.overwrite((args) => {
    for (const [alias, target] of Object.entries(aliases)) {
      if (args[alias] !== undefined) args[target] = args[alias];
      delete args[alias];
    }
    for (const [name, value] of defaults) if (args[name] === undefined) args[name] = value;
    return args;
  });
  // zod cannot type a check that renames keys in place: the output is the shape's own, aliases folded away.
  return folded as unknown as z.ZodType<z.output<z.ZodObject<S>>, z.input<z.ZodObject<S>> & { [K in keyof A]?: z.input<S[A[K]]> }>;
}
