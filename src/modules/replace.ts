import { z } from 'zod';
import { withAliases } from './aliases.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { expandTemplate, jsRegExp } from './python-regex.js';
import { planTextEdit } from './text-edit.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    path: absPath,
    regexp: z.string().min(1).describe('a Python-style regular expression, matched per line (MULTILINE)'),
    replace: z.string().default('').describe('the replacement: \\1 and \\g<name> refer to groups'),
    after: z.string().optional().describe('only replace after the first match of this expression'),
    before: z.string().optional().describe('only replace before the first match of this expression'),
    backup: yesNo.optional(),
    validate: z.string().includes('%s').optional(),
    ...fileAttrs,
  },
  { dest: 'path', destfile: 'path', name: 'path' },
);
export type ReplaceArgs = z.infer<typeof schema>;

/** The new text, pure: every match of regexp in the part of the text between after and before replaced. */
export function replaceIn(text: string, a: ReplaceArgs): { text: string; count: number } {
  let start = 0;
  let end = text.length;
  if (a.after) {
    const m = jsRegExp(a.after, 'ms').exec(text);
    if (m) start = m.index + m[0].length;
  }
  if (a.before) {
    // Ansible's section is `after(.*?)before`, but `(.*)before` without after: then the last match counts.
    const rest = text.slice(start);
    const all = [...rest.matchAll(jsRegExp(a.before, 'gms'))];
    const m = a.after ? all[0] : all.at(-1);
    if (m) end = start + m.index;
  }
  let count = 0;
  const section = text.slice(start, end).replace(jsRegExp(a.regexp, 'gm'), (...m: unknown[]) => {
    count++;
    const last = m.at(-1);
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {};
    const groupEnd = m.findIndex((x, i) => i > 0 && typeof x === 'number');
    return expandTemplate(a.replace, m.slice(0, groupEnd) as (string | undefined)[], named);
  });
  return { text: text.slice(0, start) + section + text.slice(end), count };
}

export const replace = defineModule({
  name: 'replace',
  schema,
  async plan({ args, reader }) {
    let count = 0;
    const plan = await planTextEdit(
      reader,
      { ...args, create: false },
      (text) => {
        const r = replaceIn(text, args);
        count = r.count;
        return r.text;
      },
      'fail',
    );
    return plan.failed || plan.changes.length === 0 ? plan : { ...plan, msg: `${count} replacements made` };
  },
});
