import { z } from 'zod';
import { withAliases } from './aliases.js';
import { absPath, fileAttrs, yesNo } from './common-args.js';
import { planTextEdit } from './text-edit.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    path: absPath,
    block: z.string().optional().describe('the text between the markers; empty or none removes the block'),
    marker: z.string().default('# {mark} ANSIBLE MANAGED BLOCK').describe('the marker line; {mark} becomes marker_begin or marker_end'),
    marker_begin: z.string().default('BEGIN'),
    marker_end: z.string().default('END'),
    state: z.enum(['present', 'absent']).default('present'),
    insertafter: z.string().optional().describe('EOF or a regular expression: a new block goes after its last match'),
    insertbefore: z.string().optional().describe('BOF or a regular expression: a new block goes before its last match'),
    create: yesNo.default(false).describe('create the file if it is missing'),
    backup: yesNo.optional(),
    validate: z.string().includes('%s').optional(),
    ...fileAttrs,
  },
  { dest: 'path', destfile: 'path', name: 'path', content: 'block' },
);
export type BlockInFileArgs = z.infer<typeof schema>;

/** Lines with their line ends, as Python's splitlines(keepends) gives them. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The new text, pure, with Ansible's rules: an existing block (both markers) is replaced where it is, a new one placed by insertafter/insertbefore. */
export function editBlock(text: string, a: BlockInFileArgs): string {
  const marker0 = `${a.marker.replaceAll('{mark}', a.marker_begin)}\n`;
  const marker1 = `${a.marker.replaceAll('{mark}', a.marker_end)}\n`;
  const lines = linesOf(text);
  const block =
    a.state === 'absent' || !a.block
      ? []
      : [
          marker0,
          ...a.block
            .replace(/\n$/, '')
            .split('\n')
            .map((l) => `${l}\n`),
          marker1,
        ];
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => {
    const bare = l.endsWith('\n') ? l : `${l}\n`;
    if (bare === marker0) n0 = i;
    if (bare === marker1) n1 = i;
  });
  let at: number;
  if (n0 === undefined || n1 === undefined) {
    const anchor =
      a.insertafter && a.insertafter !== 'EOF' ? a.insertafter : a.insertbefore && a.insertbefore !== 'BOF' ? a.insertbefore : undefined;
    if (anchor !== undefined) {
      const re = new RegExp(anchor);
      let last = -1;
      lines.forEach((l, i) => {
        if (re.test(l)) last = i;
      });
      at = last < 0 ? lines.length : a.insertafter !== undefined ? last + 1 : last;
    } else at = a.insertbefore === 'BOF' ? 0 : lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
    at = n0;
  } else {
    lines.splice(n1, n0 - n1 + 1);
    at = n1;
  }
  const prev = lines[at - 1];
  if (at > 0 && prev !== undefined && !prev.endsWith('\n')) lines[at - 1] = `${prev}\n`;
  lines.splice(at, 0, ...block);
  return lines.join('');
}

/** ansible-core's msg: what happened to the text (an unchanged text says nothing). */
function blockMessage(before: string, after: string, created: boolean, a: BlockInFileArgs): string {
  if (before === after) return '';
  if (created) return 'File created';
  return a.state === 'absent' || !a.block ? 'Block removed' : 'Block inserted';
}

export const blockinfile = defineModule({
  name: 'blockinfile',
  schema,
  async plan({ args, reader }) {
    return planTextEdit(
      reader,
      args,
      (text) => editBlock(text, args),
      args.state === 'absent' ? 'ok' : 'fail',
      (before, after, plan) =>
        blockMessage(
          before,
          after,
          plan.changes.some((c) => c.description.startsWith('create ')),
          args,
        ),
    );
  },
});
