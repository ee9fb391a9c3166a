import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Change, Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { fileState } from '../reads/file-state.js';
import { sysctlValue } from '../reads/sysctl-value.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { decideFile } from './desired-file.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    name: z.string().min(1).describe('the kernel parameter (net.ipv4.ip_forward)'),
    value: z.union([z.string(), z.number(), z.boolean()]).optional().describe('its value; needed for state=present'),
    state: z.enum(['present', 'absent']).default('present'),
    sysctl_file: z.string().regex(/^\//, 'an absolute path').default('/etc/sysctl.conf').describe('where the setting is kept'),
    reload: yesNo.default(true).describe('load the file again (sysctl -p FILE) when it changed'),
    sysctl_set: yesNo.default(false).describe('set the live value too when it differs (sysctl -w)'),
    ignoreerrors: yesNo.default(false).describe('ignore unknown keys when reloading (sysctl -e)'),
  },
  { key: 'name', val: 'value' },
).refine((a) => a.state === 'absent' || a.value !== undefined, { message: 'state=present needs value' });
export type SysctlArgs = z.infer<typeof schema>;

/** Values compare as sysctl prints them: whitespace runs are one space; YAML booleans are 1 and 0. */
export function sysctlText(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v).trim().split(/\s+/).join(' ');
}

/** The file's new text, pure: the first line of the key set to `key=value` (later ones dropped), or the line appended; absent drops them. */
export function editSysctlFile(text: string, a: SysctlArgs): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let found = false;
  for (const line of lines) {
    const t = line.trim();
    const eq = t.indexOf('=');
    const isKey = !t.startsWith('#') && !t.startsWith(';') && eq > 0 && t.slice(0, eq).trim() === a.name;
    if (!isKey) out.push(line);
    else if (a.state === 'present' && !found) {
      found = true;
      const same = sysctlText(t.slice(eq + 1)) === sysctlText(a.value ?? '');
      out.push(same ? line : `${a.name}=${sysctlText(a.value ?? '')}`);
    }
  }
  if (a.state === 'present' && !found) out.push(`${a.name}=${sysctlText(a.value ?? '')}`);
  const after = out.map((l) => `${l}\n`).join('');
  return after === text.replace(/([^\n])$/, '$1\n') ? text : after;
}

export function decideSysctl(a: SysctlArgs, live: string | null, file: FileState): Plan {
  if (file.exists && file.type !== 'file') return { changes: [], failed: `${a.sysctl_file} is not a file` };
  if (file.exists && !file.content) return { changes: [], failed: `${a.sysctl_file} is too large` };
  const before = file.exists && file.content ? file.content.toString('utf8') : '';
  const after = editSysctlFile(before, a);
  const changes: Change[] = [];
  if (a.state === 'present' && live === null && !a.ignoreerrors)
    return { changes: [], failed: `setting ${a.name} failed: no such key in /proc/sys` };
  const fileChanged = after !== before;
  if (fileChanged) changes.push(...decideFile(file, { path: a.sysctl_file, content: Buffer.from(after) }).changes);
  const want = a.value === undefined ? undefined : sysctlText(a.value);
  if (a.state === 'present' && a.sysctl_set && want !== undefined && live !== want)
    changes.push({ kind: 'exec', command: commandLine(['sysctl', '-w', `${a.name}=${want}`]), description: `set ${a.name} = ${want}` });
  if (fileChanged && a.reload)
    changes.push({
      kind: 'exec',
      command: commandLine(['sysctl', ...(a.ignoreerrors ? ['-e'] : []), '-p', a.sysctl_file]),
      description: `reload ${a.sysctl_file}`,
    });
  return { changes, diffs: fileChanged ? [{ path: a.sysctl_file, before, after }] : undefined };
}

export const sysctl = defineModule({
  name: 'sysctl',
  collection: 'ansible.posix',
  schema,
  async plan({ args, reader }) {
    const [live, file] = await reader.getAll([
      ask(sysctlValue, { name: args.name }),
      ask(fileState, { path: args.sysctl_file, content: true }),
    ] as const);
    return decideSysctl(args, live, file);
  },
});
