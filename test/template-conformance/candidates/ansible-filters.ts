// Ansible's filters and tests written once in plain JavaScript, for the candidate engines that do
// not have them, so that engines are compared on the language and not on a missing filter.
// Each takes the piped value, the positional arguments and the keyword arguments.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import { pyJsonDumps, pyRepr, pyStr } from './python-values.js';

export type Kwargs = Record<string, unknown>;
export type Filter = (value: unknown, args: unknown[], kw: Kwargs) => unknown;
export type Test = (value: unknown, args: unknown[], kw: Kwargs) => boolean;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ansible's `bool` filter: strings and numbers that mean yes. */
export function ansibleBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  return ['yes', 'on', '1', 'true', 'y', 't'].includes(String(v).toLowerCase()) || v === 1;
}

function combineTwo(a: Obj, b: Obj, recursive: boolean, listMerge: string): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const old = out[k];
    if (recursive && isObj(old) && isObj(v)) out[k] = combineTwo(old, v, recursive, listMerge);
    else if (Array.isArray(old) && Array.isArray(v) && listMerge !== 'replace') {
      if (listMerge === 'append') out[k] = [...old, ...v];
      else if (listMerge === 'prepend') out[k] = [...v, ...old];
      else if (listMerge === 'append_rp') out[k] = [...old.filter((x) => !v.includes(x)), ...v];
      else if (listMerge === 'prepend_rp') out[k] = [...v, ...old.filter((x) => !v.includes(x))];
      else if (listMerge === 'keep') out[k] = old;
      else out[k] = v;
    } else out[k] = v;
  }
  return out;
}

function flatten(v: unknown[], levels: number | undefined): unknown[] {
  const out: unknown[] = [];
  for (const x of v) {
    if (Array.isArray(x) && (levels === undefined || levels > 0)) out.push(...flatten(x, levels === undefined ? undefined : levels - 1));
    else if (x !== null && x !== undefined && x !== 'None') out.push(x);
  }
  return out;
}

const uniq = (v: unknown[]) => v.filter((x, i) => v.findIndex((y) => pyRepr(y) === pyRepr(x)) === i);
const has = (v: unknown[], x: unknown) => v.some((y) => pyRepr(y) === pyRepr(x));

/** Python re syntax that JavaScript spells differently. */
export function pyRegex(pattern: string, flags = ''): RegExp {
  const src = pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  return new RegExp(src, flags);
}

function pyReplacement(repl: string): string {
  return repl
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\d+)>/g, '$$$1')
    .replace(/\\g<(\w+)>/g, '$$<$1>')
    .replace(/\\(\d)/g, '$$$1');
}

function reFlags(kw: Kwargs, base = ''): string {
  return base + (kw.ignorecase ? 'i' : '') + (kw.multiline ? 'm' : '');
}

/** PyYAML's safe_dump shapes, approximately: block style, sorted keys, sequences not indented. */
function toYaml(v: unknown, indent: number, flow: boolean): string {
  return yamlStringify(v, {
    indent,
    indentSeq: false,
    sortMapEntries: true,
    lineWidth: 0,
    singleQuote: true,
    collectionStyle: flow ? 'flow' : 'block',
  });
}

function humanReadable(size: number, isbits: boolean, unit: string | undefined): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  const suffix = isbits ? 'b' : 'B';
  let i = unit ? units.indexOf(unit.charAt(0).toUpperCase()) : 0;
  if (!unit) while (i < units.length - 1 && size >= 1024 ** (i + 1)) i++;
  const n = size / 1024 ** i;
  return `${n.toFixed(2)} ${units[i]}${i === 0 ? (isbits ? 'bits' : 'Bytes') : suffix}`;
}

function humanToBytes(s: string): number {
  const m = /^\s*([0-9.]+)\s*([KMGTPEZY]?)(i?)([bB]?)/i.exec(s);
  if (!m) throw new Error(`human_to_bytes() can't interpret ${s}`);
  const exp = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'].indexOf((m[2] ?? '').toUpperCase());
  return Math.round(Number(m[1]) * 1024 ** exp);
}

function uuid5(name: string): string {
  const ns = Buffer.from('361e6d51faec444a9079341386da8e2e', 'hex'); // Ansible's namespace
  const h = createHash('sha1').update(ns).update(name).digest();
  h.writeUInt8((h.readUInt8(6) & 0x0f) | 0x50, 6);
  h.writeUInt8((h.readUInt8(8) & 0x3f) | 0x80, 8);
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Python's printf-style `%` formatting, the common conversions. */
export function pyPercentFormat(fmt: string, args: unknown[]): string {
  let n = 0;
  return fmt.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifrx%])/g, (_m, flags: string, width: string, prec: string, conv: string) => {
    if (conv === '%') return '%';
    const a = args[n++];
    let s: string;
    if (conv === 's') s = pyStr(a);
    else if (conv === 'r') s = pyRepr(a);
    else if (conv === 'd' || conv === 'i') s = String(Math.trunc(Number(a)));
    else if (conv === 'x') s = Math.trunc(Number(a)).toString(16);
    else s = Number(a).toFixed(prec === undefined ? 6 : Number(prec));
    if (prec !== undefined && conv === 's') s = s.slice(0, Number(prec));
    const w = width ? Number(width) : 0;
    if (s.length < w) {
      if (flags.includes('-')) s = s.padEnd(w);
      else if (flags.includes('0') && conv !== 's')
        s = (s.startsWith('-') ? '-' : '') + s.replace('-', '').padStart(w - (s.startsWith('-') ? 1 : 0), '0');
      else s = s.padStart(w);
    }
    return s;
  });
}

export const ansibleFilters: Record<string, Filter> = {
  combine: (v, args, kw) => {
    const dicts = (Array.isArray(v) ? v : [v]).concat(args.flatMap((a) => (Array.isArray(a) ? a : [a]))) as Obj[];
    return dicts.reduce((acc, d) => combineTwo(acc, d, Boolean(kw.recursive), String(kw.list_merge ?? 'replace')), {});
  },
  dict2items: (v, _a, kw) =>
    Object.entries(v as Obj).map(([k, x]) => ({ [String(kw.key_name ?? 'key')]: k, [String(kw.value_name ?? 'value')]: x })),
  items2dict: (v, _a, kw) =>
    Object.fromEntries((v as Obj[]).map((e) => [String(e[String(kw.key_name ?? 'key')]), e[String(kw.value_name ?? 'value')]])),
  to_json: (v) => pyJsonDumps(v),
  to_nice_json: (v, _a, kw) => pyJsonDumps(v, { indent: Number(kw.indent ?? 4), sortKeys: true }),
  to_yaml: (v) => toYaml(v, 2, true),
  to_nice_yaml: (v, _a, kw) => toYaml(v, Number(kw.indent ?? 4), false),
  from_json: (v) => JSON.parse(String(v)),
  from_yaml: (v) => yamlParse(String(v), { version: '1.1' }),
  regex_replace: (v, [pattern, repl = ''], kw) => pyStr(v).replace(pyRegex(String(pattern), reFlags(kw, 'g')), pyReplacement(String(repl))),
  regex_search: (v, [pattern, ...groups], kw) => {
    const m = pyRegex(String(pattern), reFlags(kw)).exec(pyStr(v));
    if (!m) return null;
    if (groups.length === 0) return m[0];
    return groups.map((g) => {
      const s = String(g);
      const named = /^\\g<(\w+)>$/.exec(s)?.[1];
      if (named !== undefined) return m.groups?.[named];
      return m[Number(s.replace('\\', ''))];
    });
  },
  regex_findall: (v, [pattern], kw) =>
    [...pyStr(v).matchAll(pyRegex(String(pattern), reFlags(kw, 'g')))].map((m) => (m.length > 2 ? m.slice(1) : (m[1] ?? m[0]))),
  regex_escape: (v) => String(v).replace(/[^A-Za-z0-9_]/g, '\\$&'),
  basename: (v) => posix.basename(String(v)),
  dirname: (v) => posix.dirname(String(v)),
  splitext: (v) => {
    const s = String(v);
    const ext = posix.extname(s);
    return [s.slice(0, s.length - ext.length), ext];
  },
  realpath: (v) => posix.resolve(String(v)),
  relpath: (v, [start]) => posix.relative(String(start), String(v)),
  path_join: (v) => posix.join(...(v as string[])),
  win_basename: (v) => String(v).split(/[\\/]/).pop(),
  ternary: (v, [a, b, c]) => (v === null && c !== undefined ? c : v ? a : b),
  bool: (v) => ansibleBool(v),
  b64encode: (v) => Buffer.from(String(v)).toString('base64'),
  b64decode: (v) => Buffer.from(String(v), 'base64').toString('utf8'),
  hash: (v, [algo = 'sha1']) => createHash(String(algo)).update(String(v)).digest('hex'),
  checksum: (v) => createHash('sha1').update(String(v)).digest('hex'),
  flatten: (v, _a, kw) => flatten(v as unknown[], kw.levels === undefined ? undefined : Number(kw.levels)),
  difference: (v, [b]) => uniq((v as unknown[]).filter((x) => !has(b as unknown[], x))),
  union: (v, [b]) => uniq([...(v as unknown[]), ...(b as unknown[])]),
  intersect: (v, [b]) => uniq((v as unknown[]).filter((x) => has(b as unknown[], x))),
  symmetric_difference: (v, [b]) => {
    const a = v as unknown[];
    const bb = b as unknown[];
    return uniq([...a.filter((x) => !has(bb, x)), ...bb.filter((x) => !has(a, x))]);
  },
  zip: (v, args) => {
    const lists = [v, ...args] as unknown[][];
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
  },
  zip_longest: (v, args, kw) => {
    const lists = [v, ...args] as unknown[][];
    const n = Math.max(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : (kw.fillvalue ?? null))));
  },
  product: (v, args) =>
    (args as unknown[][]).reduce<unknown[][]>(
      (acc, l) => acc.flatMap((p) => l.map((x) => [...p, x])),
      (v as unknown[]).map((x) => [x]),
    ),
  subelements: (v, [key]) => (v as Obj[]).flatMap((e) => ((e[String(key)] as unknown[]) ?? []).map((s) => [e, s])),
  comment: (v, [style = 'plain']) => {
    const lines = String(v).split('\n');
    if (style === 'c') return `//\n${lines.map((l) => `// ${l}`).join('\n')}\n//`;
    return `#\n${lines.map((l) => `# ${l}`).join('\n')}\n#`;
  },
  quote: (v) => {
    const s = pyStr(v);
    return s === '' ? "''" : /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`;
  },
  type_debug: (v) => (v === null || v === undefined ? 'NoneType' : typeof v === 'string' ? 'str' : pyTypeNameOf(v)),
  human_readable: (v, _a, kw) => humanReadable(Number(v), Boolean(kw.isbits), kw.unit === undefined ? undefined : String(kw.unit)),
  human_to_bytes: (v) => humanToBytes(String(v)),
  urlsplit: (v, [part]) => {
    const u = new URL(String(v));
    const all: Obj = {
      fragment: u.hash.replace(/^#/, ''),
      hostname: u.hostname,
      netloc: u.host && (u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@${u.host}` : u.host),
      password: u.password || null,
      path: u.pathname,
      port: u.port ? Number(u.port) : null,
      query: u.search.replace(/^\?/, ''),
      scheme: u.protocol.replace(/:$/, ''),
      username: u.username || null,
    };
    return part === undefined ? all : all[String(part)];
  },
  extract: (v, [container, morekeys]) => {
    let out = (container as Obj)[String(v)];
    for (const k of morekeys === undefined ? [] : Array.isArray(morekeys) ? morekeys : [morekeys]) out = (out as Obj)[String(k)];
    return out;
  },
  mandatory: (v, [msg]) => {
    if (v === undefined) throw new Error(msg === undefined ? 'Mandatory variable not defined.' : String(msg));
    return v;
  },
  split: (v, [sep]) => (sep === undefined ? String(v).trim().split(/\s+/) : String(v).split(String(sep))),
  to_uuid: (v) => uuid5(String(v)),
  format: (v, args) => pyPercentFormat(String(v), args),
  wordcount: (v) => String(v).split(/\s+/).filter(Boolean).length,
  filesizeformat: (v, [binary]) => {
    const n = Number(v);
    const base = binary ? 1024 : 1000;
    const units = binary ? ['KiB', 'MiB', 'GiB', 'TiB'] : ['kB', 'MB', 'GB', 'TB'];
    if (n === 1) return '1 Byte';
    if (n < base) return `${n} Bytes`;
    let i = 0;
    while (i < units.length - 1 && n >= base ** (i + 2)) i++;
    return `${(n / base ** (i + 1)).toFixed(1)} ${units[i]}`;
  },
  striptags: (v) =>
    String(v)
      .replace(/<[^>]*>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
};

function pyTypeNameOf(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** LooseVersion-style comparison, which `version` uses by default. */
function compareVersions(a: string, b: string): number {
  const parts = (s: string) => s.split(/(\d+|[a-z]+|\.)/i).filter((p) => p && p !== '.');
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const na = /^\d+$/.test(x);
    const nb = /^\d+$/.test(y);
    if (na && nb && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (!(na && nb) && x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const VERSION_OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
};

const versionTest: Test = (v, [ref, op = 'eq']) => {
  const check = VERSION_OPS[String(op)];
  if (!check) throw new Error(`Invalid operator type (${String(op)})`);
  return check(compareVersions(pyStr(v), pyStr(ref)));
};

const resultOf = (v: unknown): Obj => {
  if (!isObj(v)) throw new Error('The test only works on task results');
  return v;
};

export const ansibleTests: Record<string, Test> = {
  version: versionTest,
  version_compare: versionTest,
  match: (v, [p], kw) => pyRegex(`^(?:${String(p)})`, reFlags(kw)).test(String(v)),
  search: (v, [p], kw) => pyRegex(String(p), reFlags(kw)).test(String(v)),
  regex: (v, [p], kw) => pyRegex(kw.match_type === 'match' ? `^(?:${String(p)})` : String(p), reFlags(kw)).test(String(v)),
  contains: (v, [x]) => has(v as unknown[], x),
  subset: (v, [b]) => (v as unknown[]).every((x) => has(b as unknown[], x)),
  superset: (v, [b]) => (b as unknown[]).every((x) => has(v as unknown[], x)),
  truthy: (v, _a, kw) => (kw.convert_bool ? ansibleBool(v) : Boolean(v) && !(Array.isArray(v) && v.length === 0)),
  falsy: (v, _a, kw) => !(kw.convert_bool ? ansibleBool(v) : Boolean(v) && !(Array.isArray(v) && v.length === 0)),
  succeeded: (v) => !resultOf(v).failed,
  success: (v) => !resultOf(v).failed,
  failed: (v) => Boolean(resultOf(v).failed),
  changed: (v) => Boolean(resultOf(v).changed),
  skipped: (v) => Boolean(resultOf(v).skipped),
  abs: (v) => posix.isAbsolute(String(v)),
};
