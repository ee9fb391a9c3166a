import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../src/util/suggest.js';

describe('did you mean', () => {
  it('counts insertions, deletions, changes and swaps of neighbours as one edit each', () => {
    expect(editDistance('dest', 'dest')).toBe(0);
    expect(editDistance('dst', 'dest')).toBe(1);
    expect(editDistance('dset', 'dest')).toBe(1);
    expect(editDistance('copy', 'cpoy')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the nearest known name when it is close enough to be a typo', () => {
    const copyArgs = ['dest', 'content', 'src', 'mode', 'owner', 'group', 'backup', 'validate'];
    expect(closestName('dst', copyArgs)).toBe('dest');
    expect(closestName('Mode', copyArgs)).toBe('mode');
    expect(closestName('validation', copyArgs)).toBe('validate');
    expect(closestName('lineinfle', ['copy', 'lineinfile', 'file'])).toBe('lineinfile');
    expect(closestName('pakage', ['apt', 'package'])).toBe('package');
  });

  it('suggests nothing for a word that is no typo of any known name', () => {
    expect(closestName('frobnicate', ['copy', 'file', 'template'])).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });
});
