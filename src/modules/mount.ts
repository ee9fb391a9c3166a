import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Change, Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { fileState } from '../reads/file-state.js';
import { type MountPoint, mountPoint } from '../reads/mount-point.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { absPath, yesNo } from './common-args.js';
import { decideFile } from './desired-file.js';
import { defineModule } from './types.js';

const field = z.union([z.string(), z.number()]).transform(String);

const schema = withAliases(
  {
    path: absPath.describe('the mount point'),
    src: z.string().optional().describe('the device, label, or folder (bind) to mount; needed for mounted and present'),
    fstype: z.string().optional().describe('file system type; needed for mounted and present'),
    opts: z.string().default('defaults').describe('mount options as fstab writes them'),
    dump: field.default('0'),
    passno: field.default('0'),
    fstab: z.string().regex(/^\//, 'an absolute path').default('/etc/fstab'),
    boot: yesNo.default(true).describe('false adds noauto to opts (unless opts holds defaults)'),
    backup: yesNo.default(false).describe('keep the old fstab as FSTAB.<time>~'),
    state: z
      .enum(['mounted', 'unmounted', 'present', 'absent', 'absent_from_fstab', 'remounted'])
      .describe('mounted and present write fstab; absent also unmounts and removes the mount point'),
  },
  { name: 'path' },
).refine((a) => !['mounted', 'present'].includes(a.state) || (a.src !== undefined && a.fstype !== undefined), {
  message: 'state mounted and present need src and fstype',
});
export type MountArgs = z.infer<typeof schema>;

/** fstab's escapes for a field: backslash, space, ampersand (Ansible's _escape_fstab). */
export function escapeFstab(v: string): string {
  return v.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/&/g, '\\046');
}

/** The options Ansible writes: boot: false adds noauto, unless opts has noauto or defaults. */
export function mountOpts(a: MountArgs): string {
  const opts = a.opts.split(',');
  if (a.boot || opts.includes('noauto') || opts.includes('defaults')) return a.opts;
  return [...opts, 'noauto'].join(',');
}

/** The fstab line for the arguments, escaped. */
function entryOf(a: MountArgs): Record<'src' | 'name' | 'fstype' | 'opts' | 'dump' | 'passno', string> {
  return {
    src: escapeFstab(a.src ?? ''),
    name: escapeFstab(a.path),
    fstype: escapeFstab(a.fstype ?? ''),
    opts: escapeFstab(mountOpts(a)),
    dump: escapeFstab(a.dump),
    passno: escapeFstab(a.passno),
  };
}

const lineOf = (e: ReturnType<typeof entryOf>) => `${e.src} ${e.name} ${e.fstype} ${e.opts} ${e.dump} ${e.passno}\n`;

/** A line names the mount point (for swap, the device too). */
function matches(fields: string[], a: MountArgs): boolean {
  const [src, name, fstype] = fields;
  if (name !== escapeFstab(a.path)) return false;
  return !(a.src !== undefined && name === 'none' && fstype === 'swap' && src !== a.src);
}

/** Ansible's set_mount on fstab's text: the entry's line rewritten where a field differs, or appended. */
export function setFstabEntry(text: string, a: MountArgs): string {
  const want = entryOf(a);
  const lines = text === '' ? [] : text.split(/(?<=\n)/).map((l) => (l.endsWith('\n') ? l : `${l}\n`));
  let exists = false;
  const out = lines.map((line) => {
    if (!line.trim() || line.trim().startsWith('#')) return line;
    const fields = line.split(/\s+/).filter(Boolean);
    if (![4, 5, 6].includes(fields.length) || !matches(fields, a)) return line;
    exists = true;
    const [src = '', name = '', fstype = '', opts = '', dump = '0', passno = '0'] = fields;
    const have = { src, name, fstype, opts, dump, passno };
    return (['src', 'fstype', 'opts', 'dump', 'passno'] as const).some((k) => have[k] !== want[k])
      ? lineOf({ ...have, ...pick(want) })
      : line;
  });
  if (!exists) out.push(lineOf(want));
  const after = out.join('');
  return after === lines.join('') ? text : after;
}

const pick = (e: ReturnType<typeof entryOf>) => ({ src: e.src, fstype: e.fstype, opts: e.opts, dump: e.dump, passno: e.passno });

/** Ansible's unset_mount: every six-field line naming the mount point goes. */
export function unsetFstabEntry(text: string, a: MountArgs): string {
  const lines = text.split(/(?<=\n)/);
  const kept = lines.filter((line) => {
    if (!line.trim() || line.trim().startsWith('#')) return true;
    const fields = line.split(/\s+/).filter(Boolean);
    return fields.length !== 6 || !matches(fields, a);
  });
  return kept.length === lines.length ? text : kept.join('');
}

/** mount and umount as Ansible runs them: -T for an fstab other than /etc/fstab. */
function mountCommand(a: MountArgs, extra: string[] = []): string[] {
  return ['mount', ...extra, ...(a.fstab === '/etc/fstab' ? [] : ['-T', a.fstab]), a.path];
}

const exec = (argv: string[], description: string): Change => ({ kind: 'exec', command: commandLine(argv), description });

/** A remount the file system refuses falls back to umount and mount, as Ansible's remount does. */
function remountChange(a: MountArgs): Change {
  const remount = commandLine(mountCommand(a, ['-o', 'remount']));
  return {
    kind: 'exec',
    command: `${remount} || { ${commandLine(['umount', a.path])} && ${commandLine(mountCommand(a))}; }`,
    description: `remount ${a.path}`,
  };
}

/** Pure decision of the mount module from fstab, what is mounted on the path, and whether the path exists. */
export function decideMount(a: MountArgs, fstab: FileState, mounted: MountPoint, point: FileState): Plan {
  if (fstab.exists && fstab.type !== 'file') return { changes: [], failed: `${a.fstab} is not a file` };
  if (fstab.exists && !fstab.content) return { changes: [], failed: `${a.fstab} is too large` };
  const before = fstab.exists && fstab.content ? fstab.content.toString('utf8') : '';
  const data = {
    name: a.path,
    src: a.src,
    fstype: a.fstype,
    opts: mountOpts(a),
    dump: a.dump,
    passno: a.passno,
    fstab: a.fstab,
    boot: a.boot ? 'yes' : 'no',
    backup_file: '',
  };
  const changes: Change[] = [];
  const writeFstab = (after: string) => {
    if (after === before) return false;
    changes.push(...decideFile(fstab, { path: a.fstab, content: Buffer.from(after), backup: a.backup }).changes);
    return true;
  };
  const diffOf = (after: string) => (after === before ? undefined : [{ path: a.fstab, before, after }]);
  let after = before;
  switch (a.state) {
    case 'present':
    case 'absent_from_fstab':
      after = a.state === 'present' ? setFstabEntry(before, a) : unsetFstabEntry(before, a);
      writeFstab(after);
      break;
    case 'absent':
      after = unsetFstabEntry(before, a);
      if (writeFstab(after)) {
        if (mounted) changes.push(exec(['umount', a.path], `unmount ${a.path}`));
        if (point.exists) changes.push(exec(['rmdir', '--', a.path], `remove the mount point ${a.path}`));
      }
      break;
    case 'unmounted':
      if (mounted) changes.push(exec(['umount', a.path], `unmount ${a.path}`));
      break;
    case 'remounted': {
      const opts = a.opts === 'defaults' ? 'remount' : `remount,${a.opts}`;
      changes.push(exec(mountCommand(a, ['-o', opts]), `remount ${a.path}`));
      break;
    }
    case 'mounted': {
      if (!point.exists) changes.push(exec(['mkdir', '-p', '--', a.path], `create directory ${a.path}`));
      after = setFstabEntry(before, a);
      const fstabChanged = writeFstab(after);
      if (!mounted) changes.push(exec(mountCommand(a), `mount ${a.path}`));
      else if (fstabChanged) changes.push(remountChange(a));
      break;
    }
  }
  return { changes, diffs: diffOf(after), data };
}

export const mount = defineModule({
  name: 'mount',
  collection: 'ansible.posix',
  schema,
  async plan({ args, reader }) {
    // One round trip: fstab, what is mounted, and the mount point itself.
    const [fstab, mounted, point] = await reader.getAll([
      ask(fileState, { path: args.fstab, content: true }),
      ask(mountPoint, { path: args.path }),
      ask(fileState, { path: args.path }),
    ] as const);
    return decideMount(args, fstab, mounted, point);
  },
});
