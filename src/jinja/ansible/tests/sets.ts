/** Ansible's set and number tests (subset, superset, contains, nan) and Python's any/all. */
import type { Test } from '../../extension.js';
import { defined } from '../../extension.js';
import { isMapping, pyTruthy, pyTypeName, toNumber } from '../../value.js';
import { bind, pluginError, pyContains, pyList } from '../shared.js';

/** set(x): hashable items only, as Python requires. */
function asSet(v: unknown): unknown[] {
  const items = pyList(v);
  for (const x of items) if (Array.isArray(x) || isMapping(x)) throw pluginError(`unhashable type: '${pyTypeName(x)}'`);
  return items;
}

const subset: Test = (_ctx, value, args, kwargs) => {
  const [b] = bind('issubset', ['b'], [undefined] as [unknown], args, kwargs);
  const set = asSet(b);
  return asSet(value).every((x) => pyContains(set, x));
};

const superset: Test = (_ctx, value, args, kwargs) => {
  const [b] = bind('issuperset', ['b'], [undefined] as [unknown], args, kwargs);
  const set = asSet(value);
  return asSet(b).every((x) => pyContains(set, x));
};

const contains: Test = (_ctx, value, args, kwargs) => {
  const [x] = bind('contains', ['value'], [undefined] as [unknown], args, kwargs);
  return pyContains(defined(value), x);
};

const nan: Test = (_ctx, value) => {
  const v = defined(value);
  const n = typeof v === 'boolean' ? 0 : toNumber(v);
  return n !== undefined && Number.isNaN(n);
};

const anyTest: Test = (_ctx, value) => pyList(value).some(pyTruthy);
const allTest: Test = (_ctx, value) => pyList(value).every(pyTruthy);

export const setTests: Record<string, Test> = {
  subset,
  issubset: subset,
  superset,
  issuperset: superset,
  contains,
  nan,
  isnan: nan,
  any: anyTest,
  all: allTest,
};
