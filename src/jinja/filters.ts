/** Jinja2 3.1's built-in filters (jinja2/filters.py), on the value model of value.ts. */
import { bindArgs, type CallContext, defined, type Filter, JinjaError, type Test } from './extension.js';
import { getAttr, getItemOrAttr, STR_METHODS } from './methods.js';
import { checkDefined, formatValue, PyCallable, percentFormat, pyCompare, pyEq, pyIter, pyLen, runtime } from './python.js';
import {
  isInt,
  isMapping,
  isNumber,
  isTuple,
  isUndefined,
  type Mapping,
  pyFloat,
  pyRepr,
  pyStr,
  pyTruthy,
  toNumber,
  tuple,
  Undefined,
} from './value.js';

type Lookup<T> = (name: string) => T | undefined;

/** `attribute='a.b.0'`: Jinja's make_attrgetter (dotted path, integer parts index). */
export function attrGetter(attribute: unknown, dflt?: unknown): (item: unknown) => unknown {
  if (attribute === undefined || attribute === null) return (x) => x;
  const parts = typeof attribute === 'string' ? attribute.split('.') : [attribute];
  return (item) => {
    let v = item;
    for (const p of parts) {
      v = getItemOrAttr(v, typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : p);
      if (isUndefined(v) && dflt !== undefined) return dflt;
    }
    return v;
  };
}

function lowerIfStr(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function seq(v: unknown): unknown[] {
  return pyIter(defined(v));
}

function str(v: unknown): string {
  return pyStr(defined(v));
}

function num(v: unknown, what: string): number {
  const n = toNumber(defined(v));
  if (n === undefined) throw runtime(`${what}: '${pyStr(v)}' is not a number`);
  return n;
}

function sorted(items: unknown[], key: (x: unknown) => unknown, reverse: boolean): unknown[] {
  const out = [...items].sort((a, b) => pyCompare(key(a), key(b)));
  return reverse ? out.reverse() : out;
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

/** json.dumps as Jinja's tojson calls it (sort_keys, then <>&' escaped for HTML). */
export function jsonDumps(v: unknown, indent: number | undefined, sortKeys: boolean, depth = 0): string {
  const d = checkDefined(v);
  if (d === null) return 'null';
  if (d === true) return 'true';
  if (d === false) return 'false';
  if (isNumber(d))
    return isInt(d)
      ? String(d)
      : pyRepr(d)
          .replace(/^nan$/, 'NaN')
          .replace(/^inf$/, 'Infinity')
          .replace(/^-inf$/, '-Infinity');
  if (typeof d === 'string')
    return JSON.stringify(d).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const nl = indent === undefined ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
  const end = indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`;
  const sep = indent === undefined ? ', ' : ',';
  if (Array.isArray(d)) {
    if (!d.length) return '[]';
    return `[${nl}${d.map((x) => jsonDumps(x, indent, sortKeys, depth + 1)).join(sep + nl)}${end}]`;
  }
  if (isMapping(d)) {
    let keys = Object.keys(d);
    if (!keys.length) return '{}';
    if (sortKeys) keys = keys.sort();
    return `{${nl}${keys.map((k) => `${jsonDumps(k, indent, sortKeys)}: ${jsonDumps(d[k], indent, sortKeys, depth + 1)}`).join(sep + nl)}${end}}`;
  }
  throw runtime(`Object of type ${typeof d} is not JSON serializable`);
}

function titleFilter(s: string): string {
  return s
    .split(/([-\s({[<]+)/)
    .map((w) => (w ? (w[0] ?? '').toUpperCase() + w.slice(1).toLowerCase() : w))
    .join('');
}

function pyRound(x: number, precision: number, method: string): number {
  const f = 10 ** precision;
  if (method === 'ceil') return Math.ceil(x * f) / f;
  if (method === 'floor') return Math.floor(x * f) / f;
  const scaled = x * f;
  const r = Math.round(scaled);
  // Python rounds exact halves to even.
  if (Math.abs(scaled % 1) === 0.5 && r % 2 !== 0) return (r - 1) / f;
  return Number((Math.round(scaled) / f).toFixed(Math.max(0, precision)));
}

function truncate(s: string, length: number, killwords: boolean, end: string, leeway: number): string {
  if (s.length <= length + leeway) return s;
  if (killwords) return s.slice(0, length - end.length) + end;
  const cut = s.slice(0, length - end.length);
  const i = cut.lastIndexOf(' ');
  return (i >= 0 ? cut.slice(0, i) : cut) + end;
}

function indent(s: string, width: unknown, first: boolean, blank: boolean): string {
  const pad = typeof width === 'string' ? width : ' '.repeat(toNumber(width) ?? 4);
  const nl = '\n';
  let body = s;
  if (body.endsWith('\n')) body = body.slice(0, -1);
  const lines = body.split('\n');
  const [head = '', ...rest] = lines;
  let out = blank ? rest.map((l) => pad + l).join(nl) : rest.map((l) => (l.trim() ? pad + l : l)).join(nl);
  out = rest.length ? `${head}${nl}${out}` : head;
  if (s.endsWith('\n')) out += nl;
  if (first) out = pad + out;
  return out;
}

function wordwrap(s: string, width: number, breakLong: boolean, wrapstring: string, breakOnHyphens: boolean): string {
  return s
    .split(/\r\n|\r|\n/)
    .map((para) => {
      const words = para.split(/\s+/).filter(Boolean);
      const lines: string[] = [];
      let line = '';
      for (let w of words) {
        while (breakLong && w.length > width) {
          if (line) {
            lines.push(line);
            line = '';
          }
          lines.push(w.slice(0, width));
          w = w.slice(width);
        }
        if (!line) line = w;
        else if (line.length + 1 + w.length <= width) line += ` ${w}`;
        else {
          lines.push(line);
          line = w;
        }
      }
      if (line) lines.push(line);
      void breakOnHyphens;
      return lines.join(wrapstring);
    })
    .join(wrapstring);
}

function filesizeformat(value: unknown, binary: boolean): string {
  const bytes = Number(toNumber(value) ?? Number(value));
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let unit = base;
  let prefix = prefixes[0] as string;
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    prefix = prefixes[i] as string;
    if (bytes < unit) return `${((base * bytes) / unit).toFixed(1)} ${prefix}`;
  }
  return `${((base * bytes) / unit).toFixed(1)} ${prefix}`;
}

function urlQuote(s: string, safe: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9_.\-~]/.test(c) || safe.includes(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function toInt(v: unknown, dflt: unknown, base: number): unknown {
  if (typeof v === 'string') {
    const t = v.trim().replace(/_/g, '');
    if (base === 10 && /^[+-]?\d+$/.test(t)) return Number(t);
    if (base !== 10) {
      const m = /^([+-]?)(?:0[xob])?([0-9a-z]+)$/i.exec(t);
      const n = m ? Number.parseInt(m[2] as string, base) : Number.NaN;
      if (!Number.isNaN(n)) return m?.[1] === '-' ? -n : n;
      return dflt;
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Math.trunc(Number(t));
    return dflt;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = toNumber(v);
  return n === undefined || !Number.isFinite(n) ? dflt : Math.trunc(n);
}

function toFloat(v: unknown, dflt: unknown): unknown {
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return pyFloat(Number(t));
    if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(t)) return Number.NaN;
    return dflt;
  }
  const n = toNumber(v);
  return n === undefined ? dflt : pyFloat(n);
}

/** A grouper tuple that also answers `.grouper` and `.list`. */
function groupTuple(grouper: unknown, list: unknown[]): unknown[] {
  const t = tuple([grouper, list]);
  Object.defineProperty(t, 'grouper', { value: grouper, enumerable: false });
  Object.defineProperty(t, 'list', { value: list, enumerable: false });
  return t;
}

/** Jinja's select/reject: a test by name with its arguments, or truthiness. */
function selectOrReject(
  ctx: CallContext,
  value: unknown,
  args: unknown[],
  kwargs: Record<string, unknown>,
  tests: Lookup<Test>,
  keep: boolean,
  attr: boolean,
): unknown[] {
  const items = seq(value);
  let rest = args;
  let getter: (x: unknown) => unknown = (x) => x;
  if (attr) {
    if (!rest.length) throw runtime('Missing parameter for attribute name');
    getter = attrGetter(rest[0]);
    rest = rest.slice(1);
  }
  let check: (x: unknown) => boolean;
  if (rest.length) {
    const name = String(rest[0]);
    const test = tests(name);
    if (!test) throw new JinjaError('unknown-name', `no test named '${name}'`);
    const targs = rest.slice(1);
    check = (x) => test(ctx, x, targs, kwargs);
  } else check = (x) => pyTruthy(checkDefined(x));
  return items.filter((x) => check(getter(x)) === keep);
}

function minMax(value: unknown, args: unknown[], kwargs: Record<string, unknown>, sign: number, name: string): unknown {
  const [caseSensitive, attribute] = bindArgs(name, ['case_sensitive', 'attribute'], args, kwargs);
  const items = seq(value);
  if (!items.length) return new Undefined(name, `No aggregated item, sequence was empty.`);
  const get = attrGetter(attribute);
  const key = (x: unknown) => (caseSensitive ? get(x) : lowerIfStr(get(x)));
  let best = items[0];
  for (const x of items.slice(1)) if (pyCompare(key(x), key(best)) * sign > 0) best = x;
  return best;
}

function uniqueItems(items: unknown[], key: (x: unknown) => unknown): unknown[] {
  const out: unknown[] = [];
  const seen: unknown[] = [];
  for (const x of items) {
    const k = key(x);
    if (!seen.some((s) => pyEq(s, k))) {
      seen.push(k);
      out.push(x);
    }
  }
  return out;
}

/** The built-in filters; `filters` and `tests` look names up in the whole environment (map, select). */
export function builtinFilters(filters: Lookup<Filter>, tests: Lookup<Test>): Record<string, Filter> {
  const f: Record<string, Filter> = {
    abs: (_c, v) => {
      const n = num(v, 'abs');
      return isInt(v) ? Math.abs(n) : pyFloat(Math.abs(n));
    },
    attr: (_c, v, a) => getAttr(v, String(a[0]), false),
    batch: (_c, v, a, k) => {
      const [linecount, fill] = bindArgs('batch', ['linecount', 'fill_with'], a, k);
      const n = num(linecount, 'batch');
      const items = seq(v);
      const out: unknown[][] = [];
      for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
      const last = out[out.length - 1];
      if (fill !== undefined && fill !== null && last) while (last.length < n) last.push(fill);
      return out;
    },
    capitalize: (_c, v) => {
      const s = str(v);
      return s ? (s[0] ?? '').toUpperCase() + s.slice(1).toLowerCase() : s;
    },
    center: (_c, v, a, k) => {
      const [width] = bindArgs('center', ['width'], a, k);
      return (STR_METHODS.center as (s: string, a: unknown[], k: Record<string, unknown>) => unknown)(str(v), [width ?? 80], {});
    },
    default: (_c, v, a, k) => {
      const [dflt, boolean] = bindArgs('default', ['default_value', 'boolean'], a, k);
      if (isUndefined(v) || (pyTruthy(boolean) && !pyTruthy(v))) return dflt === undefined ? '' : dflt;
      return v;
    },
    dictsort: (_c, v, a, k) => {
      const [caseSensitive, by, reverse] = bindArgs('dictsort', ['case_sensitive', 'by', 'reverse'], a, k);
      const d = defined(v);
      if (!isMapping(d)) throw runtime('You can only sort by either "key" or "value"');
      const pos = by === 'value' ? 1 : 0;
      if (by !== undefined && by !== 'key' && by !== 'value') throw runtime('You can only sort by either "key" or "value"');
      const items = Object.entries(d).map(([key, val]) => tuple([key, val]));
      return sorted(items, (x) => (caseSensitive ? (x as unknown[])[pos] : lowerIfStr((x as unknown[])[pos])), pyTruthy(reverse));
    },
    escape: (_c, v) => htmlEscape(str(v)),
    filesizeformat: (_c, v, a, k) => {
      const [binary] = bindArgs('filesizeformat', ['binary'], a, k);
      return filesizeformat(defined(v), pyTruthy(binary));
    },
    first: (_c, v) => {
      const items = seq(v);
      return items.length ? items[0] : new Undefined('first', 'No first item, sequence was empty.');
    },
    float: (_c, v, a, k) => {
      const [dflt] = bindArgs('float', ['default'], a, k);
      return toFloat(defined(v), dflt === undefined ? pyFloat(0) : dflt);
    },
    forceescape: (_c, v) => htmlEscape(str(v)),
    format: (_c, v, a, k) => {
      if (a.length && Object.keys(k).length) throw runtime("can't handle positional and keyword arguments at the same time");
      return percentFormat(str(v), Object.keys(k).length ? k : tuple(a));
    },
    groupby: (_c, v, a, k) => {
      const [attribute, dflt, caseSensitive] = bindArgs('groupby', ['attribute', 'default', 'case_sensitive'], a, k);
      const get = attrGetter(attribute, dflt);
      const key = (x: unknown) => (caseSensitive ? get(x) : lowerIfStr(get(x)));
      const items = sorted(seq(v), key, false);
      const groups: unknown[][] = [];
      let current: unknown[] | undefined;
      let currentKey: unknown;
      for (const x of items) {
        const kx = key(x);
        if (!current || !pyEq(kx, currentKey)) {
          current = [];
          currentKey = kx;
          groups.push(current);
        }
        current.push(x);
      }
      return groups.map((g) => groupTuple(get(g[0]), g));
    },
    indent: (_c, v, a, k) => {
      const [width, first, blank] = bindArgs('indent', ['width', 'first', 'blank'], a, k);
      return indent(str(v), width ?? 4, pyTruthy(first ?? false), pyTruthy(blank ?? false));
    },
    int: (_c, v, a, k) => {
      const [dflt, base] = bindArgs('int', ['default', 'base'], a, k);
      return toInt(defined(v), dflt === undefined ? 0 : dflt, base === undefined ? 10 : (toNumber(base) as number));
    },
    items: (_c, v) => {
      if (isUndefined(v)) return [];
      if (!isMapping(v)) throw runtime(`Can only get item pairs from a mapping.`);
      return Object.entries(v).map(([key, val]) => tuple([key, val]));
    },
    join: (_c, v, a, k) => {
      const [d, attribute] = bindArgs('join', ['d', 'attribute'], a, k);
      const sep = d === undefined ? '' : str(d);
      const get = attrGetter(attribute);
      return seq(v)
        .map((x) => str(get(x)))
        .join(sep);
    },
    last: (_c, v) => {
      const items = seq(v);
      return items.length ? items[items.length - 1] : new Undefined('last', 'No last item, sequence was empty.');
    },
    length: (_c, v) => pyLen(defined(v)),
    list: (_c, v) => [...seq(v)],
    lower: (_c, v) => str(v).toLowerCase(),
    map: (c, v, a, k) => {
      const items = seq(v);
      if (!a.length && 'attribute' in k) {
        const get = attrGetter(k.attribute, k.default);
        return items.map(get);
      }
      if (!a.length) return items;
      const name = String(a[0]);
      const filter = filters(name);
      if (!filter) throw new JinjaError('unknown-name', `no filter named '${name}'`);
      const rest = a.slice(1);
      return items.map((x) => filter(c, x, rest, k));
    },
    max: (_c, v, a, k) => minMax(v, a, k, 1, 'max'),
    min: (_c, v, a, k) => minMax(v, a, k, -1, 'min'),
    pprint: (_c, v) => pyRepr(sortedDicts(defined(v))),
    random: (_c, v) => {
      const items = seq(v);
      return items[Math.floor(Math.random() * items.length)];
    },
    reject: (c, v, a, k) => selectOrReject(c, v, a, k, tests, false, false),
    rejectattr: (c, v, a, k) => selectOrReject(c, v, a, k, tests, false, true),
    replace: (_c, v, a, k) => {
      const [old, rep, count] = bindArgs('replace', ['old', 'new', 'count'], a, k);
      const m = STR_METHODS.replace as (s: string, a: unknown[], k: Record<string, unknown>) => unknown;
      return m(str(v), count === undefined || count === null ? [str(old), str(rep)] : [str(old), str(rep), count], {});
    },
    reverse: (_c, v) => {
      const d = defined(v);
      if (typeof d === 'string') return [...d].reverse().join('');
      return [...pyIter(d)].reverse();
    },
    round: (_c, v, a, k) => {
      const [precision, method] = bindArgs('round', ['precision', 'method'], a, k);
      const m = method === undefined ? 'common' : String(method);
      if (!['common', 'ceil', 'floor'].includes(m)) throw runtime('method must be common, ceil or floor');
      return pyFloat(pyRound(num(v, 'round'), precision === undefined ? 0 : (toNumber(precision) as number), m));
    },
    safe: (_c, v) => str(v),
    select: (c, v, a, k) => selectOrReject(c, v, a, k, tests, true, false),
    selectattr: (c, v, a, k) => selectOrReject(c, v, a, k, tests, true, true),
    slice: (_c, v, a, k) => {
      const [slices, fill] = bindArgs('slice', ['slices', 'fill_with'], a, k);
      const items = seq(v);
      const n = num(slices, 'slice');
      const per = Math.floor(items.length / n);
      const extra = items.length % n;
      const out: unknown[][] = [];
      let offset = 0;
      for (let i = 0; i < n; i++) {
        const start = offset + i * per;
        if (i < extra) offset++;
        const end = offset + (i + 1) * per;
        const part = items.slice(start, end);
        if (fill !== undefined && fill !== null && i >= extra && extra > 0) part.push(fill);
        out.push(part);
      }
      return out;
    },
    sort: (_c, v, a, k) => {
      const [reverse, caseSensitive, attribute] = bindArgs('sort', ['reverse', 'case_sensitive', 'attribute'], a, k);
      const get = attrGetter(attribute);
      return sorted(seq(v), (x) => (pyTruthy(caseSensitive) ? get(x) : lowerIfStr(get(x))), pyTruthy(reverse));
    },
    string: (_c, v) => str(v),
    striptags: (_c, v) =>
      str(v)
        .replace(/<!--.*?-->|<[^>]*>/gs, '')
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&#34;|&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&'),
    sum: (_c, v, a, k) => {
      const [attribute, start] = bindArgs('sum', ['attribute', 'start'], a, k);
      const get = attrGetter(attribute);
      let total: unknown = start === undefined ? 0 : start;
      for (const x of seq(v)) total = addValues(total, get(x));
      return total;
    },
    title: (_c, v) => titleFilter(str(v)),
    tojson: (_c, v, a, k) => {
      const [ind] = bindArgs('tojson', ['indent'], a, k);
      return jsonDumps(v, ind === undefined || ind === null ? undefined : (toNumber(ind) as number), true)
        .replace(/</g, '\\u003c')
        .replace(/>/g, '\\u003e')
        .replace(/&/g, '\\u0026')
        .replace(/'/g, '\\u0027');
    },
    trim: (_c, v, a, k) => {
      const [chars] = bindArgs('trim', ['chars'], a, k);
      const m = STR_METHODS.strip as (s: string, a: unknown[], k: Record<string, unknown>) => unknown;
      return m(str(v), chars === undefined ? [] : [chars], {});
    },
    truncate: (_c, v, a, k) => {
      const [length, killwords, end, leeway] = bindArgs('truncate', ['length', 'killwords', 'end', 'leeway'], a, k);
      return truncate(
        str(v),
        length === undefined ? 255 : (toNumber(length) as number),
        pyTruthy(killwords ?? false),
        end === undefined ? '...' : str(end),
        leeway === undefined || leeway === null ? 5 : (toNumber(leeway) as number),
      );
    },
    unique: (_c, v, a, k) => {
      const [caseSensitive, attribute] = bindArgs('unique', ['case_sensitive', 'attribute'], a, k);
      const get = attrGetter(attribute);
      return uniqueItems(seq(v), (x) => (pyTruthy(caseSensitive) ? get(x) : lowerIfStr(get(x))));
    },
    upper: (_c, v) => str(v).toUpperCase(),
    urlencode: (_c, v) => {
      const d = defined(v);
      if (typeof d === 'string') return urlQuote(d, '/');
      const pairs = isMapping(d) ? Object.entries(d) : pyIter(d).map((p) => p as unknown[] as [unknown, unknown]);
      return pairs.map(([key, val]) => `${urlQuote(pyStr(key), '')}=${urlQuote(pyStr(val), '')}`).join('&');
    },
    wordcount: (_c, v) => (str(v).match(/\w+/gu) ?? []).length,
    wordwrap: (_c, v, a, k) => {
      const [width, breakLong, wrapstring, breakOnHyphens] = bindArgs(
        'wordwrap',
        ['width', 'break_long_words', 'wrapstring', 'break_on_hyphens'],
        a,
        k,
      );
      return wordwrap(
        str(v),
        width === undefined ? 79 : (toNumber(width) as number),
        pyTruthy(breakLong ?? true),
        wrapstring === undefined || wrapstring === null ? '\n' : str(wrapstring),
        pyTruthy(breakOnHyphens ?? true),
      );
    },
    xmlattr: (_c, v, a, k) => {
      const [autospace] = bindArgs('xmlattr', ['autospace'], a, k);
      const d = defined(v) as Mapping;
      const parts = Object.entries(d)
        .filter(([, x]) => x !== null && !isUndefined(x))
        .map(([key, x]) => `${htmlEscape(key)}="${htmlEscape(pyStr(x))}"`);
      const out = parts.join(' ');
      return out && pyTruthy(autospace ?? true) ? ` ${out}` : out;
    },
  };
  f.d = f.default as Filter;
  f.e = f.escape as Filter;
  f.count = f.length as Filter;
  return f;
}

/** pprint sorts dict keys. */
function sortedDicts(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map(sortedDicts);
    return isTuple(v) ? tuple(out) : out;
  }
  if (isMapping(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortedDicts(v[k])]),
    );
  return v;
}

function addValues(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (isNumber(a) || typeof a === 'boolean') {
    const x = toNumber(a) as number;
    const y = toNumber(checkDefined(b));
    if (y === undefined) throw runtime(`unsupported operand type(s) for +: 'int' and '${typeof b}'`);
    const isFloat = !isInt(a) && typeof a !== 'boolean';
    return isFloat || (!isInt(b) && typeof b !== 'boolean') ? pyFloat(x + y) : x + y;
  }
  throw runtime('unsupported operand type(s) for +');
}

export { formatValue, isTuple, PyCallable };
