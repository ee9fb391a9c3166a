import type { FileDiff } from '../core/plan.js';

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Line edit script by longest common subsequence, after trimming the common ends. */
export function diffLines(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const middle: Op[] = [];
  if (am.length * bm.length > 4_000_000) {
    // Too large for the table: show it as a replacement rather than spend the memory.
    am.forEach((line) => {
      middle.push({ kind: '-', line });
    });
    bm.forEach((line) => {
      middle.push({ kind: '+', line });
    });
  } else {
    const w = bm.length + 1;
    const lcs = new Uint32Array((am.length + 1) * w);
    for (let i = am.length - 1; i >= 0; i--) {
      for (let j = bm.length - 1; j >= 0; j--) {
        lcs[i * w + j] = am[i] === bm[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < am.length || j < bm.length) {
      if (i < am.length && j < bm.length && am[i] === bm[j]) {
        middle.push({ kind: ' ', line: am[i++] });
        j++;
      } else if (i < am.length && (j === bm.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]))
        middle.push({ kind: '-', line: am[i++] });
      else middle.push({ kind: '+', line: bm[j++] });
    }
  }
  return [
    ...a.slice(0, pre).map((line) => ({ kind: ' ' as const, line })),
    ...middle,
    ...a.slice(a.length - suf).map((line) => ({ kind: ' ' as const, line })),
  ];
}

function splitText(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A unified diff (`diff -u` layout) of one file, with `context` lines around each change. */
export function unifiedDiff(d: FileDiff, context = 3): string {
  const header = `--- before: ${d.path}\n+++ after: ${d.path}\n`;
  if (d.summary) return `${header}${d.summary}\n`;
  const a = splitText(d.before);
  const b = splitText(d.after);
  const ops = diffLines(a, b);
  const out: string[] = [];
  let idx = 0;
  while (idx < ops.length) {
    if (ops[idx].kind === ' ') {
      idx++;
      continue;
    }
    let start = Math.max(0, idx - context);
    let end = idx;
    // extend the hunk while changes are within 2*context of each other
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next].kind !== ' ') next++;
      let gap = next;
      while (gap < ops.length && ops[gap].kind === ' ') gap++;
      if (gap < ops.length && gap - next <= context * 2) end = gap;
      else {
        end = Math.min(ops.length, next + context);
        break;
      }
    }
    const before = ops.slice(0, start);
    const aStart = before.filter((o) => o.kind !== '+').length;
    const bStart = before.filter((o) => o.kind !== '-').length;
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    hunk.forEach((o) => {
      out.push(`${o.kind}${o.line}`);
    });
    idx = end;
    start = end;
  }
  return header + out.join('\n') + (out.length ? '\n' : '');
}
