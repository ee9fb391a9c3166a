import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { MAX_EDIT_LENGTH, unifiedDiff } from '../../src/report/diff.js';

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

  it('applied to the old text, the diff gives the new text', () => {
    const before = 'a\nb\nc\nd\ne\nf\n';
    const after = 'a\nx\nc\nd\nf\ng\n';
    expect(applyPatch(before, unifiedDiff({ path: '/f', before, after }))).toBe(after);
  });

  it('a large file with two distant changes shows two small hunks (the old table gave up and replaced it all)', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[10] = 'changed near the top';
    b[2990] = 'changed near the end';
    const text = unifiedDiff({ path: '/big', before: `${a.join('\n')}\n`, after: `${b.join('\n')}\n` });
    expect(text.match(/^@@/gm)).toEqual(['@@', '@@']);
    expect(text).toContain('@@ -8,7 +8,7 @@\n line 7\n line 8\n line 9\n-line 10\n+changed near the top\n');
    expect(text.split('\n').filter((l) => l.startsWith('-') || l.startsWith('+')).length).toBe(6);
  });

  it('a new file, an emptied file, and an edit past the limit show every line', () => {
    expect(unifiedDiff({ path: '/f', before: 'a\nb\n', after: '' })).toContain('@@ -1,2 +0,0 @@\n-a\n-b\n');
    const a = Array.from({ length: MAX_EDIT_LENGTH + 1 }, (_, i) => `old ${i}`);
    const b = a.map((l) => l.replace('old', 'new'));
    const text = unifiedDiff({ path: '/f', before: a.join('\n'), after: b.join('\n') });
    expect(text).toContain(`@@ -1,${a.length} +1,${b.length} @@\n-old 0\n`);
  });

  it('binary or large files get a summary line', () => {
    expect(unifiedDiff({ path: '/b', before: '', after: '', summary: 'binary: 1 bytes -> 2 bytes' })).toContain(
      'binary: 1 bytes -> 2 bytes',
    );
  });
});
