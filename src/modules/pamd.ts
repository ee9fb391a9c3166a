import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Plan } from '../core/plan.js';
import { fileState } from '../reads/file-state.js';
import { yesNo } from './common-args.js';
import { decideFile } from './desired-file.js';
import { PAM_TYPES, PamService, parseArgs } from './pamd-service.js';
import { defineModule } from './types.js';

const words = z.union([z.string().transform((s) => [s]), z.array(z.string())]);

const schema = z
  .strictObject({
    name: z.string().min(1).describe('the service file under path (/etc/pam.d/NAME)'),
    type: z.enum(PAM_TYPES).describe('the rule to find: its type'),
    control: z.string().min(1).describe('its control, [value=action ...] written as in the file'),
    module_path: z.string().min(1).describe('its module'),
    new_type: z.enum(PAM_TYPES).optional(),
    new_control: z.string().optional(),
    new_module_path: z.string().optional(),
    module_arguments: words.optional().describe('the arguments to set (updated), add (args_present) or remove (args_absent)'),
    state: z
      .enum(['absent', 'after', 'args_absent', 'args_present', 'before', 'updated'])
      .default('updated')
      .describe('updated: change the rule; before/after: insert a new one beside it; absent: remove it; args_present/args_absent'),
    path: z.string().default('/etc/pam.d').describe('the folder of the service files'),
    backup: yesNo.default(false).describe('keep the old file as NAME.<time>~'),
  })
  .superRefine((a, ctx) => {
    const need: Partial<Record<typeof a.state, (keyof typeof a)[]>> = {
      args_present: ['module_arguments'],
      args_absent: ['module_arguments'],
      before: ['new_control', 'new_type', 'new_module_path'],
      after: ['new_control', 'new_type', 'new_module_path'],
    };
    const missing = (need[a.state] ?? []).filter((k) => a[k] === undefined);
    if (missing.length)
      ctx.addIssue({ code: 'custom', message: `state is ${a.state} but all of the following are missing: ${missing.join(', ')}` });
  });
export type PamdArgs = z.infer<typeof schema>;

/** Python's datetime.now().isoformat(): local time with microseconds, no zone. */
export function isoStamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

/** Pure decision: the service file edited as the module edits it; written again (re-spaced, marked) only when a rule changed. */
export function decidePamd(a: PamdArgs, file: FileState, stamp: string): Plan {
  const fname = posix.join(a.path, a.name);
  if (!file.exists || file.type !== 'file' || !file.content)
    return {
      changes: [],
      failed: `Unable to open/read PAM module file ${fname} with error [Errno 2] No such file or directory: '${fname}'.`,
    };
  const before = file.content.toString('utf8');
  let service: PamService;
  try {
    service = new PamService(before);
  } catch (err) {
    return { changes: [], failed: (err as Error).message };
  }
  const rule = { type: a.type, control: a.control, path: a.module_path };
  const wanted = { type: a.new_type ?? '', control: a.new_control ?? '', path: a.new_module_path ?? '', args: a.module_arguments };
  if (a.state === 'args_present' && parseArgs(a.module_arguments).some((x) => x.startsWith('[')))
    return { changes: [], failed: "Unable to process bracketed '[' complex arguments with 'args_present'. Please use 'updated'." };
  const count = {
    updated: () => service.update(rule, { type: a.new_type, control: a.new_control, path: a.new_module_path, args: a.module_arguments }),
    before: () => service.insertBeside(rule, wanted, 'before'),
    after: () => service.insertBeside(rule, wanted, 'after'),
    args_absent: () => service.removeArgs(rule, a.module_arguments ?? []),
    args_present: () => service.addArgs(rule, a.module_arguments ?? []),
    absent: () => service.remove(rule),
  }[a.state]();
  const invalid = service.invalid();
  if (invalid) return { changes: [], failed: invalid };
  const data = { change_count: count, backupdest: '' };
  if (count === 0) return { changes: [], data };
  const after = service.render(stamp);
  return {
    changes: decideFile(file, { path: fname, content: Buffer.from(after), backup: a.backup }).changes,
    diffs: [{ path: fname, before, after }],
    data,
  };
}

export const pamd = defineModule({
  name: 'pamd',
  collection: 'community.general',
  schema,
  async plan({ args, reader }) {
    const file = await reader.get(fileState, { path: posix.join(args.path, args.name), content: true });
    return decidePamd(args, file, isoStamp(new Date()));
  },
});
