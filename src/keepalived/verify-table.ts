import type { StepResult } from './verify.js';

/** Column widths of verify's step table; values longer than their column wrap, they never shift it. */
export interface StepColumns {
  step: number;
  expected: number;
  actual: number;
}

/** Wide enough for the cluster's own values ("nginx active, VIP on <longest host>"). */
export function stepColumns(hosts: string[]): StepColumns {
  const longest = Math.max(0, ...hosts.map((h) => h.length));
  const value = Math.max(24, 'nginx active, VIP on '.length + longest);
  return { step: 62, expected: value, actual: value };
}

/**
 * One step as table text. Each cell starts at its column; a cell that runs past the start of the
 * next one moves the rest of the row to a continuation line, at the same columns.
 */
export function formatStep(s: StepResult, c: StepColumns): string {
  const cells: [start: number, text: string][] = [];
  let start = 0;
  const cell = (text: string, width: number, gap: number) => {
    cells.push([start, text]);
    start += width + gap;
  };
  cell(s.ok ? 'PASS' : 'FAIL', 4, 2);
  cell(s.step, c.step, 1);
  cell(`expected ${s.expected}`, 'expected '.length + c.expected, 1);
  cell(`actual ${s.actual}`, 'actual '.length + c.actual, 1);
  cell(`${s.ms ? `${s.ms} ms` : ''}${s.detail ? `  (${s.detail})` : ''}`, 0, 0);
  const lines: string[] = [];
  let line = '';
  for (const [at, text] of cells) {
    if (!text) continue;
    // A gap of at least one space between cells, or the cell starts on a fresh line.
    if (line.length > 0 && line.length >= at) {
      lines.push(line);
      line = '';
    }
    line = line.padEnd(at) + text;
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd()).join('\n');
}
