/** Jinja2 3.1's built-in tests (jinja2/tests.py). */
import { defined, type Filter, type Test } from './extension.js';
import { checkDefined, compareOp, PyCallable, pyContains } from './python.js';
import { isFloat, isInt, isMapping, isNumber, isUndefined, toNumber } from './value.js';

type Lookup<T> = (name: string) => T | undefined;

function cmp(op: string): Test {
  return (_c, v, a) => compareOp(op, defined(v), checkDefined(a[0]));
}

export function builtinTests(filters: Lookup<Filter>, tests: Lookup<Test>): Record<string, Test> {
  const t: Record<string, Test> = {
    boolean: (_c, v) => typeof v === 'boolean',
    callable: (_c, v) => v instanceof PyCallable,
    defined: (_c, v) => !isUndefined(v),
    divisibleby: (_c, v, a) => (toNumber(defined(v)) as number) % (toNumber(a[0]) as number) === 0,
    escaped: () => false,
    even: (_c, v) => (toNumber(defined(v)) as number) % 2 === 0,
    false: (_c, v) => v === false,
    filter: (_c, v) => typeof v === 'string' && filters(v) !== undefined,
    float: (_c, v) => isFloat(v),
    in: (_c, v, a) => pyContains(a[0], v),
    integer: (_c, v) => isInt(v),
    iterable: (_c, v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
    lower: (_c, v) => {
      const s = String(defined(v));
      return s === s.toLowerCase();
    },
    mapping: (_c, v) => isMapping(v),
    none: (_c, v) => v === null,
    number: (_c, v) => isNumber(v) || typeof v === 'boolean',
    odd: (_c, v) => Math.abs((toNumber(defined(v)) as number) % 2) === 1,
    sameas: (_c, v, a) => v === a[0] || (v === null && a[0] === null),
    sequence: (_c, v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
    string: (_c, v) => typeof v === 'string',
    test: (_c, v) => typeof v === 'string' && tests(v) !== undefined,
    true: (_c, v) => v === true,
    undefined: (_c, v) => isUndefined(v),
    upper: (_c, v) => {
      const s = String(defined(v));
      return s === s.toUpperCase();
    },
    eq: cmp('=='),
    ne: cmp('!='),
    lt: cmp('<'),
    le: cmp('<='),
    gt: cmp('>'),
    ge: cmp('>='),
  };
  Object.assign(t, {
    '==': t.eq,
    equalto: t.eq,
    '!=': t.ne,
    '<': t.lt,
    lessthan: t.lt,
    '<=': t.le,
    '>': t.gt,
    greaterthan: t.gt,
    '>=': t.ge,
  });
  return t;
}
