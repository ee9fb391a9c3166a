import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Change, Plan } from '../core/plan.js';
import { must } from '../errors.js';
import { fileState } from '../reads/file-state.js';
import { commandLine } from '../shell/quote.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { attributeChanges, normalizeMode } from './desired-file.js';
import { defineModule } from './types.js';

const schema = z
  .strictObject({
    path: absPath.optional(),
    dest: absPath.optional().describe('alias of path'),
    state: z.enum(['file', 'directory', 'absent', 'touch', 'link']).default('file'),
    src: z.string().optional().describe('link target, for state=link'),
    force: yesNo.optional().describe('replace what stands at path when making a link'),
    ...fileAttrs,
  })
  .refine((a) => (a.path ?? a.dest) !== undefined, { message: 'path is required' })
  .refine((a) => a.state !== 'link' || a.src !== undefined, { message: 'state=link needs src' });

export type FileArgs = z.infer<typeof schema>;

function targetPath(a: FileArgs): string {
  return must(a.path ?? a.dest, 'path (the schema requires path or dest)');
}

/** Pure decision of the file module from the path's current state. */
export function decidePath(state: FileState, a: FileArgs): Plan {
  const path = targetPath(a);
  const attrs = { path, mode: normalizeMode(a.mode), owner: a.owner, group: a.group };
  const create = (argv: string[], description: string): Change => ({ kind: 'exec', command: commandLine(argv), description });
  const withAttrs = (first: Change): Change[] => [
    first,
    ...attributeChanges({ exists: true, path, type: 'file', mode: '', owner: '', group: '', size: 0 }, attrs),
  ];
  switch (a.state) {
    case 'absent':
      return state.exists ? { changes: [create(['rm', '-rf', '--', path], `remove ${path}`)] } : { changes: [], msg: 'already absent' };
    case 'directory':
      if (!state.exists) return { changes: withAttrs(create(['mkdir', '-p', '--', path], `create directory ${path}`)) };
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
  async plan({ args, reader }) {
    return decidePath(await reader.get(fileState, { path: targetPath(args) }), args);
  },
});
