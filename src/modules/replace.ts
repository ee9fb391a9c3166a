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

/** Ansible's section pattern for after/before: compiled with DOTALL only, so `^` is the file's start. */
function sectionPattern(a: ReplaceArgs): string | undefined {
  if (a.after && a.before) return `${a.after}(?P<subsection>.*?)${a.before}`;
  if (a.after) return `${a.after}(?P<subsection>.*)`;
  if (a.before) return `(?P<subsection>.*)${a.before}`;
  return undefined;
}

/**
 * The new text, pure: every match of regexp in the part of the text between after and before
 * replaced; `unmatched` is the section pattern when after/before match nothing (no change then).
 */
export function replaceIn(text: string, a: ReplaceArgs): { text: string; count: number; unmatched?: string } {
  let start = 0;
  let end = text.length;
  const pattern = sectionPattern(a);
  if (pattern !== undefined) {
    const at = jsRegExp(pattern, 'sd').exec(text)?.indices?.groups?.subsection;
    if (!at) return { text, count: 0, unmatched: pattern };
    [start, end] = at;
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
    let unmatched: string | undefined;
    const plan = await planTextEdit(
      reader,
      { ...args, create: false },
      (text) => {
        const r = replaceIn(text, args);
        count = r.count;
        unmatched = r.unmatched;
        return r.text;
      },
      'fail',
    );
    // Ansible exits there, before any attribute (mode, owner) is looked at.
    if (unmatched !== undefined && !plan.failed)
      return { changes: [], msg: `Pattern for before/after params did not match the given file: ${unmatched}` };
    return plan.failed || plan.changes.length === 0 ? plan : { ...plan, msg: `${count} replacements made` };
  },
});
