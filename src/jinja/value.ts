/**
 * Jinja2 values as JavaScript values: the contract between the template engine, its filters, tests
 * and lookups, and the rest of provision. Python's types map as follows:
 *
 *   None -> null            bool -> boolean          str -> string
 *   int  -> number (an integer)                      float -> number that is not an integer, or PyFloat
 *   list -> Array           tuple -> Array marked by tuple()          dict -> plain object (string keys)
 *   an undefined name or attribute -> Undefined (never JavaScript's undefined)
 *
 * A float whose value is integral (Python's `2.0`) cannot be told from the int 2 by a JavaScript
 * number, and Python prints them differently ("2.0" vs "2"), so it is boxed in PyFloat. Code that
 * does arithmetic goes through toNumber() and makes results with pyFloat() when Python would give a
 * float. Dict keys are strings: non-string keys (rare in templates) are stored by their str().
 */

/**
 * A Python object of a type with its own str(), repr(), type name and subtraction (datetime, date,
 * timedelta): the printing and arithmetic here ask it through these keys.
 */
export const PY_STR = Symbol('provision.jinja.str');
export const PY_REPR = Symbol('provision.jinja.repr');
export const PY_TYPE = Symbol('provision.jinja.type');
/** `a - b`: the result, or undefined when the object does not subtract that operand. */
export const PY_SUB = Symbol('provision.jinja.sub');

export interface PyTyped {
  [PY_STR](): string;
  [PY_REPR](): string;
  readonly [PY_TYPE]: string;
  [PY_SUB]?(other: unknown): unknown;
}

export function isPyTyped(v: unknown): v is PyTyped {
  return typeof v === 'object' && v !== null && PY_TYPE in v;
}

/** Python's `float` with an integral value (2.0, -0.0, 1e20); other floats are plain numbers. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

/** A Python float result: boxed only when a plain number would read as an int. */
export function pyFloat(n: number): number | PyFloat {
  return Number.isInteger(n) || Object.is(n, -0) ? new PyFloat(n) : n;
}

export function isNumber(v: unknown): v is number | PyFloat {
  return typeof v === 'number' || v instanceof PyFloat;
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && !Object.is(v, -0);
}

export function isFloat(v: unknown): v is number | PyFloat {
  return v instanceof PyFloat || (typeof v === 'number' && !isInt(v));
}

/** The number inside an int or float (booleans count as 0/1, as in Python arithmetic); undefined otherwise. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

const TUPLE = Symbol('provision.jinja.tuple');

/** A Python tuple: an array that prints as `(1, 2)`. */
export function tuple<T>(items: T[]): T[] {
  Object.defineProperty(items, TUPLE, { value: true, enumerable: false });
  return items;
}

export function isTuple(v: unknown): v is unknown[] {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/**
 * An undefined variable or attribute. Ansible renders with StrictUndefined: printing, iterating or
 * comparing one is an error, while `is defined`, `default()` and `mandatory` look at it.
 */
export class Undefined {
  constructor(
    /** What was looked up: `foo`, `foo.bar`, `foo['x']`. */
    readonly name: string,
    /** Jinja's own words when an attribute was missing: "'dict object' has no attribute 'bar'". */
    readonly hint?: string,
  ) {}

  /** Jinja's message for using this value. */
  message(): string {
    return this.hint ?? `'${this.name}' is undefined`;
  }
}

/**
 * Jinja's plain Undefined, which an inline `if` without `else` gives even under StrictUndefined:
 * it prints as nothing, is false and iterates as empty.
 */
export class PlainUndefined extends Undefined {}

export function isUndefined(v: unknown): v is Undefined {
  return v instanceof Undefined;
}

export type Mapping = Record<string, unknown>;

/** A Python dict: a plain object, not a list, number box or Undefined. */
export function isMapping(v: unknown): v is Mapping {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  // Lazy views (hostvars, a task's variables) inherit from plain objects; class instances are not dicts.
  for (let proto = Object.getPrototypeOf(v); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, 'constructor')) return false;
  }
  return true;
}

/** Python truthiness (Jinja's `if`): empty str/list/dict, 0, 0.0, None and False are false. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0; // NaN is true in Python too
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Undefined) return false;
  if (isMapping(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Python's type name, as `type_debug` and error messages say it. */
export function pyTypeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (isInt(v)) return 'int';
  if (isNumber(v)) return 'float';
  if (typeof v === 'string') return 'str';
  if (isTuple(v)) return 'tuple';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Undefined) return 'AnsibleUndefined';
  if (isMapping(v)) return 'dict';
  if (isPyTyped(v)) return v[PY_TYPE];
  return typeof v;
}

/** str(): what `{{ value }}` prints. */
export function pyStr(v: unknown): string {
  if (isPyTyped(v)) return v[PY_STR]();
  return typeof v === 'string' ? v : pyRepr(v);
}

/** repr(): how a value prints inside a list or dict. */
export function pyRepr(v: unknown): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return reprString(v);
  if (typeof v === 'number') return isInt(v) ? formatInt(v) : formatFloat(v);
  if (v instanceof PyFloat) return formatFloat(v.value);
  if (isTuple(v)) return v.length === 1 ? `(${pyRepr(v[0])},)` : `(${v.map(pyRepr).join(', ')})`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Undefined) return '';
  if (isPyTyped(v)) return v[PY_REPR]();
  if (isMapping(v)) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${reprString(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  }
  return String(v);
}

function formatInt(n: number): string {
  // Python ints never switch to exponent notation.
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

/** Python's float repr: shortest round trip, exponent below 1e-4 and from 1e16, always a '.0' or exponent. */
export function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mantissa = '', exp = '0'] = n.toExponential().split('e');
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(n);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}
