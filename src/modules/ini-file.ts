import { z } from 'zod';
import { withAliases } from './aliases.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { planTextEdit } from './text-edit.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    path: absPath,
    section: z.string().nullable().optional().describe('the [section]; absent or null: the options before the first section'),
    option: z.string().optional().describe('the option; without it, state=absent removes the whole section'),
    value: z.union([z.string(), z.number(), z.boolean()]).optional().describe("the option's value"),
    state: z.enum(['present', 'absent']).default('present'),
    exclusive: yesNo.default(true).describe('one line for the option: other lines of it are removed'),
    no_extra_spaces: yesNo.default(false).describe('write option=value, not option = value'),
    allow_no_value: yesNo.default(false).describe('an option without a value is allowed'),
    create: yesNo.default(true).describe('create the file if it is missing'),
    backup: yesNo.optional(),
    ...fileAttrs,
  },
  { dest: 'path' },
);
export type IniFileArgs = z.infer<typeof schema>;

/** A line that sets the option, commented out or not: groups are the comment mark and the value. */
function matchOption(option: string, line: string, active = false): { value: string } | undefined {
  const esc = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^${active ? '()' : '([#;]?)'}[ \\t]*(${esc})[ \\t]*(=|$)[ \\t]*(.*)`).exec(line.replace(/\n$/, ''));
  return m ? { value: m[4] ?? '' } : undefined;
}

const BLANK_OR_COMMENT = /^[ \t]*([#;].*)?$/;
// Ansible marks the top of the file as a section of its own, with a name no real file uses.
const TOP = 'ad01e11446efb704fcdbdb21f2c43757423d91c5';

function iniValue(v: string | number | boolean): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
}

/** The new text, pure: community.general.ini_file's algorithm, quirks included (a new file starts with a blank line). */
export function editIni(text: string, a: IniFileArgs): string {
  const lines: string[] = [...(text.match(/[^\n]*\n|[^\n]+$/g) ?? [])];
  if (lines.length === 0) lines.push('\n');
  const lastIdx = lines.length - 1;
  const lastLine = lines[lastIdx] ?? '';
  if (!lastLine.endsWith('\n')) lines[lastIdx] = `${lastLine}\n`;
  lines.unshift(`[${TOP}]`);
  lines.push('[');
  const section = a.section || TOP;
  const format = (o: string, v: string) => (a.no_extra_spaces ? `${o}=${v}\n` : `${o} = ${v}\n`);
  const values = a.value === undefined ? [] : [iniValue(a.value)];
  let within = false;
  let start = 0;
  let end = 0;
  for (const [i, line] of lines.entries()) {
    if (line.startsWith(`[${section}]`)) {
      within = true;
      start = i;
    } else if (line.startsWith('[') && within) {
      end = i;
      break;
    }
  }
  const before = lines.slice(0, start);
  let sect = lines.slice(start, end);
  const after = lines.slice(end);
  const touched = sect.map(() => false);
  let noValuePresent = false;
  const option = a.option;
  if (a.state === 'present' && option !== undefined) {
    for (const [i, line] of sect.entries()) {
      const m = matchOption(option, line);
      if (!m) continue;
      if (values.length && values.includes(m.value)) {
        if (!m.value && a.allow_no_value) {
          sect[i] = `${option}\n`;
          noValuePresent = true;
        } else sect[i] = format(option, m.value);
        touched[i] = true;
        values.splice(values.indexOf(m.value), 1);
      } else if (!values.length && a.allow_no_value) {
        sect[i] = `${option}\n`;
        touched[i] = true;
        noValuePresent = true;
        break;
      }
    }
    if (a.exclusive && !a.allow_no_value) {
      for (const [i, line] of sect.entries()) {
        if (!values.length) break;
        if (!touched[i] && matchOption(option, line)) {
          sect[i] = format(option, values.shift() ?? '');
          touched[i] = true;
        }
      }
      for (let i = sect.length - 1; i > 0; i--) {
        if (!touched[i] && matchOption(option, sect[i] ?? '')) {
          sect.splice(i, 1);
          touched.splice(i, 1);
        }
      }
    }
  }
  if (a.state === 'present') {
    for (let i = sect.length; i > 0; i--) {
      if (BLANK_OR_COMMENT.test((sect[i - 1] ?? '').replace(/\n$/, ''))) continue;
      if (option !== undefined && values.length) sect.splice(i, 0, ...values.map((v) => format(option, v)));
      else if (option !== undefined && !values.length && a.allow_no_value && !noValuePresent) sect.splice(i, 0, `${option}\n`);
      break;
    }
  }
  if (a.state === 'absent') {
    if (option !== undefined) {
      sect =
        a.exclusive || !values.length
          ? sect.filter((l) => !matchOption(option, l, true))
          : sect.filter((l) => {
              const m = matchOption(option, l, true);
              return !(m && values.includes(m.value));
            });
    } else sect = [];
  }
  const out = [...before, ...sect, ...after].slice(1, -1);
  if (!within && a.state === 'present') {
    out.push(`[${section}]\n`);
    if (option !== undefined && values.length) out.push(...values.map((v) => format(option, v)));
    else if (option !== undefined && a.allow_no_value) out.push(`${option}\n`);
  }
  return out.join('');
}

/** community.general.ini_file's msg, from what the edit did to the text. */
export function iniMessage(before: string, after: string, a: IniFileArgs): string {
  if (before === after) return 'OK';
  if (a.state === 'absent') return a.option === undefined ? 'section removed' : 'option changed';
  const hasSection = !a.section || before.split('\n').some((l) => l.startsWith(`[${a.section}]`));
  if (!hasSection) return a.option === undefined ? 'only section added' : 'section and option added';
  return after.split('\n').length > before.split('\n').length ? 'option added' : 'option changed';
}

export const iniFile = defineModule({
  name: 'ini_file',
  collection: 'community.general',
  schema,
  async plan({ args, reader }) {
    return planTextEdit(
      reader,
      args,
      // Removing from an empty (or missing) file leaves it as it is, not a blank line.
      (text) => (text === '' && args.state === 'absent' ? text : editIni(text, args)),
      'fail',
      (before, after) => iniMessage(before, after, args),
    );
  },
});
