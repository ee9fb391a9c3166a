import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Change, Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { must } from '../errors.js';
import { fileState } from '../reads/file-state.js';
import { fileTimes } from '../reads/file-times.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { attributeChanges, normalizeMode } from './desired-file.js';
import { defineModule } from './types.js';

const TIME = /^(now|preserve|\d{12}\.\d{2})$/;
const timeArg = z.string().regex(TIME, 'now, preserve, or a time as YYYYmmddHHMM.SS').optional();

const schema = withAliases(
  {
    path: absPath,
    state: z.enum(['file', 'directory', 'absent', 'touch', 'link']).default('file'),
    src: z.string().optional().describe('link target, for state=link'),
    force: yesNo.optional().describe('replace what stands at path when making a link'),
    modification_time: timeArg.describe('now (always a change), preserve, or YYYYmmddHHMM.SS'),
    modification_time_format: z.literal('%Y%m%d%H%M.%S').optional().describe('only the default format is supported'),
    access_time: timeArg.describe('now (always a change), preserve, or YYYYmmddHHMM.SS'),
    access_time_format: z.literal('%Y%m%d%H%M.%S').optional().describe('only the default format is supported'),
    ...fileAttrs,
  },
  { dest: 'path', name: 'path' },
).refine((a) => a.state !== 'link' || a.src !== undefined, { message: 'state=link needs src' });

export type FileArgs = z.infer<typeof schema>;

function targetPath(a: FileArgs): string {
  return a.path;
}

function hasFixedTime(a: FileArgs): boolean {
  return [a.modification_time, a.access_time].some((t) => t !== undefined && t !== 'preserve' && t !== 'now');
}

/** touch -m / -a for the times asked for that differ (now always does); times undefined: the path is new. */
export function timeChanges(a: FileArgs, times: { mtime: string; atime: string } | null): Change[] {
  const changes: Change[] = [];
  for (const [flag, want, have] of [
    ['-m', a.modification_time, times?.mtime],
    ['-a', a.access_time, times?.atime],
  ] as const) {
    if (want === undefined || want === 'preserve' || want === have) continue;
    const argv = ['touch', flag, ...(want === 'now' ? [] : ['-t', want]), '--', a.path];
    changes.push({ kind: 'exec', command: commandLine(argv), description: `${flag === '-m' ? 'modification' : 'access'} time ${want}` });
  }
  return changes;
}

/** A link's src as Ansible checks that it exists: a relative one is taken from the link's folder. */
export function linkSource(a: FileArgs): string {
  const src = must(a.src, 'src (the schema requires it for state=link)');
  return posix.isAbsolute(src) ? src : posix.join(posix.dirname(targetPath(a)), src);
}

/** Pure decision of the file module from the path's current state. */
export function decidePath(state: FileState, a: FileArgs, times: { mtime: string; atime: string } | null = null): Plan {
  const plan = decidePathOnly(state, a);
  if (plan.failed || a.state === 'absent' || a.state === 'link') return plan;
  return { ...plan, changes: [...plan.changes, ...timeChanges(a, times)] };
}

function decidePathOnly(state: FileState, a: FileArgs): Plan {
  const path = targetPath(a);
  const attrs = { path, mode: normalizeMode(a.mode), owner: a.owner, group: a.group };
  const create = (argv: string[], description: string): Change => ({ kind: 'exec', command: commandLine(argv), description });
  const withAttrs = (first: Change, type: 'file' | 'directory' = 'file'): Change[] => [
    first,
    ...attributeChanges({ exists: true, path, type, mode: '', owner: '', group: '', size: 0 }, attrs),
  ];
  switch (a.state) {
    case 'absent':
      return state.exists ? { changes: [create(['rm', '-rf', '--', path], `remove ${path}`)] } : { changes: [], msg: 'already absent' };
    case 'directory':
      if (!state.exists) return { changes: withAttrs(create(['mkdir', '-p', '--', path], `create directory ${path}`), 'directory') };
      if (state.type !== 'directory') return { changes: [], failed: `${path} exists and is not a directory` };
      return { changes: attributeChanges(state, attrs) };
    case 'touch':
      if (!state.exists) return { changes: withAttrs(create(['touch', '--', path], `create ${path}`)) };
      return { changes: attributeChanges(state, attrs) };
    case 'file':
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
    if (args.state === 'link' && !args.force) {
      // As Ansible: without force the link's src must exist (read in the same round trip as the path).
      // A dry run previews a link to what an earlier task would create, where Ansible's check run fails.
      const src = linkSource(args);
      const [state, srcState] = await reader.getAll([ask(fileState, { path: targetPath(args) }), ask(fileState, { path: src })] as const);
      if (!srcState.exists && !check)
        return { changes: [], failed: `src file does not exist, use "force=yes" if you really want to create the link: ${src}` };
      return decidePath(state, args);
    }
    if (!hasFixedTime(args)) return decidePath(await reader.get(fileState, { path: targetPath(args) }), args);
    const [state, times] = await reader.getAll([
      ask(fileState, { path: targetPath(args) }),
      ask(fileTimes, { path: targetPath(args) }),
    ] as const);
    return decidePath(state, args, times);
  },
});
