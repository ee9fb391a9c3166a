import { z } from 'zod';
import { isRequiredArgument } from '../modules/aliases.js';
import { booleanWords } from '../modules/common-args.js';
import { allModules } from './modules.js';

/** The object schema inside refinements and pipes, where the arguments are. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  if (schema instanceof z.ZodRecord) return undefined;
  return undefined;
}

function typeName(s: z.core.$ZodType): string {
  // Zod's own union of its schema classes: switching on def.type narrows def to that class's fields.
  const { def } = (s as z.core.$ZodTypes)._zod;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return typeName(def.innerType);
    case 'union':
      return [...new Set(def.options.map(typeName))].join(' or ');
    case 'enum':
      return Object.values(def.entries).join(', ');
    case 'array':
      return `list of ${typeName(def.element)}`;
    case 'pipe':
      return def.in === booleanWords ? 'boolean (yes/no, true/false, on/off, 1/0)' : typeName(def.in);
    default:
      return def.type;
  }
}

/** A description given before `.optional()` or `.default()` sits on the inner schema. */
function descriptionOf(s: z.ZodType): string {
  if (s.description) return s.description;
  const inner = (s as unknown as { def: { innerType?: z.ZodType } }).def.innerType;
  return inner ? descriptionOf(inner) : '';
}

/** The module reference, from the same schemas that check the arguments: it cannot drift. */
export function moduleReference(): string {
  const lines: string[] = [];
  for (const m of allModules()) {
    lines.push(`## ${m.name}`, '');
    if (m.collection) lines.push(`Also named \`${m.collection}.${m.name}\`.`, '');
    if (m.aliases?.length) lines.push(`Also named ${m.aliases.map((a) => `\`${a}\``).join(', ')}.`, '');
    const shape = objectShape(m.schema);
    if (!shape) {
      lines.push(m.argumentsDoc ?? '(free form)', '');
      continue;
    }
    lines.push('| argument | type | required | default | description |', '| --- | --- | --- | --- | --- |');
    for (const [name, s] of Object.entries(shape)) {
      const def = (s as unknown as { def: { type: string; defaultValue?: unknown } }).def;
      const required = isRequiredArgument(s);
      const dflt = def.type === 'default' ? JSON.stringify(def.defaultValue) : '';
      lines.push(`| ${name} | ${typeName(s)} | ${required ? 'yes' : ''} | ${dflt} | ${descriptionOf(s)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
