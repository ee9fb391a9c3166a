import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Plan } from '../core/plan.js';
import { fileState } from '../reads/file-state.js';
import { yesNo } from './common-args.js';
import { decideFile } from './desired-file.js';
import { defineModule } from './types.js';

const ITEMS = [
  'core',
  'data',
  'fsize',
  'memlock',
  'nofile',
  'rss',
  'stack',
  'cpu',
  'nproc',
  'as',
  'maxlogins',
  'maxsyslogins',
  'priority',
  'locks',
  'sigpending',
  'msgqueue',
  'nice',
  'rtprio',
  'chroot',
] as const;

const schema = z.strictObject({
  domain: z.string().min(1).describe('a user, @group, * or a uid/gid range'),
  limit_type: z.enum(['soft', 'hard', '-']),
  limit_item: z.enum(ITEMS),
  value: z.union([z.string(), z.number()]).transform(String).describe('a number, or unlimited / infinity / -1'),
  use_max: yesNo.default(false).describe('keep the larger of this value and the one in the file'),
  use_min: yesNo.default(false).describe('keep the smaller of this value and the one in the file'),
  backup: yesNo.default(false).describe('keep the old file as DEST.<time>~'),
  dest: z.string().regex(/^\//, 'an absolute path').default('/etc/security/limits.conf').describe('the limits file'),
  comment: z.string().default('').describe('a comment after the limit'),
});
export type PamLimitsArgs = z.infer<typeof schema>;

const UNLIMITED = ['unlimited', 'infinity', '-1'];

function invalidValue(item: string, value: string, prefix = ''): string | undefined {
  const p = prefix ? `${prefix} ` : ' ';
  if (item === 'nice' || item === 'priority') {
    const n = /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= -20 && n <= 19))
      return `${p}Value of '${value}' for item '${item}' is invalid. Value must be a number in the range -20 to 19 inclusive. Refer to the limits.conf(5) manual pages for more details.`;
  } else if (!(UNLIMITED.includes(value) || /^\d+$/.test(value)))
    return `${p}Value of '${value}' for item '${item}' is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.`;
  return undefined;
}

/**
 * The module's edit of the file, pure and line by line as it does it: the first matching line set
 * to the new value (with the comment it carries over), or the limit appended; `msg` is the line.
 */
export function editLimits(a: PamLimitsArgs, text: string): { text: string; changed: boolean; msg: string; failed?: string } {
  let comment = a.comment;
  let found = false;
  let changed = false;
  let newValue = a.value;
  let msg = '';
  const out: string[] = [];
  const limitLine = () => {
    const c = comment ? `\t#${comment}` : '';
    comment = c;
    return `${a.domain}\t${a.limit_type}\t${a.limit_item}\t${newValue}${c}\n`;
  };
  for (const line of text.split(/(?<=\n)/).filter((l) => l !== '')) {
    if (line.startsWith('#')) {
      out.push(line);
      continue;
    }
    let fields = line.replace(/\s+/g, ' ').trim();
    if (!fields) {
      out.push(line);
      continue;
    }
    fields = (fields.split('#')[0] ?? '').trimEnd();
    const hash = line.indexOf('#');
    // Python's line.split('#', 1)[1]: the rest of the line, newline included.
    const oldComment = hash < 0 ? '' : line.slice(hash + 1);
    if (!comment) comment = oldComment;
    const f = fields.split(' ');
    if (f.length !== 4) {
      out.push(line);
      continue;
    }
    const [domain = '', type = '', item = '', actual = ''] = f;
    const bad = invalidValue(item, actual, `Invalid configuration found in '${a.dest}'.`);
    if (bad) return { text, changed: false, msg: '', failed: bad };
    if (domain !== a.domain || type !== a.limit_type || item !== a.limit_item) {
      out.push(line);
      continue;
    }
    found = true;
    if (a.value === actual) {
      msg = line;
      out.push(line);
      continue;
    }
    // The module compares the type, not the item, with nice/priority here: a limit is always one of soft/hard/-.
    const actualUnlimited = UNLIMITED.includes(actual);
    const valueUnlimited = UNLIMITED.includes(a.value);
    if (a.use_max) {
      if (actualUnlimited) newValue = actual;
      else if (valueUnlimited) newValue = a.value;
      else newValue = String(Math.max(Number(a.value), Number(actual)));
    }
    if (a.use_min) {
      if (actualUnlimited && valueUnlimited) newValue = actual;
      else if (actualUnlimited) newValue = a.value;
      else if (valueUnlimited) newValue = actual;
      else newValue = String(Math.min(Number(a.value), Number(actual)));
    }
    if (newValue !== actual) {
      changed = true;
      const l = limitLine();
      msg = l;
      out.push(l);
    } else {
      msg = line;
      out.push(line);
    }
  }
  if (!found) {
    changed = true;
    const l = limitLine();
    msg = l;
    out.push(l);
  }
  return { text: out.join(''), changed, msg };
}

/** Pure decision: the limits file (created empty when missing, as the module does) against the limit. */
export function decidePamLimits(a: PamLimitsArgs, file: FileState): Plan {
  if (file.exists && file.type !== 'file') return { changes: [], failed: `${a.dest} is not a file` };
  if (file.exists && !file.content) return { changes: [], failed: `${a.dest} is too large` };
  if (a.use_max && a.use_min) return { changes: [], failed: 'Cannot use use_min and use_max at the same time.' };
  const bad = invalidValue(a.limit_item, a.value);
  if (bad) return { changes: [], failed: bad };
  const before = file.exists && file.content ? file.content.toString('utf8') : '';
  const edit = editLimits(a, before);
  if (edit.failed) return { changes: [], failed: edit.failed };
  const changed = edit.changed || !file.exists;
  const data = { diff: { before, after: edit.text } };
  if (!changed) return { changes: [], msg: edit.msg, data };
  const changes = decideFile(file, { path: a.dest, content: Buffer.from(edit.text), backup: a.backup }).changes;
  return { changes, msg: edit.msg, data, diffs: [{ path: a.dest, before, after: edit.text }] };
}

export const pamLimits = defineModule({
  name: 'pam_limits',
  collection: 'community.general',
  schema,
  async plan({ args, reader }) {
    return decidePamLimits(args, await reader.get(fileState, { path: args.dest, content: true }));
  },
});
