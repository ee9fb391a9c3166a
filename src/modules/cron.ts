import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Change, Plan } from '../core/plan.js';
import { fileState } from '../reads/file-state.js';
import { type UserCrontab, userCrontab } from '../reads/user-crontab.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import {
  crontabLines,
  envNames,
  findEnv,
  findJob,
  isEmptyTable,
  jobLine,
  jobNames,
  renderCrontab,
  replaceEnv,
  replaceJob,
} from './cron-table.js';
import { decideFile } from './desired-file.js';
import { defineModule } from './types.js';

const field = z.union([z.string(), z.number()]).transform(String);

const schema = withAliases(
  {
    name: z.string().min(1).describe('the job\'s name, kept in a "#Ansible: NAME" comment above it (an env: the variable)'),
    user: z.string().min(1).optional().describe("whose crontab (the connection's user when not given); the user a cron_file job runs as"),
    job: z.string().optional().describe('the command to run (an env: the value); needed for state=present'),
    cron_file: z.string().min(1).optional().describe('a file in /etc/cron.d (or an absolute path) instead of the user crontab'),
    state: z.enum(['present', 'absent']).default('present'),
    backup: yesNo.default(false).describe('accepted; the old table is not kept (provision writes atomically)'),
    minute: field.default('*'),
    hour: field.default('*'),
    day: field.default('*').describe('day of the month'),
    month: field.default('*'),
    weekday: field.default('*').describe('day of the week'),
    special_time: z
      .enum(['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'])
      .optional()
      .describe('@reboot, @daily...'),
    disabled: yesNo.default(false).describe('keep the job commented out'),
    env: yesNo.default(false).describe('manage a variable NAME="job" instead of a job'),
    insertafter: z.string().optional().describe('an env goes after this variable'),
    insertbefore: z.string().optional().describe('an env goes before this variable'),
  },
  { value: 'job', dom: 'day', dow: 'weekday' },
).refine((a) => !(a.insertafter && a.insertbefore), { message: 'parameters are mutually exclusive: insertafter|insertbefore' });
export type CronArgs = z.infer<typeof schema>;

/** Where the table lives and how it is read: a file (cron_file) or a user's crontab. */
function tablePath(a: CronArgs): string | undefined {
  if (a.cron_file === undefined) return undefined;
  return posix.isAbsolute(a.cron_file) ? a.cron_file : posix.join('/etc/cron.d', a.cron_file);
}

function diffHeader(a: CronArgs, path: string | undefined): string {
  if (path) return path;
  return a.user ? `crontab for user "${a.user}"` : 'crontab';
}

/** Input checks the module makes before it edits anything, in its order. */
function inputError(a: CronArgs): string | undefined {
  if (a.cron_file === '/etc/crontab') return 'Will not manage /etc/crontab via cron_file, see documentation.';
  if (a.special_time && [a.minute, a.hour, a.day, a.month, a.weekday].some((f) => f !== '*'))
    return 'You must specify time and date fields or special time.';
  if (a.state === 'present') {
    if (a.cron_file && !a.user) return 'To use cron_file=... parameter you must specify user=... as well';
    if (a.job === undefined) return "You must specify 'job' to install a new cron job or variable";
    if ((a.insertafter || a.insertbefore) && !a.env) return 'Insertafter and insertbefore parameters are valid only with env=yes';
  }
  if (a.env && a.name.includes(' ')) return 'Invalid name for environment variable';
  return undefined;
}

/** The edit of the table, pure: its lines after the task, and whether the module counts that as a change. */
export function editCrontab(a: CronArgs, input: string[]): { lines: string[]; changed: boolean; failed?: string } {
  let lines = [...input];
  let changed = false;
  if (a.env) {
    const decl = `${a.name}="${a.job ?? ''}"`;
    const old = findEnv(lines, a.name);
    if (a.state === 'present' && !old) {
      const other = a.insertafter ?? a.insertbefore;
      if (other === undefined) lines.unshift(decl);
      else {
        const at = findEnv(lines, other);
        if (!at) return { lines, changed, failed: `Variable named '${other}' not found.` };
        lines.splice(a.insertafter ? at.index + 1 : at.index, 0, decl);
      }
      changed = true;
    } else if (a.state === 'present' && old && old.line !== decl) {
      lines = replaceEnv(lines, a.name, decl);
      changed = true;
    } else if (a.state === 'absent' && old) {
      lines = replaceEnv(lines, a.name, undefined);
      changed = true;
    }
    return { lines, changed };
  }
  if (a.state === 'absent') {
    if (!findJob(lines, a.name)) return { lines, changed };
    return { lines: replaceJob(lines, a.name, undefined), changed: true };
  }
  const job = jobLine({ ...a, job: a.job ?? '', user: a.cron_file ? a.user : undefined });
  const old = findJob(lines, a.name, job);
  if (!old) return { lines: [...lines, `#Ansible: ${a.name}`, job], changed: true };
  if (old.line !== job || old.adopted) return { lines: replaceJob(lines, a.name, job), changed: true };
  return { lines, changed };
}

/** Pure decision: the current table (a user crontab, or a cron_file's state) against the task. */
export function decideCron(a: CronArgs, table: UserCrontab | FileState): Plan {
  const failed = inputError(a);
  if (failed) return { changes: [], failed };
  if (table === null) return { changes: [], failed: 'Failed to find required executable "crontab" in paths' };
  const path = tablePath(a);
  let text = '';
  if ('exists' in table) {
    if (table.exists && table.type !== 'file') return { changes: [], failed: `${table.path} is not a file` };
    if (table.exists && !table.content) return { changes: [], failed: `${table.path} is too large` };
    text = table.exists && table.content ? table.content.toString('utf8') : '';
  } else text = table.text;
  const { lines, existing } = crontabLines(text, path === undefined);
  const edit = editCrontab(a, lines);
  if (edit.failed) return { changes: [], failed: edit.failed };
  const header = diffHeader(a, path);
  const after = renderCrontab(edit.lines);
  // Removing the last job of a cron_file removes the file.
  if (a.state === 'absent' && !a.env && edit.changed && path && isEmptyTable(edit.lines)) {
    const exists = 'exists' in table && table.exists;
    return {
      changes: exists ? [{ kind: 'exec', command: commandLine(['rm', '-f', '--', path]), description: `remove ${path}` }] : [],
      diffs: exists ? [{ path: header, before: existing, after: '' }] : undefined,
      data: { cron_file: a.cron_file, state: a.state },
    };
  }
  // A table without a newline at its end is written again, with one.
  const changed = edit.changed || (existing !== '' && !/[\r\n]$/.test(existing));
  const data: Record<string, unknown> = { jobs: jobNames(edit.lines), envs: envNames(edit.lines) };
  if (a.cron_file !== undefined) data.cron_file = a.cron_file;
  if (!changed) return { changes: [], data };
  const diffs = [{ path: header, before: existing, after }];
  if (path !== undefined && 'exists' in table)
    return { changes: decideFile(table, { path, content: Buffer.from(after) }).changes, diffs, data };
  const install: Change = {
    kind: 'exec',
    command: commandLine(['crontab', ...(a.user ? ['-u', a.user] : []), '-']),
    description: `install ${header}`,
    stdin: Buffer.from(after),
  };
  return { changes: [install], diffs, data };
}

export const cron = defineModule({
  name: 'cron',
  schema,
  async plan({ args, reader }) {
    const path = tablePath(args);
    const table = path ? await reader.get(fileState, { path, content: true }) : await reader.get(userCrontab, userArgs(args));
    return decideCron(args, table);
  },
});

function userArgs(a: CronArgs): { user?: string } {
  return a.user === undefined ? {} : { user: a.user };
}
