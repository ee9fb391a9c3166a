/**
 * Python semantics that several of Ansible's filters, tests and lookups share: equality and
 * membership as `==` and `in` see them, str() of an argument, and errors in Ansible's words.
 */
import { bindArgs, defined, JinjaError } from '../extension.js';
import { isMapping, isTuple, isUndefined, type Mapping, PyFloat, pyStr, pyTypeName, toNumber, tuple } from '../value.js';

/** An error Ansible raises from a plugin (AnsibleFilterError, AnsibleLookupError...): its message as Ansible words it. */
export function pluginError(message: string): JinjaError {
  return new JinjaError('runtime', message);
}

/** Python's `a == b`: 1 == 1.0 == True, a list never equals a tuple, dicts compare by keys and values. */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = typeof a === 'boolean' || a instanceof PyFloat || typeof a === 'number' ? toNumber(a) : undefined;
  const nb = typeof b === 'boolean' || b instanceof PyFloat || typeof b === 'number' ? toNumber(b) : undefined;
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || isTuple(a) !== isTuple(b) || a.length !== b.length) return false;
    return a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isMapping(a) || isMapping(b)) {
    if (!isMapping(a) || !isMapping(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return a === b;
}

/** Python's `x in container` for a list, tuple, dict (its keys) or str (a substring). */
export function pyContains(container: unknown, x: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof x !== 'string') throw pluginError(`'in <string>' requires string as left operand, not ${pyTypeName(x)}`);
    return container.includes(x);
  }
  if (Array.isArray(container)) return container.some((y) => pyEquals(y, x));
  if (isMapping(container)) return typeof x === 'string' && Object.hasOwn(container, x);
  throw pluginError(`argument of type '${pyTypeName(container)}' is not iterable`);
}

/** Python's list(x): the items of a list or tuple, the keys of a dict, the characters of a str. */
export function pyList(x: unknown, what = 'object'): unknown[] {
  const v = defined(x);
  if (Array.isArray(v)) return [...v];
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(v);
  throw pluginError(`'${pyTypeName(v)}' ${what} is not iterable`);
}

/** Python's is_sequence(): a list or tuple (not a str, not a dict). */
export function isSequence(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** to_text(value, nonstring='simplerepr'): str() of a non-string argument. */
export function toText(v: unknown): string {
  return pyStr(defined(v));
}

/** A dict, or Ansible's type error naming what it got. */
export function asMapping(v: unknown, message: (got: unknown) => string): Mapping {
  const d = defined(v);
  if (!isMapping(d)) throw pluginError(message(d));
  return d;
}

/** Bind a call's arguments, with the defaults a Python signature would give. */
export function bind<T extends unknown[]>(
  name: string,
  params: readonly string[],
  defaults: T,
  args: unknown[],
  kwargs: Record<string, unknown>,
): T {
  const bound = bindArgs(name, params, args, kwargs);
  return bound.map((v, i) => (v === undefined ? defaults[i] : v)) as T;
}

/** Python's `<class 'list'>` spelling that Ansible's type errors print. */
export function pyClass(v: unknown): string {
  return `<class '${pyTypeName(v)}'>`;
}

export { isUndefined, tuple };

/** Python's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python's '%.Nf' % x: correctly rounded, ties (exact in binary) to even, where toFixed would round up. */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const wide = Math.abs(x).toFixed(Math.min(100, digits + 40));
  const cut = wide.indexOf('.') + 1 + digits;
  const tail = wide.slice(cut);
  if (/^50*$/.test(tail)) {
    const head = wide.slice(0, cut);
    const lastDigit = Number(head.replace('.', '').slice(-1));
    const down = head.endsWith('.') ? head.slice(0, -1) : head;
    if (lastDigit % 2 === 0) return (x < 0 ? '-' : '') + down;
  }
  return x.toFixed(digits);
}
