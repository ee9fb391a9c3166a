import { z } from 'zod';
import { must } from '../errors.js';
import { fileState } from '../reads/file-state.js';
import { withAliases } from './aliases.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { expandTemplate, jsRegExp } from './python-regex.js';
import { decideEditedFile } from './text-edit.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    path: absPath,
    line: z.string().optional().describe('the line to have in the file'),
    regexp: z.string().optional().describe('the line to replace (present) or remove (absent)'),
    search_string: z.string().optional().describe('like regexp, a literal string contained in the line'),
    backrefs: yesNo.default(false).describe('line may use \\1 groups of regexp; no match: the file stays as it is'),
    firstmatch: yesNo.default(false).describe('insertafter/insertbefore use the first match, not the last'),
    state: z.enum(['present', 'absent']).default('present'),
    insertafter: z.string().optional().describe('EOF or a regular expression'),
    insertbefore: z.string().optional().describe('BOF or a regular expression'),
    create: yesNo.optional().describe('create the file if it is missing'),
    backup: yesNo.optional(),
    validate: z.string().includes('%s').optional(),
    ...fileAttrs,
  },
  { dest: 'path', destfile: 'path', name: 'path', value: 'line', regex: 'regexp' },
)
  .refine((a) => a.state === 'absent' || a.line !== undefined, { message: 'state=present needs line' })
  .refine((a) => !a.backrefs || a.regexp !== undefined, { message: 'backrefs needs regexp' })
  .refine((a) => a.state === 'present' || a.line !== undefined || a.regexp !== undefined, { message: 'state=absent needs line or regexp' });

export type LineInFileArgs = z.infer<typeof schema>;

/** The new text of the file, pure: what lineinfile decides. */
export function editLines(text: string, a: LineInFileArgs): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const search = a.search_string;
  const re =
    a.regexp !== undefined ? jsRegExp(a.regexp, '') : search !== undefined ? { test: (l: string) => l.includes(search) } : undefined;
  const matches = (l: string) => (re ? re.test(l) : l === a.line);
  if (a.state === 'absent') {
    const kept = lines.filter((l) => !matches(l));
    return kept.length === lines.length ? text : kept.map((l) => `${l}\n`).join('');
  }
  let line = must(a.line, 'line (the schema requires it for state=present)');
  let idx = -1;
  if (re) for (const [i, l] of lines.entries()) if (re.test(l)) idx = i;
  if (a.backrefs) {
    if (idx < 0) return text;
    const m = jsRegExp(must(a.regexp, 'regexp (backrefs needs it)'), '').exec(lines[idx] ?? '');
    line = expandTemplate(line, m ? [...m] : [], m?.groups ?? {});
  }
  if (idx >= 0) {
    if (lines[idx] === line) return text;
    lines[idx] = line;
  } else if (lines.includes(line)) {
    return text;
  } else {
    lines.splice(insertAt(lines, a), 0, line);
  }
  return lines.map((l) => `${l}\n`).join('');
}

function insertAt(lines: string[], a: LineInFileArgs): number {
  if (a.insertbefore === 'BOF') return 0;
  const pick = (re: RegExp) => {
    const hits = lines.flatMap((l, i) => (re.test(l) ? [i] : []));
    return (a.firstmatch ? hits[0] : hits.at(-1)) ?? -1;
  };
  if (a.insertbefore) {
    const i = pick(jsRegExp(a.insertbefore, ''));
    if (i >= 0) return i;
  }
  if (a.insertafter && a.insertafter !== 'EOF') {
    const last = pick(jsRegExp(a.insertafter, ''));
    if (last >= 0) return last + 1;
  }
  return lines.length;
}

export const lineinfile = defineModule({
  name: 'lineinfile',
  schema,
  async plan({ args, reader }) {
    const state = await reader.get(fileState, { path: args.path, content: true });
    if (!state.exists && !args.create) {
      return args.state === 'absent'
        ? { changes: [], msg: 'file absent' }
        : { changes: [], failed: `${args.path} does not exist (set create: true to create it)` };
    }
    if (state.exists && state.type === 'file' && !state.content) return { changes: [], failed: `${args.path} is too large for lineinfile` };
    const before = state.exists && state.content ? state.content.toString('utf8') : '';
    const after = editLines(before, args);
    return decideEditedFile(state, args, after);
  },
});
