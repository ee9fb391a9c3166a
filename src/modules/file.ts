import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Change, Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { must } from '../errors.js';
import { type DirEntry, dirEntries } from '../reads/dir-entries.js';
import { fileState } from '../reads/file-state.js';
import { fileTimes } from '../reads/file-times.js';
import { pathStat } from '../reads/path-stat.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { attributeChanges, normalizeMode } from './desired-file.js';
import { decideHardLink } from './file-hard.js';
import { recursiveChanges } from './file-recurse.js';
import { toTouchTime } from './time-format.js';
import { defineModule } from './types.js';

const DEFAULT_TIME_FORMAT = '%Y%m%d%H%M.%S';

const schema = withAliases(
  {
    path: absPath,
    state: z
      .enum(['file', 'directory', 'absent', 'touch', 'link', 'hard'])
      .optional()
      .describe('default: file (directory with recurse), as Ansible for a path that does not exist yet'),
    src: z.string().optional().describe('link target, for state=link and state=hard'),
    force: yesNo.optional().describe('replace what stands at path when making a link'),
    recurse: yesNo.default(false).describe('state=directory: set mode, owner and group on everything under path too'),
    follow: yesNo.default(true).describe('with recurse: what links lead to gets the attributes too'),
    modification_time: z.string().optional().describe('now (always a change), preserve, or a time in modification_time_format'),
    modification_time_format: z.string().default(DEFAULT_TIME_FORMAT).describe('strptime format of modification_time'),
    access_time: z.string().optional().describe('now (always a change), preserve, or a time in access_time_format'),
    access_time_format: z.string().default(DEFAULT_TIME_FORMAT).describe('strptime format of access_time'),
    ...fileAttrs,
  },
  { dest: 'path', name: 'path' },
)
  .refine((a) => (a.state !== 'link' && a.state !== 'hard') || a.src !== undefined, { message: 'state=link and state=hard need src' })
  .refine((a) => !a.recurse || a.state === undefined || a.state === 'directory', {
    message: "recurse option requires state to be 'directory'",
  })
  .refine((a) => !a.recurse || [a.modification_time, a.access_time].every((t) => t === undefined || t === 'preserve'), {
    message: 'recurse with modification_time or access_time is not supported yet',
  })
  .superRefine((a, ctx) => {
    for (const [key, value, format] of [
      ['modification_time', a.modification_time, a.modification_time_format],
      ['access_time', a.access_time, a.access_time_format],
    ] as const) {
      if (value === undefined || value === 'now' || value === 'preserve') continue;
      try {
        toTouchTime(value, format);
      } catch (err) {
        // On the time's own key, so that a time still to be templated is checked once rendered.
        ctx.addIssue({ code: 'custom', path: [key], message: (err as Error).message });
      }
    }
  });

export type FileArgs = z.infer<typeof schema>;
type State = NonNullable<FileArgs['state']>;

/** Ansible's default state for a path that does not exist yet: directory with recurse, else file. */
export function stateOf(a: FileArgs): State {
  return a.state ?? (a.recurse ? 'directory' : 'file');
}

type Times = { mtime: string; atime: string };

/** A wanted time as touch takes it: undefined, preserve, now, or YYYYmmddHHMM.SS; touch's default is now, as Ansible's. */
function wantedTime(a: FileArgs, which: 'modification' | 'access'): string | undefined {
  const value = which === 'modification' ? a.modification_time : a.access_time;
  const format = which === 'modification' ? a.modification_time_format : a.access_time_format;
  if (value === undefined) return stateOf(a) === 'touch' ? 'now' : undefined;
  return value === 'now' || value === 'preserve' ? value : toTouchTime(value, format);
}

function hasFixedTime(a: FileArgs): boolean {
  return [wantedTime(a, 'modification'), wantedTime(a, 'access')].some((t) => t !== undefined && t !== 'preserve' && t !== 'now');
}

/**
 * touch -m / -a for the times asked for that differ. now always differs on a path that was there
 * (as Ansible); on a path this task makes, only a fixed time is a change after it. `times` is read
 * only when a fixed time is asked for.
 */
export function timeChanges(a: FileArgs, existed: boolean, times: Times | null, path = a.path): Change[] {
  const changes: Change[] = [];
  for (const [flag, want, have] of [
    ['-m', wantedTime(a, 'modification'), times?.mtime],
    ['-a', wantedTime(a, 'access'), times?.atime],
  ] as const) {
    if (want === undefined || want === 'preserve' || (want === 'now' && !existed) || (want !== 'now' && existed && want === have)) continue;
    const argv = ['touch', '-c', flag, ...(want === 'now' ? [] : ['-t', want]), '--', path];
    changes.push({ kind: 'exec', command: commandLine(argv), description: `${flag === '-m' ? 'modification' : 'access'} time ${want}` });
  }
  return changes;
}

/** A link's src as Ansible checks that it exists: a relative one is taken from the link's folder. */
export function linkSource(a: FileArgs): string {
  const src = must(a.src, 'src (the schema requires it for state=link)');
  return posix.isAbsolute(src) ? src : posix.join(posix.dirname(a.path), src);
}

/** Pure decision of the file module from the path's current state (and its times, when a fixed time is asked for). */
export function decidePath(state: FileState, a: FileArgs, times: Times | null = null): Plan {
  const plan = decidePathOnly(state, a);
  const st = stateOf(a);
  if (plan.failed || st === 'absent' || st === 'link') return plan;
  return { ...plan, changes: [...plan.changes, ...timeChanges(a, state.exists, times)] };
}

function decidePathOnly(state: FileState, a: FileArgs): Plan {
  const path = a.path;
  const attrs = { path, mode: normalizeMode(a.mode), owner: a.owner, group: a.group };
  const create = (argv: string[], description: string): Change => ({ kind: 'exec', command: commandLine(argv), description });
  const withAttrs = (first: Change, type: 'file' | 'directory' = 'file'): Change[] => [
    first,
    ...attributeChanges({ exists: true, path, type, mode: '', owner: '', group: '', size: 0 }, attrs),
  ];
  switch (stateOf(a)) {
    case 'absent':
      return state.exists ? { changes: [create(['rm', '-rf', '--', path], `remove ${path}`)] } : { changes: [], msg: 'already absent' };
    case 'directory':
      if (!state.exists) return { changes: withAttrs(create(['mkdir', '-p', '--', path], `create directory ${path}`), 'directory') };
      if (state.type !== 'directory') return { changes: [], failed: `${path} already exists as a ${state.type}` };
      return { changes: attributeChanges(state, attrs) };
    case 'touch':
      if (!state.exists) return { changes: withAttrs(create(['touch', '--', path], `create ${path}`)) };
      return { changes: attributeChanges(state, attrs) };
    case 'file':
    case 'hard':
      if (!state.exists) return { changes: [], failed: `${path} does not exist (state=file does not create files; use touch or copy)` };
      return { changes: attributeChanges(state, attrs) };
    case 'link': {
      if (state.exists && state.type === 'link' && state.linkTarget === a.src) return { changes: [], msg: 'link in place' };
      if (state.exists && state.type !== 'link' && !a.force)
        return { changes: [], failed: `${path} exists and is not a link (set force: true to replace it)` };
      return {
        changes: [
          create(['ln', '-sfn', '--', must(a.src, 'src (the schema requires it for state=link)'), path], `link ${path} -> ${a.src}`),
        ],
      };
    }
  }
}

export const file = defineModule({
  name: 'file',
  schema,
  async plan({ args, reader, check }) {
    const path = args.path;
    const st = stateOf(args);
    if (st === 'link' && !args.force) {
      // As Ansible: without force the link's src must exist (read in the same round trip as the path).
      // A dry run previews a link to what an earlier task would create, where Ansible's check run fails.
      const src = linkSource(args);
      const [state, srcState] = await reader.getAll([ask(fileState, { path }), ask(fileState, { path: src })] as const);
      if (!srcState.exists && !check)
        return { changes: [], failed: `src file does not exist, use "force=yes" if you really want to create the link: ${src}` };
      return decidePath(state, args);
    }
    if (st === 'hard') {
      const src = must(args.src, 'src (the schema requires it for state=hard)');
      const [state, srcState, times] = await reader.getAll([
        ask(pathStat, { path }),
        ask(pathStat, { path: src }),
        ...(hasFixedTime(args) ? [ask(fileTimes, { path })] : []),
      ] as const);
      const plan = decideHardLink(args, state, srcState);
      if (plan.failed) return plan;
      return { ...plan, changes: [...plan.changes, ...timeChanges(args, state.exists, (times as Times | null | undefined) ?? null)] };
    }
    if (args.recurse) {
      // One round trip: the folder, what is under it, and (follow) where its links lead.
      const [state, entries, linked] = await reader.getAll([
        ask(fileState, { path }),
        ask(dirEntries, { path, follow: false }),
        ...(args.follow ? [ask(dirEntries, { path, follow: true })] : []),
      ] as const);
      const plan = decidePath(state, args);
      if (plan.failed || !state.exists) return plan;
      return {
        ...plan,
        changes: [...plan.changes, ...recursiveChanges(args, entries ?? [], (linked as DirEntry[] | null | undefined) ?? [])],
      };
    }
    if (!hasFixedTime(args)) return decidePath(await reader.get(fileState, { path }), args);
    const [state, times] = await reader.getAll([ask(fileState, { path }), ask(fileTimes, { path })] as const);
    return decidePath(state, args, times);
  },
});
