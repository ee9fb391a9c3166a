/**
 * Python's semantics for the operators Jinja2 hands to Python: arithmetic with int/float, equality
 * and ordering, `in`, iteration, and attribute/item lookup as Jinja's sandbox-free environment does.
 */
import { type CallContext, JinjaError } from './extension.js';
import {
  isInt,
  isMapping,
  isNumber,
  isPyTyped,
  isTuple,
  isUndefined,
  type Mapping,
  PlainUndefined,
  PY_SUB,
  PyFloat,
  pyFloat,
  pyRepr,
  pyStr,
  pyTypeName,
  toNumber,
  tuple,
  Undefined,
} from './value.js';

/** A Python callable: functions, macros, bound methods. */
export class PyCallable {
  constructor(
    readonly name: string,
    /** `ctx`: the render calling it (lookups read variables and search paths through it). */
    readonly fn: (args: unknown[], kwargs: Record<string, unknown>, ctx?: CallContext) => unknown,
  ) {}
}

/** An object whose attributes are its JavaScript properties (loop, namespace, cycler, an imported module). */
export class PyObject {}

export function runtime(message: string): JinjaError {
  return new JinjaError('runtime', message);
}

/** Using an undefined value is Jinja's UndefinedError. */
export function failUndefined(u: Undefined): never {
  throw new JinjaError(u.hint?.startsWith('list object has no element') ? 'runtime' : 'undefined', u.message(), u.name);
}

export function checkDefined(v: unknown): unknown {
  if (v instanceof Undefined) failUndefined(v);
  return v;
}

/** A value printed or concatenated: a plain Undefined prints as nothing, a strict one fails. */
export function printable(v: unknown): string {
  if (v instanceof PlainUndefined) return '';
  return pyStr(checkDefined(v));
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNumeric = (v: unknown) => isNumber(v) || isBool(v);
const floaty = (v: unknown) => v instanceof PyFloat || (typeof v === 'number' && !isInt(v));

function numResult(n: number, asFloat: boolean): unknown {
  return asFloat ? pyFloat(n) : n;
}

function unsupported(op: string, a: unknown, b: unknown): never {
  throw runtime(`unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

export function binop(op: string, a: unknown, b: unknown): unknown {
  checkDefined(a);
  checkDefined(b);
  if (isNumeric(a) && isNumeric(b)) {
    const x = toNumber(a) as number;
    const y = toNumber(b) as number;
    const f = floaty(a) || floaty(b);
    switch (op) {
      case '+':
        return numResult(x + y, f);
      case '-':
        return numResult(x - y, f);
      case '*':
        return numResult(x * y, f);
      case '/':
        if (y === 0) throw runtime('division by zero');
        return pyFloat(x / y);
      case '//':
        if (y === 0) throw runtime(f ? 'float divmod()' : 'integer division or modulo by zero');
        return numResult(Math.floor(x / y), f);
      case '%': {
        if (y === 0) throw runtime(f ? 'float modulo' : 'integer division or modulo by zero');
        const m = x % y;
        return numResult(m !== 0 && m < 0 !== y < 0 ? m + y : m, f);
      }
      case '**':
        if (!f && y < 0) return pyFloat(x ** y);
        return numResult(x ** y, f);
    }
  }
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) return isTuple(a) ? tuple([...a, ...b]) : [...a, ...b];
    if (typeof a === 'string') throw runtime(`can only concatenate str (not "${pyTypeName(b)}") to str`);
    if (Array.isArray(a) && !isTuple(a)) throw runtime(`can only concatenate list (not "${pyTypeName(b)}") to list`);
  }
  if (op === '*') {
    const [seq, n] = isInt(b) || isBool(b) ? [a, toNumber(b) as number] : [b, toNumber(a)];
    if (n !== undefined && (isInt(a) || isBool(a) || isInt(b) || isBool(b))) {
      if (typeof seq === 'string') return n > 0 ? seq.repeat(n) : '';
      if (Array.isArray(seq)) {
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(...seq);
        return isTuple(seq) ? tuple(out) : out;
      }
    }
  }
  if (op === '%' && typeof a === 'string') return percentFormat(a, b);
  if (op === '-' && isPyTyped(a)) {
    const diff = a[PY_SUB]?.(b);
    if (diff !== undefined) return diff;
  }
  return unsupported(op, a, b);
}

/** Python's ==. */
export function pyEq(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined || b instanceof Undefined) {
    // StrictUndefined refuses comparisons.
    failUndefined((a instanceof Undefined ? a : b) as Undefined);
  }
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) === toNumber(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (isTuple(a) !== isTuple(b) || a.length !== b.length) return false;
    return a.every((x, i) => pyEq(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && pyEq(a[k], b[k]));
  }
  return false;
}

/** Python's ordering: -1, 0, 1, or TypeError between unorderable types. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  checkDefined(a);
  checkDefined(b);
  if (isNumeric(a) && isNumeric(b)) {
    const x = toNumber(a) as number;
    const y = toNumber(b) as number;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b) && isTuple(a) === isTuple(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEq(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
  }
  throw runtime(`'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

export function compareOp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEq(a, b);
    case '!=':
      return !pyEq(a, b);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
    case 'in':
      return pyContains(b, a);
    case 'notin':
      return !pyContains(b, a);
  }
  throw runtime(`unknown operator ${op}`);
}

/** `item in container`. */
export function pyContains(container: unknown, item: unknown): boolean {
  checkDefined(container);
  checkDefined(item);
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw runtime(`'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEq(x, item));
  if (isMapping(container)) return typeof item === 'string' || isNumber(item) ? dictKey(item) in container : false;
  throw runtime(`argument of type '${pyTypeName(container)}' is not iterable`);
}

/** A dict key as stored: strings as they are, other scalars by their str(). */
export function dictKey(k: unknown): string {
  return typeof k === 'string' ? k : pyStr(k);
}

/** Iterate as Python's iter(): a dict gives its keys, a string its characters. */
export function pyIter(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v instanceof PlainUndefined) return [];
  if (v instanceof Undefined) failUndefined(v);
  if (isMapping(v)) return Object.keys(v);
  if (v instanceof PyObject && Symbol.iterator in v) return [...(v as unknown as Iterable<unknown>)];
  throw runtime(`'${pyTypeName(v)}' object is not iterable`);
}

export function pyLen(v: unknown): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (isMapping(v)) return Object.keys(v).length;
  checkDefined(v);
  throw runtime(`object of type '${pyTypeName(v)}' has no len()`);
}

/** A Python index into a sequence (negative from the end); undefined when out of range. */
function normIndex(i: number, len: number): number | undefined {
  const j = i < 0 ? len + i : i;
  return j >= 0 && j < len ? j : undefined;
}

/** obj[key] as Jinja's getitem: the item, else the attribute of that name, else Undefined. */
export function getItem(obj: unknown, key: unknown, getAttr: (o: unknown, name: string) => unknown): unknown {
  if (obj instanceof Undefined) return obj;
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (isInt(key) || isBool(key)) {
      const seq = typeof obj === 'string' ? [...obj] : obj;
      const i = normIndex(toNumber(key) as number, seq.length);
      if (i !== undefined) return seq[i];
      return new Undefined(`${pyRepr(key)}`, `${pyTypeName(obj)} object has no element ${pyRepr(key)}`);
    }
  } else if (isMapping(obj)) {
    const k = dictKey(key);
    if (Object.hasOwn(obj, k) || k in obj) return (obj as Mapping)[k];
  }
  if (typeof key === 'string') return getAttr(obj, key);
  return new Undefined(pyRepr(key), `'${objectName(obj)}' has no attribute ${pyRepr(key)}`);
}

/** Jinja's name for an object in "has no attribute" messages. */
export function objectName(obj: unknown): string {
  if (obj === null) return 'None';
  if (isMapping(obj)) return 'dict object';
  if (isTuple(obj)) return 'tuple object';
  if (Array.isArray(obj)) return 'list object';
  if (typeof obj === 'string') return 'str object';
  if (isInt(obj)) return 'int object';
  if (isNumber(obj)) return 'float object';
  if (typeof obj === 'boolean') return 'bool object';
  return `${pyTypeName(obj)} object`;
}

export function sliceOf(v: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  checkDefined(v);
  const seq: unknown[] = typeof v === 'string' ? [...v] : Array.isArray(v) ? v : pyIter(v);
  const n = seq.length;
  const st = step === undefined || step === null ? 1 : (toNumber(step) as number);
  if (st === 0) throw runtime('slice step cannot be zero');
  const norm = (x: unknown, dflt: number, lo: number, hi: number) => {
    if (x === undefined || x === null) return dflt;
    let i = toNumber(x) as number;
    if (i < 0) i += n;
    return Math.min(Math.max(i, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) {
    const a = norm(start, 0, 0, n);
    const b = norm(stop, n, 0, n);
    for (let i = a; i < b; i += st) out.push(seq[i]);
  } else {
    const a = norm(start, n - 1, -1, n - 1);
    const b = norm(stop, -1, -1, n - 1);
    for (let i = a; i > b; i += st) out.push(seq[i]);
  }
  if (typeof v === 'string') return out.join('');
  return isTuple(v) ? tuple(out) : out;
}

// ---- string formatting ----

interface Spec {
  fill: string;
  align?: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision?: number;
  type: string;
}

function parseSpec(spec: string): Spec {
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m) throw runtime(`Invalid format specifier '${spec}'`);
  return {
    fill: m[1] ?? (m[5] && !m[2] ? '0' : ' '),
    align: m[2] ?? (m[5] ? '=' : undefined),
    sign: m[3] ?? '-',
    alt: Boolean(m[4]),
    zero: Boolean(m[5]),
    width: m[6] ? Number(m[6]) : 0,
    grouping: m[7] ?? '',
    precision: m[8] !== undefined ? Number(m[8]) : undefined,
    type: m[9] ?? '',
  };
}

function pad(body: string, prefix: string, s: Spec, defaultAlign: string): string {
  const len = [...prefix].length + [...body].length;
  if (len >= s.width) return prefix + body;
  const fill = s.fill.repeat(s.width - len);
  switch (s.align ?? defaultAlign) {
    case '<':
      return prefix + body + fill;
    case '^': {
      const half = Math.floor(fill.length / 2);
      return fill.slice(0, half) + prefix + body + fill.slice(half);
    }
    case '=':
      return prefix + fill + body;
    default:
      return fill + prefix + body;
  }
}

function group(digits: string, sep: string): string {
  if (!sep) return digits;
  const [int = '', frac] = digits.split('.');
  const g = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return frac === undefined ? g : `${g}.${frac}`;
}

function formatFloatFixed(x: number, type: string, precision: number | undefined): string {
  const p = precision ?? 6;
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : 'inf';
  switch (type) {
    case 'f':
    case 'F':
    case '%':
      return x.toFixed(p);
    case 'e':
    case 'E': {
      const [m = '', e = '0'] = x.toExponential(p).split('e');
      const n = Number(e);
      const s = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
      return type === 'E' ? s.toUpperCase() : s;
    }
    default: {
      // g: shortest of e/f at the given significant digits, trailing zeros dropped.
      const sig = p === 0 ? 1 : p;
      const exp = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(Number(x.toPrecision(sig)))));
      let s: string;
      if (exp < -4 || exp >= sig) {
        const [m = '', e = '0'] = x.toExponential(sig - 1).split('e');
        const n = Number(e);
        s = `${m.includes('.') ? m.replace(/\.?0+$/, '') : m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
      } else {
        s = x.toFixed(Math.max(0, sig - 1 - exp));
        if (s.includes('.')) s = s.replace(/\.?0+$/, '');
      }
      return type === 'G' ? s.toUpperCase() : s;
    }
  }
}

/** format(value, spec) for the types templates format. */
export function formatValue(v: unknown, specText: string, conversion?: string): string {
  let value = v;
  if (conversion === 'r') value = pyRepr(v);
  else if (conversion === 's') value = pyStr(v);
  if (!specText) return pyStr(value);
  const s = parseSpec(specText);
  if (typeof value === 'string' || value === null || Array.isArray(value) || isMapping(value)) {
    if (s.type && s.type !== 's') throw runtime(`Unknown format code '${s.type}' for object of type '${pyTypeName(value)}'`);
    let body = pyStr(value);
    if (s.precision !== undefined) body = [...body].slice(0, s.precision).join('');
    return pad(body, '', s, '<');
  }
  const x = toNumber(value);
  if (x === undefined) return pad(pyStr(value), '', s, '<');
  const type = s.type || (isInt(value) || isBool(value) ? 'd' : '');
  let body: string;
  const abs = Math.abs(x);
  if ('dnbox'.includes(type) && type !== '') {
    if (!isInt(x)) throw runtime(`Unknown format code '${type}' for object of type 'float'`);
    const radix = { d: 10, n: 10, b: 2, o: 8, x: 16 }[type as 'd'];
    body = group(abs.toString(radix), s.grouping);
    if (s.alt && type !== 'd' && type !== 'n') body = `0${type}${body}`;
  } else if (type === 'X') {
    body = abs.toString(16).toUpperCase();
    if (s.alt) body = `0X${body}`;
  } else if (type === 'c') {
    body = String.fromCodePoint(x);
  } else if (type === '') {
    body = s.precision === undefined ? pyRepr(pyFloat(abs)) : formatFloatFixed(abs, 'g', s.precision);
    if (s.precision !== undefined && !/[.e]/.test(body) && s.precision > 0) body = body.includes('inf') ? body : body;
    body = group(body, s.grouping);
  } else {
    body = group(formatFloatFixed(type === '%' ? abs * 100 : abs, type, s.precision), s.grouping);
    if (type === '%') body += '%';
  }
  const negative = x < 0 || Object.is(x, -0);
  const prefix = negative ? '-' : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
  return pad(body, prefix, s, '>');
}

/** `'%s-%d' % values`: printf-style formatting. */
export function percentFormat(fmt: string, values: unknown): string {
  const args = isTuple(values) ? values : [values];
  const mapping = isMapping(values) ? values : undefined;
  let i = 0;
  const out = fmt.replace(
    /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g,
    (_m, key, flags: string, w, p, conv: string) => {
      if (conv === '%') return '%';
      const next = () => {
        if (i >= args.length) throw runtime('not enough arguments for format string');
        return args[i++];
      };
      const width = w === '*' ? (toNumber(next()) as number) : w ? Number(w) : 0;
      const precision = p === '*' ? (toNumber(next()) as number) : p !== undefined ? Number(p) : undefined;
      const v = key !== undefined ? (mapping ?? {})[key] : next();
      if (key !== undefined && mapping && !(key in mapping)) throw runtime(`'${key}'`);
      let body: string;
      let num: number | undefined;
      switch (conv) {
        case 's':
        case 'a':
          body = pyStr(checkDefined(v));
          if (precision !== undefined) body = body.slice(0, precision);
          break;
        case 'r':
          body = pyRepr(v);
          if (precision !== undefined) body = body.slice(0, precision);
          break;
        case 'c':
          body = typeof v === 'string' ? v : String.fromCodePoint(toNumber(v) ?? 0);
          break;
        default: {
          num = typeof v === 'string' ? undefined : toNumber(v);
          if (num === undefined) throw runtime(`%${conv} format: a real number is required, not ${pyTypeName(v)}`);
          const abs = Math.abs(num);
          if ('diu'.includes(conv)) body = String(Math.trunc(abs));
          else if (conv === 'o') body = (flags.includes('#') ? '0o' : '') + Math.trunc(abs).toString(8);
          else if (conv === 'x') body = (flags.includes('#') ? '0x' : '') + Math.trunc(abs).toString(16);
          else if (conv === 'X') body = (flags.includes('#') ? '0X' : '') + Math.trunc(abs).toString(16).toUpperCase();
          else body = formatFloatFixed(abs, conv.toLowerCase() === 'g' ? conv : conv, precision);
          if (precision !== undefined && 'diu'.includes(conv)) body = body.padStart(precision, '0');
        }
      }
      let sign = '';
      if (num !== undefined) sign = num < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
      const len = sign.length + body.length;
      if (len >= width) return sign + body;
      if (flags.includes('-')) return sign + body + ' '.repeat(width - len);
      if (flags.includes('0') && num !== undefined) return sign + '0'.repeat(width - len) + body;
      return ' '.repeat(width - len) + sign + body;
    },
  );
  if (!mapping && i < args.length) throw runtime('not all arguments converted during string formatting');
  return out;
}

/** str.format(*args, **kwargs). */
export function strFormat(
  fmt: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
  getAttr: (o: unknown, n: string) => unknown,
): string {
  let auto = 0;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i] as string;
    if (c === '{' && fmt[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    if (c === '}' && fmt[i + 1] === '}') {
      out += '}';
      i += 2;
      continue;
    }
    if (c === '}') throw runtime("Single '}' encountered in format string");
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    // A field up to the matching '}' (a spec may hold a nested {field}).
    let depth = 1;
    let j = i + 1;
    while (j < fmt.length && depth > 0) {
      if (fmt[j] === '{') depth++;
      else if (fmt[j] === '}') depth--;
      if (depth > 0) j++;
    }
    if (depth > 0) throw runtime("expected '}' before end of string");
    const field = fmt.slice(i + 1, j);
    i = j + 1;
    const m = /^([^!:[.]*)((?:\.[^!:[.]+|\[[^\]]*\])*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
    if (!m) throw runtime(`bad format field '${field}'`);
    const [, head = '', path = '', conversion, rawSpec = ''] = m;
    let value: unknown;
    if (head === '') {
      if (auto >= args.length) throw runtime(`Replacement index ${auto} out of range for positional args tuple`);
      value = args[auto++];
    } else if (/^\d+$/.test(head)) {
      const n = Number(head);
      if (n >= args.length) throw runtime(`Replacement index ${n} out of range for positional args tuple`);
      value = args[n];
    } else {
      if (!(head in kwargs)) throw runtime(`'${head}'`);
      value = kwargs[head];
    }
    for (const part of path.match(/\.[^.[]+|\[[^\]]*\]/g) ?? []) {
      if (part.startsWith('.')) value = getAttr(value, part.slice(1));
      else {
        const k = part.slice(1, -1);
        value = getItem(value, /^\d+$/.test(k) ? Number(k) : k, getAttr);
      }
    }
    const spec = rawSpec.replace(/\{([^}]*)\}/g, (_x, name: string) =>
      pyStr(name === '' ? args[auto++] : /^\d+$/.test(name) ? args[Number(name)] : kwargs[name]),
    );
    out += formatValue(checkDefined(value), spec, conversion);
  }
  return out;
}

export { isUndefined };
