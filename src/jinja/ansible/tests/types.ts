/** Truthiness and type tests: Ansible's truthy/falsy (with convert_bool) and Jinja's type tests Ansible roles use. */
import type { Test } from '../../extension.js';
import { defined } from '../../extension.js';
import { isFloat, isInt, isMapping, isNumber, pyTruthy } from '../../value.js';
import { bind, pyEquals } from '../shared.js';

const TRUE_VALUES: unknown[] = ['y', 'yes', 'on', '1', 'true', 't', 1];
const FALSE_VALUES: unknown[] = ['n', 'no', 'off', '0', 'false', 'f', 0];

/** module_utils' boolean(value): true/false words and 0/1; undefined when the value is neither. */
export function ansibleBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const normalized = typeof v === 'string' ? v.toLowerCase().trim() : v;
  if (TRUE_VALUES.some((t) => pyEquals(t, normalized))) return true;
  if (FALSE_VALUES.some((t) => pyEquals(t, normalized))) return false;
  return undefined;
}

function truthy(value: unknown, convertBool: unknown): boolean {
  const v = defined(value);
  if (pyTruthy(convertBool)) {
    const b = ansibleBoolean(v);
    if (b !== undefined) return b;
  }
  return pyTruthy(v);
}

const truthyTest: Test = (_ctx, value, args, kwargs) => {
  const [convertBool] = bind('truthy', ['convert_bool'], [false], args, kwargs);
  return truthy(value, convertBool);
};

const falsyTest: Test = (_ctx, value, args, kwargs) => {
  const [convertBool] = bind('falsy', ['convert_bool'], [false], args, kwargs);
  return !truthy(value, convertBool);
};

// Jinja's type tests are false for an undefined value; only iterating one is an error.
const is =
  (check: (v: unknown) => boolean): Test =>
  (_ctx, value) =>
    check(value);

const iterates =
  (check: (v: unknown) => boolean): Test =>
  (_ctx, value) =>
    check(defined(value));

export const typeTests: Record<string, Test> = {
  truthy: truthyTest,
  falsy: falsyTest,
  string: is((v) => typeof v === 'string'),
  number: is((v) => isNumber(v) || typeof v === 'boolean'),
  mapping: is(isMapping),
  iterable: iterates((v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)),
  sequence: iterates((v) => typeof v === 'string' || Array.isArray(v) || isMapping(v)),
  boolean: is((v) => typeof v === 'boolean'),
  integer: is(isInt),
  float: is(isFloat),
  vault_encrypted: is(() => false),
};
