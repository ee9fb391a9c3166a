import { structuredPatch } from 'diff';
import type { FileDiff } from '../core/plan.js';

/**
 * Past this many changed lines, finding the shortest edit costs too much (Myers' algorithm is
 * quadratic in it) and reads as "rewritten" anyway: the file is shown as replaced.
 */
export const MAX_EDIT_LENGTH = 500;

function splitText(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every line as one that ends: a missing final newline is not a change worth a hunk. */
function normalize(lines: string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** One hunk's header as `diff -u` writes it: an empty side starts at the line before. */
function hunkHeader(h: { oldStart: number; oldLines: number; newStart: number; newLines: number }): string {
  const side = (start: number, lines: number) => `${lines ? start : start - 1},${lines}`;
  return `@@ -${side(h.oldStart, h.oldLines)} +${side(h.newStart, h.newLines)} @@`;
}

/** A unified diff (`diff -u` layout) of one file, with `context` lines around each change. */
export function unifiedDiff(d: FileDiff, context = 3): string {
  const header = `--- before: ${d.path}\n+++ after: ${d.path}\n`;
  if (d.summary) return `${header}${d.summary}\n`;
  const before = splitText(d.before);
  const after = splitText(d.after);
  // A new or emptied file needs no search; a huge edit is shown whole rather than searched for.
  const patch =
    before.length && after.length
      ? structuredPatch('before', 'after', normalize(before), normalize(after), '', '', { context, maxEditLength: MAX_EDIT_LENGTH })
      : undefined;
  const hunks = patch?.hunks ?? [
    {
      oldStart: 1,
      oldLines: before.length,
      newStart: 1,
      newLines: after.length,
      lines: [...before.map((l) => `-${l}`), ...after.map((l) => `+${l}`)],
    },
  ];
  const out = hunks.flatMap((h) => [hunkHeader(h), ...h.lines]);
  return header + out.join('\n') + (out.length ? '\n' : '');
}
