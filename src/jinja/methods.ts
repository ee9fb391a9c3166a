/**
 * The Python methods templates call on str, list, dict, int and float values (`.split()`,
 * `.items()`, `.get()`, `.append()`...), and attribute lookup as Jinja does it: a method of the
 * value's type first, then the item of that name.
 */
import { bindArgs } from './extension.js';
import {
  checkDefined,
  dictKey,
  getItem,
  objectName,
  PyCallable,
  PyObject,
  pyCompare,
  pyContains,
  pyEq,
  pyIter,
  pyLen,
  runtime,
  strFormat,
} from './python.js';
import { isInt, isMapping, isNumber, isTuple, type Mapping, pyStr, pyTypeName, toNumber, tuple, Undefined } from './value.js';

type Method<T> = (self: T, args: unknown[], kwargs: Record<string, unknown>) => unknown;

const WS = /\s/;

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw runtime(`${what} arg must be None or str`);
  return v;
}

function optStr(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : str(v, 'strip');
}

function stripChars(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  const isStrip = (c: string) => (chars === undefined ? WS.test(c) : chars.includes(c));
  const cs = [...s];
  let a = 0;
  let b = cs.length;
  if (left) while (a < b && isStrip(cs[a] as string)) a++;
  if (right) while (b > a && isStrip(cs[b - 1] as string)) b--;
  return cs.slice(a, b).join('');
}

/** Python's str.split (also Ansible's split filter, which calls it). */
export function split(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : (toNumber(maxsplit) as number);
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest) {
      if (max >= 0 && out.length >= max) {
        out.push(rest);
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  const d = str(sep, 'split');
  if (d === '') throw runtime('empty separator');
  const parts = s.split(d);
  if (max < 0 || parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(d)];
}

function rsplit(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : (toNumber(maxsplit) as number);
  if (max < 0) return split(s, sep, -1);
  if (sep === undefined || sep === null) {
    const words = split(s, null, -1);
    if (words.length <= max + 1) return words;
    // Keep the original spacing of the unsplit head.
    let head = s.replace(/\s+$/, '');
    const tail: string[] = [];
    for (let i = 0; i < max; i++) {
      const m = /\s+(\S+)$/.exec(head);
      if (!m) break;
      tail.unshift(m[1] as string);
      head = head.slice(0, m.index);
    }
    return [head.replace(/^\s+/, ''), ...tail];
  }
  const d = str(sep, 'rsplit');
  const parts = s.split(d);
  if (parts.length <= max + 1) return parts;
  return [parts.slice(0, parts.length - max).join(d), ...parts.slice(parts.length - max)];
}

function prefixes(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => str(x, 'startswith'));
  return [str(v, 'startswith')];
}

function title(s: string): string {
  return s.replace(/[A-Za-z\u00C0-\uFFFF]+/g, (w) => (w[0] ?? '').toUpperCase() + w.slice(1).toLowerCase());
}

function capitalize(s: string): string {
  return s ? (s[0] ?? '').toUpperCase() + s.slice(1).toLowerCase() : s;
}

function center(s: string, width: number, fill: string): string {
  const len = [...s].length;
  if (width <= len) return s;
  const total = width - len;
  // CPython: left = total // 2 + (total & width & 1)
  const left = Math.floor(total / 2) + (total & width & 1);
  return fill.repeat(left) + s + fill.repeat(total - left);
}

export const STR_METHODS: Record<string, Method<string>> = {
  split: (s, a, k) => {
    const [sep, max] = bindArgs('split', ['sep', 'maxsplit'], a, k);
    return split(s, sep, max);
  },
  rsplit: (s, a, k) => {
    const [sep, max] = bindArgs('rsplit', ['sep', 'maxsplit'], a, k);
    return rsplit(s, sep, max);
  },
  splitlines: (s, a) => {
    const keep = Boolean(a[0]);
    const out: string[] = [];
    // biome-ignore lint/suspicious/noControlCharactersInRegex: Python's line boundaries include the separators 0x1c-0x1e
    const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
    let last = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      out.push(s.slice(last, keep ? m.index + m[0].length : m.index));
      last = m.index + m[0].length;
    }
    if (last < s.length) out.push(s.slice(last));
    return out;
  },
  join: (s, a) =>
    pyIter(checkDefined(a[0]))
      .map((x) => {
        if (typeof x !== 'string') throw runtime(`sequence item 0: expected str instance, ${pyTypeName(x)} found`);
        return x;
      })
      .join(s),
  strip: (s, a) => stripChars(s, optStr(a[0]), true, true),
  lstrip: (s, a) => stripChars(s, optStr(a[0]), true, false),
  rstrip: (s, a) => stripChars(s, optStr(a[0]), false, true),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  title: (s) => title(s),
  capitalize: (s) => capitalize(s),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  startswith: (s, a) => prefixes(a[0]).some((p) => s.startsWith(p)),
  endswith: (s, a) => prefixes(a[0]).some((p) => s.endsWith(p)),
  replace: (s, a) => {
    const old = str(a[0], 'replace');
    const rep = str(a[1], 'replace');
    const count = a[2] === undefined ? -1 : (toNumber(a[2]) as number);
    if (count < 0) return s.split(old).join(rep);
    const parts = s.split(old);
    if (parts.length <= count + 1) return parts.join(rep);
    return parts.slice(0, count + 1).join(rep) + old + parts.slice(count + 1).join(old);
  },
  find: (s, a) => s.indexOf(str(a[0], 'find'), a[1] === undefined ? 0 : (toNumber(a[1]) as number)),
  rfind: (s, a) => s.lastIndexOf(str(a[0], 'rfind')),
  index: (s, a) => {
    const i = s.indexOf(str(a[0], 'index'));
    if (i < 0) throw runtime('substring not found');
    return i;
  },
  rindex: (s, a) => {
    const i = s.lastIndexOf(str(a[0], 'rindex'));
    if (i < 0) throw runtime('substring not found');
    return i;
  },
  count: (s, a) => {
    const sub = str(a[0], 'count');
    if (sub === '') return [...s].length + 1;
    return s.split(sub).length - 1;
  },
  format: (s, a, k) => strFormat(s, a, k, getAttr),
  format_map: (s, a) => strFormat(s, [], (a[0] ?? {}) as Record<string, unknown>, getAttr),
  isdigit: (s) => /^\d+$/.test(s),
  isdecimal: (s) => /^\d+$/.test(s),
  isnumeric: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^\p{L}+$/u.test(s),
  isalnum: (s) => /^[\p{L}\p{N}]+$/u.test(s),
  isspace: (s) => /^\s+$/.test(s),
  islower: (s) => /\p{Ll}/u.test(s) && s === s.toLowerCase(),
  isupper: (s) => /\p{Lu}/u.test(s) && s === s.toUpperCase(),
  istitle: (s) => s.length > 0 && title(s) === s,
  isidentifier: (s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s),
  zfill: (s, a) => {
    const w = toNumber(a[0]) as number;
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    const body = sign ? s.slice(1) : s;
    return sign + body.padStart(w - sign.length, '0');
  },
  ljust: (s, a) => s.padEnd(toNumber(a[0]) as number, a[1] === undefined ? ' ' : str(a[1], 'ljust')),
  rjust: (s, a) => s.padStart(toNumber(a[0]) as number, a[1] === undefined ? ' ' : str(a[1], 'rjust')),
  center: (s, a) => center(s, toNumber(a[0]) as number, a[1] === undefined ? ' ' : str(a[1], 'center')),
  partition: (s, a) => {
    const sep = str(a[0], 'partition');
    const i = s.indexOf(sep);
    return i < 0 ? tuple([s, '', '']) : tuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  rpartition: (s, a) => {
    const sep = str(a[0], 'rpartition');
    const i = s.lastIndexOf(sep);
    return i < 0 ? tuple(['', '', s]) : tuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
  },
  expandtabs: (s, a) => {
    const size = a[0] === undefined ? 8 : (toNumber(a[0]) as number);
    let col = 0;
    let out = '';
    for (const c of s) {
      if (c === '\t') {
        const n = size > 0 ? size - (col % size) : 0;
        out += ' '.repeat(n);
        col += n;
      } else {
        out += c;
        col = c === '\n' || c === '\r' ? 0 : col + 1;
      }
    }
    return out;
  },
  removeprefix: (s, a) => {
    const p = str(a[0], 'removeprefix');
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, a) => {
    const p = str(a[0], 'removesuffix');
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  encode: (s) => s,
  decode: (s) => s,
};

function listIndex(l: unknown[], x: unknown): number {
  const i = l.findIndex((y) => pyEq(y, x));
  if (i < 0) throw runtime(`${pyStr(x)} is not in list`);
  return i;
}

export const LIST_METHODS: Record<string, Method<unknown[]>> = {
  index: (l, a) => listIndex(l, a[0]),
  count: (l, a) => l.filter((y) => pyEq(y, a[0])).length,
  append: (l, a) => {
    mutable(l).push(a[0]);
    return null;
  },
  extend: (l, a) => {
    mutable(l).push(...pyIter(a[0]));
    return null;
  },
  insert: (l, a) => {
    mutable(l).splice(toNumber(a[0]) as number, 0, a[1]);
    return null;
  },
  remove: (l, a) => {
    mutable(l).splice(listIndex(l, a[0]), 1);
    return null;
  },
  pop: (l, a) => {
    if (l.length === 0) throw runtime('pop from empty list');
    const i = a[0] === undefined ? l.length - 1 : (toNumber(a[0]) as number);
    const j = i < 0 ? l.length + i : i;
    if (j < 0 || j >= l.length) throw runtime('pop index out of range');
    return mutable(l).splice(j, 1)[0];
  },
  clear: (l) => {
    mutable(l).length = 0;
    return null;
  },
  reverse: (l) => {
    mutable(l).reverse();
    return null;
  },
  sort: (l, _a, k) => {
    const keyFn = k.key instanceof PyCallable ? k.key : undefined;
    const keyOf = (x: unknown) => (keyFn ? keyFn.fn([x], {}) : x);
    mutable(l).sort((x, y) => pyCompare(keyOf(x), keyOf(y)));
    if (k.reverse) l.reverse();
    return null;
  },
  copy: (l) => [...l],
};

function mutable(l: unknown[]): unknown[] {
  if (isTuple(l)) throw runtime("'tuple' object has no attribute 'append'");
  return l;
}

export const DICT_METHODS: Record<string, Method<Mapping>> = {
  items: (d) => Object.entries(d).map(([k, v]) => tuple([k, v])),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  get: (d, a) => {
    const k = dictKey(a[0]);
    return k in d ? d[k] : a[1] === undefined ? null : a[1];
  },
  update: (d, a, k) => {
    if (a[0] !== undefined) {
      const src = a[0];
      if (isMapping(src)) Object.assign(d, src);
      else for (const pair of pyIter(src)) d[dictKey((pair as unknown[])[0])] = (pair as unknown[])[1];
    }
    Object.assign(d, k);
    return null;
  },
  pop: (d, a) => {
    const k = dictKey(a[0]);
    if (k in d) {
      const v = d[k];
      delete d[k];
      return v;
    }
    if (a.length > 1) return a[1];
    throw runtime(`'${k}'`);
  },
  setdefault: (d, a) => {
    const k = dictKey(a[0]);
    if (!(k in d)) d[k] = a[1] === undefined ? null : a[1];
    return d[k];
  },
  copy: (d) => ({ ...d }),
  clear: (d) => {
    for (const k of Object.keys(d)) delete d[k];
    return null;
  },
};

const INT_METHODS: Record<string, Method<number>> = {
  bit_length: (n) => (n === 0 ? 0 : Math.floor(Math.log2(Math.abs(n))) + 1),
  is_integer: () => true,
};

const FLOAT_METHODS: Record<string, Method<number>> = {
  is_integer: (n) => Number.isInteger(n),
};

function bound<T>(obj: T, name: string, m: Method<T>): PyCallable {
  return new PyCallable(name, (args, kwargs) => m(obj, args, kwargs));
}

/** `obj.name` as Jinja does it: an attribute (a method of the type) first, then the item. */
export function getAttr(obj: unknown, name: string, itemFallback = true): unknown {
  if (obj instanceof Undefined) return obj; // Ansible's undefined chains attribute reads.
  if (typeof obj === 'string') {
    const m = STR_METHODS[name];
    if (m && Object.hasOwn(STR_METHODS, name)) return bound(obj, name, m);
  } else if (Array.isArray(obj)) {
    const m = LIST_METHODS[name];
    if (m && Object.hasOwn(LIST_METHODS, name)) return bound(obj, name, m);
  } else if (isMapping(obj)) {
    const m = DICT_METHODS[name];
    if (m && Object.hasOwn(DICT_METHODS, name)) return bound(obj, name, m);
    if (itemFallback && name in obj) return obj[name];
  } else if (isInt(obj)) {
    const m = INT_METHODS[name];
    if (m && Object.hasOwn(INT_METHODS, name)) return bound(obj, name, m);
    if (name === 'real') return obj;
  } else if (isNumber(obj)) {
    const m = FLOAT_METHODS[name];
    if (m && Object.hasOwn(FLOAT_METHODS, name)) return bound(toNumber(obj) as number, name, m);
  } else if (obj instanceof PyObject) {
    if (name in obj) return (obj as unknown as Record<string, unknown>)[name];
  }
  if (Array.isArray(obj) && Object.hasOwn(obj, name) && !/^\d+$/.test(name)) {
    // groupby's tuples answer .grouper and .list
    return (obj as unknown as Record<string, unknown>)[name];
  }
  return new Undefined(name, `'${objectName(obj)}' has no attribute '${name}'`);
}

/** obj[key] with Jinja's fallback to the attribute. */
export function getItemOrAttr(obj: unknown, key: unknown): unknown {
  return getItem(obj, key, getAttr);
}

export { pyContains, pyLen };
