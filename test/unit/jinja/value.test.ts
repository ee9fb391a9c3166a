import { describe, expect, it } from 'vitest';
import { isMapping, PyFloat, pyFloat, pyRepr, pyStr, pyTruthy, pyTypeName, tuple, Undefined } from '../../../src/jinja/value.js';

// Expected strings printed by python3 (3.11) for the same values.
describe('Python value model', () => {
  it('prints floats as Python does', () => {
    const floats = [pyFloat(2), 1e16, 1e-5, 0.0001, 1.5, pyFloat(-0), 123456789012345680, 1e22, 2.71, Number.POSITIVE_INFINITY];
    expect(floats.map((f) => pyRepr(typeof f === 'number' && Number.isInteger(f) ? new PyFloat(f) : f))).toEqual([
      '2.0',
      '1e+16',
      '1e-05',
      '0.0001',
      '1.5',
      '-0.0',
      '1.2345678901234568e+17',
      '1e+22',
      '2.71',
      'inf',
    ]);
  });

  it('prints containers with repr of their items', () => {
    const v = ['a', "it's", 'x"y\'z', '\n\t\x01', null, true, tuple([1]), tuple([1, 2]), { k: pyFloat(1) }];
    expect(pyRepr(v)).toBe(`['a', "it's", 'x"y\\'z', '\\n\\t\\x01', None, True, (1,), (1, 2), {'k': 1.0}]`);
    expect(pyStr(10 ** 21)).toBe('1000000000000000000000');
    expect(pyStr('plain')).toBe('plain');
  });

  it('tells dicts from boxes, tuples and lazy views', () => {
    expect(isMapping({ a: 1 })).toBe(true);
    expect(isMapping(Object.create({ a: 1 }))).toBe(true);
    expect(isMapping(new PyFloat(1))).toBe(false);
    expect(isMapping(new Undefined('x'))).toBe(false);
    expect(isMapping([1])).toBe(false);
    expect([null, true, 1, pyFloat(1), 's', [1], tuple([1]), {}].map(pyTypeName)).toEqual([
      'NoneType',
      'bool',
      'int',
      'float',
      'str',
      'list',
      'tuple',
      'dict',
    ]);
  });

  it('has Python truthiness', () => {
    expect([0, pyFloat(0), '', [], {}, null, false, Number.NaN, 'false', [0]].map(pyTruthy)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});
