import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../src/report/diff.js';

describe('unified diff', () => {
  it('shows a one-line change with context, removals first', () => {
    const before = `${Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n')}\n`;
    const after = before.replace('line 5', 'LINE 5');
    expect(unifiedDiff({ path: '/etc/f', before, after })).toBe(
      [
        '--- before: /etc/f',
        '+++ after: /etc/f',
        '@@ -3,7 +3,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+LINE 5',
        ' line 6',
        ' line 7',
        ' line 8',
        '',
      ].join('\n'),
    );
  });

  it('a new file is all additions', () => {
    expect(unifiedDiff({ path: '/f', before: '', after: 'a\nb\n' })).toContain('@@ -0,0 +1,2 @@\n+a\n+b\n');
  });

  it('separate hunks for distant changes', () => {
    const a = Array.from({ length: 30 }, (_, i) => `l${i}`);
    const b = [...a];
    b[2] = 'x';
    b[25] = 'y';
    expect(unifiedDiff({ path: '/f', before: a.join('\n'), after: b.join('\n') }).match(/^@@/gm)).toHaveLength(2);
  });

  it('edit script reproduces the new text', () => {
    const a = 'a b c d e f'.split(' ');
    const b = 'a x c d f g'.split(' ');
    const ops = diffLines(a, b);
    expect(ops.filter((o) => o.kind !== '-').map((o) => o.line)).toEqual(b);
    expect(ops.filter((o) => o.kind !== '+').map((o) => o.line)).toEqual(a);
  });

  it('binary or large files get a summary line', () => {
    expect(unifiedDiff({ path: '/b', before: '', after: '', summary: 'binary: 1 bytes -> 2 bytes' })).toContain(
      'binary: 1 bytes -> 2 bytes',
    );
  });
});
