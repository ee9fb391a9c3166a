import { describe, expect, it } from 'vitest';
import { yesNo } from '../../../src/modules/common-args.js';
import { findModule } from '../../../src/registry/modules.js';

// Recorded with ansible-core 2.14 (`ansible localhost -m stat -a "path=/tmp get_checksum=WORD"`): every
// word below was accepted, and `maybe` was refused as "not a valid boolean".
describe('boolean module arguments as Ansible reads them', () => {
  it.each([
    [true, true],
    ['ON', true],
    ['T', true],
    ['1', true],
    [1, true],
    ['y', true],
    ['Yes', true],
    [false, false],
    ['Off', false],
    ['F', false],
    ['0', false],
    [0, false],
    ['n', false],
    ['NO', false],
  ])('%j is %s', (word, value) => {
    expect(yesNo.parse(word)).toBe(value);
  });

  it('refuses a word Ansible refuses, saying what to write', () => {
    const r = yesNo.safeParse('maybe');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/"maybe" is not a valid boolean: write yes\/no/);
  });

  it('reaches k=v arguments of modules that took only true/false before (assert quiet)', () => {
    const assert = findModule('assert');
    expect(assert?.schema.safeParse({ that: ['1 == 1'], quiet: 'yes' }).success).toBe(true);
  });
});
