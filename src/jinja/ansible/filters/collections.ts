/** Ansible's filters on lists and dicts: combine, dict2items, flatten, the set theory filters, zip, product... */
import type { Filter } from '../../extension.js';
import { defined } from '../../extension.js';
import { isInt, isMapping, isTuple, isUndefined, type Mapping, pyRepr, pyStr, pyTypeName, tuple } from '../../value.js';
import { jsonDumps } from '../py-json.js';
import { bind, isSequence, pluginError, pyClass, pyContains, pyEquals, pyList } from '../shared.js';

const LIST_MERGES = ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'];

/** Ansible's merge_hash: y's keys win over x's; dicts merge when recursive, lists by list_merge. */
function mergeHash(x: Mapping, y: Mapping, recursive: boolean, listMerge: string): Mapping {
  if (!LIST_MERGES.includes(listMerge)) {
    throw pluginError(
      "merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'",
    );
  }
  if (!isMapping(x) || !isMapping(y)) {
    throw pluginError(
      `failed to combine variables, expected dicts but got a '${pyTypeName(x)}' and a '${pyTypeName(y)}': \n${jsonish(x)}\n${jsonish(y)}`,
    );
  }
  // Ansible returns a copy of y when x is empty or equal to it: y's key order then.
  if (Object.keys(x).length === 0 || pyEquals(x, y)) return { ...y };
  const out: Mapping = { ...x };
  for (const [key, yv] of Object.entries(y)) {
    if (!Object.hasOwn(out, key)) {
      out[key] = yv;
      continue;
    }
    const xv = out[key];
    if (isMapping(xv) && isMapping(yv)) out[key] = recursive ? mergeHash(xv, yv, recursive, listMerge) : yv;
    else if (Array.isArray(xv) && !isTuple(xv) && Array.isArray(yv) && !isTuple(yv)) out[key] = mergeLists(xv, yv, listMerge);
    else out[key] = yv;
  }
  return out;
}

function mergeLists(x: unknown[], y: unknown[], listMerge: string): unknown[] {
  switch (listMerge) {
    case 'append':
      return [...x, ...y];
    case 'prepend':
      return [...y, ...x];
    case 'append_rp':
      return [...x.filter((z) => !pyContains(y, z)), ...y];
    case 'prepend_rp':
      return [...y, ...x.filter((z) => !pyContains(y, z))];
    case 'keep':
      return x;
    default:
      return y;
  }
}

/** json.dumps for the "failed to combine" message, str() where JSON cannot say it. */
function jsonish(v: unknown): string {
  try {
    return jsonDumps(v);
  } catch {
    return pyStr(v);
  }
}

/** Jinja's undefined error for the first Undefined anywhere inside a value (recursive_check_defined). */
function checkDefined(v: unknown): void {
  if (isUndefined(v)) throw pluginError(`${v.message()}`);
  if (Array.isArray(v)) v.forEach(checkDefined);
  else if (isMapping(v)) Object.values(v).forEach(checkDefined);
}

const combine: Filter = (_ctx, value, args, kwargs) => {
  const { recursive = false, list_merge = 'replace', ...rest } = kwargs;
  if (Object.keys(rest).length) throw pluginError("'recursive' and 'list_merge' are the only valid keyword arguments");
  const dicts = flatten([value, ...args], 1, true);
  checkDefined(dicts);
  if (dicts.length === 0) return {};
  if (dicts.length === 1) return dicts[0];
  let result = dicts[dicts.length - 1] as Mapping;
  for (let i = dicts.length - 2; i >= 0; i--) result = mergeHash(dicts[i] as Mapping, result, Boolean(recursive), String(list_merge));
  return result;
};

/** Ansible's flatten: nested lists spliced `levels` deep, None/'None'/'null' dropped unless skip_nulls is false. */
function flatten(list: unknown[], levels: number | undefined, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const element of list) {
    if (skipNulls && (element === null || element === 'None' || element === 'null')) continue;
    if (isSequence(element)) {
      if (levels === undefined) out.push(...flatten(element, undefined, skipNulls));
      else if (levels >= 1) out.push(...flatten(element, levels - 1, skipNulls));
      else out.push(element);
    } else out.push(element);
  }
  return out;
}

const flattenFilter: Filter = (_ctx, value, args, kwargs) => {
  const [levels, skipNulls] = bind('flatten', ['levels', 'skip_nulls'], [null, true] as [unknown, unknown], args, kwargs);
  return flatten(pyList(value), levels === null ? undefined : Number(levels), Boolean(skipNulls));
};

const dict2items: Filter = (_ctx, value, args, kwargs) => {
  const [keyName, valueName] = bind('dict2items', ['key_name', 'value_name'], ['key', 'value'], args, kwargs);
  const d = defined(value);
  if (!isMapping(d)) throw pluginError(`dict2items requires a dictionary, got ${pyClass(d)} instead.`);
  return Object.entries(d).map(([k, v]) => ({ [String(keyName)]: k, [String(valueName)]: v }));
};

/** item[name] as Python subscripts it: a mapping by key, a list or string by (negative) index; undefined when missing. */
function subscript(item: unknown, name: unknown, list: unknown): { value: unknown } | undefined {
  if (isMapping(item)) return Object.hasOwn(item, String(name)) ? { value: item[String(name)] } : undefined;
  const seq = typeof item === 'string' ? [...item] : Array.isArray(item) ? item : undefined;
  if (seq === undefined || !isInt(name)) throw pluginError(`items2dict requires a list of dictionaries, got ${pyRepr(list)} instead.`);
  const i = name < 0 ? seq.length + name : name;
  if (i < 0 || i >= seq.length) throw pluginError(`${typeof item === 'string' ? 'string' : 'list'} index out of range`);
  return { value: seq[i] };
}

const items2dict: Filter = (_ctx, value, args, kwargs) => {
  const [keyName, valueName] = bind('items2dict', ['key_name', 'value_name'], ['key', 'value'], args, kwargs);
  const list = defined(value);
  if (!isSequence(list)) throw pluginError(`items2dict requires a list, got ${pyClass(list)} instead.`);
  const out: Mapping = {};
  for (const item of list) {
    const k = subscript(item, keyName, list);
    const v = subscript(item, valueName, list);
    if (!k || !v) {
      throw pluginError(
        `items2dict requires each dictionary in the list to contain the keys '${pyStr(keyName)}' and '${pyStr(valueName)}', got ${pyRepr(list)} instead.`,
      );
    }
    out[pyStr(k.value)] = v.value;
  }
  return out;
};

/** Jinja's unique (which Ansible's wraps): first occurrence kept, strings compared case-insensitively by default. */
function unique(list: unknown[], caseSensitive: boolean, attribute: unknown): unknown[] {
  const keyOf = (x: unknown) => {
    let v = x;
    if (attribute !== null && attribute !== undefined) {
      for (const part of String(attribute).split('.')) v = isMapping(v) ? v[part] : undefined;
    }
    return !caseSensitive && typeof v === 'string' ? v.toLowerCase() : v;
  };
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const x of list) {
    const k = keyOf(x);
    if (seen.some((s) => pyEquals(s, k))) continue;
    seen.push(k);
    out.push(x);
  }
  return out;
}

const uniqueFilter: Filter = (_ctx, value, args, kwargs) => {
  const [caseSensitive, attribute] = bind('unique', ['case_sensitive', 'attribute'], [null, null] as [unknown, unknown], args, kwargs);
  return unique(pyList(value), Boolean(caseSensitive), attribute);
};

/** The set filters on lists (Ansible's unique(..., True) path: order kept, duplicates dropped). */
function setFilter(name: string, op: (a: unknown[], b: unknown[]) => unknown[]): Filter {
  return (_ctx, value, args, kwargs) => {
    const [b] = bind(name, ['b'], [undefined] as [unknown], args, kwargs);
    if (b === undefined) throw pluginError(`${name}() missing 1 required positional argument: 'b'`);
    return unique(op(pyList(value), pyList(b)), true, null);
  };
}

const intersect = (a: unknown[], b: unknown[]) => a.filter((x) => pyContains(b, x));
const difference = (a: unknown[], b: unknown[]) => a.filter((x) => !pyContains(b, x));
const union = (a: unknown[], b: unknown[]) => [...a, ...b];
const symmetricDifference = (a: unknown[], b: unknown[]) => {
  const both = unique(intersect(a, b), true, null);
  return unique(union(a, b), true, null).filter((x) => !pyContains(both, x));
};

function iterables(values: unknown[]): unknown[][] {
  return values.map((v) => pyList(v));
}

const zip: Filter = (_ctx, value, args, kwargs) => {
  if (Object.keys(kwargs).length) throw pluginError(`zip() takes no keyword arguments`);
  const lists = iterables([value, ...args]);
  const n = Math.min(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => l[i])));
};

const zipLongest: Filter = (_ctx, value, args, kwargs) => {
  const { fillvalue = null, ...rest } = kwargs;
  if (Object.keys(rest).length) throw pluginError(`zip_longest() got an unexpected keyword argument '${Object.keys(rest)[0]}'`);
  const lists = iterables([value, ...args]);
  const n = Math.max(0, ...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fillvalue))));
};

function cartesian(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((p) => l.map((x) => [...p, x])), [[]]);
}

const product: Filter = (_ctx, value, args, kwargs) => {
  const { repeat = 1, ...rest } = kwargs;
  if (Object.keys(rest).length) throw pluginError(`product() got an unexpected keyword argument '${Object.keys(rest)[0]}'`);
  const lists = iterables([value, ...args]);
  const repeated = Array.from({ length: Number(repeat) }, () => lists).flat();
  return cartesian(repeated).map((p) => tuple(p));
};

/** itertools.permutations(iterable, r) in its lexicographic index order. */
function permutations(pool: unknown[], r: number): unknown[][] {
  if (r > pool.length) return [];
  const out: unknown[][] = [];
  const pick = (prefix: number[]) => {
    if (prefix.length === r) {
      out.push(prefix.map((i) => pool[i]));
      return;
    }
    for (let i = 0; i < pool.length; i++) if (!prefix.includes(i)) pick([...prefix, i]);
  };
  pick([]);
  return out;
}

function combinations(pool: unknown[], r: number): unknown[][] {
  const out: unknown[][] = [];
  const pick = (start: number, prefix: unknown[]) => {
    if (prefix.length === r) {
      out.push(prefix);
      return;
    }
    for (let i = start; i < pool.length; i++) pick(i + 1, [...prefix, pool[i]]);
  };
  if (r <= pool.length) pick(0, []);
  return out;
}

const permutationsFilter: Filter = (_ctx, value, args, kwargs) => {
  const [r] = bind('permutations', ['r'], [null] as [unknown], args, kwargs);
  const pool = pyList(value);
  return permutations(pool, r === null ? pool.length : Number(r)).map((p) => tuple(p));
};

const combinationsFilter: Filter = (_ctx, value, args, kwargs) => {
  const [r] = bind('combinations', ['r'], [undefined] as [unknown], args, kwargs);
  if (r === undefined) throw pluginError("combinations() missing required argument 'r' (pos 2)");
  return combinations(pyList(value), Number(r)).map((p) => tuple(p));
};

/** Ansible's subelements filter (and the lookup's core): (item, subitem) pairs for a dotted key. */
export function subelements(obj: unknown, key: unknown, skipMissing: boolean): unknown[][] {
  const o = defined(obj);
  let elements: unknown[];
  if (isMapping(o)) elements = Object.values(o);
  else if (Array.isArray(o) && !isTuple(o)) elements = o;
  else throw pluginError('obj must be a list of dicts or a nested dict');
  let path: unknown[];
  if (Array.isArray(key)) path = key;
  else if (typeof key === 'string') path = key.split('.');
  else throw pluginError('subelements must be a list or a string');
  const out: unknown[][] = [];
  for (const element of elements) {
    let values: unknown = element;
    for (const part of path) {
      if (isMapping(values)) {
        if (!Object.hasOwn(values, String(part))) {
          if (skipMissing) {
            values = [];
            break;
          }
          throw pluginError(`could not find ${pyRepr(part)} key in iterated item ${pyRepr(values)}`);
        }
        values = values[String(part)];
      } else {
        throw pluginError(`the key ${pyStr(part)} should point to a dictionary, got '${pyStr(values)}'`);
      }
    }
    if (!Array.isArray(values) || isTuple(values))
      throw pluginError(`the key ${pyRepr(key)} should point to a list, got ${pyRepr(values)}`);
    for (const v of values) out.push(tuple([element, v]));
  }
  return out;
}

const subelementsFilter: Filter = (_ctx, value, args, kwargs) => {
  const [key, skipMissing] = bind('subelements', ['subelements', 'skip_missing'], [undefined, false] as [unknown, unknown], args, kwargs);
  return subelements(value, key, Boolean(skipMissing));
};

/** Jinja's environment.getitem: a dict key or list index; an Undefined when missing. */
function getItem(container: unknown, key: unknown): unknown {
  const c = defined(container);
  if (isMapping(c)) {
    const k = pyStr(key);
    return Object.hasOwn(c, k) ? c[k] : missing(c, key);
  }
  if (Array.isArray(c) && typeof key === 'number') {
    const i = key < 0 ? c.length + key : key;
    return i >= 0 && i < c.length ? c[i] : missing(c, key);
  }
  if (typeof c === 'string' && typeof key === 'number') return c.charAt(key < 0 ? c.length + key : key);
  return missing(c, key);
}

function missing(container: unknown, key: unknown): never {
  throw pluginError(`'${pyTypeName(container)} object' has no attribute ${pyRepr(key)}`);
}

const extract: Filter = (_ctx, value, args, kwargs) => {
  const [container, morekeys] = bind('extract', ['container', 'morekeys'], [undefined, null] as [unknown, unknown], args, kwargs);
  const keys = morekeys === null ? [value] : Array.isArray(morekeys) ? [value, ...morekeys] : [value, morekeys];
  return keys.reduce((acc, k) => getItem(acc, k), container);
};

const rekeyOnMember: Filter = (_ctx, value, args, kwargs) => {
  const [key, duplicates] = bind('rekey_on_member', ['key', 'duplicates'], [undefined, 'error'] as [unknown, unknown], args, kwargs);
  if (duplicates !== 'error' && duplicates !== 'overwrite') {
    throw pluginError(`duplicates parameter to rekey_on_member has unknown value: ${pyStr(duplicates)}`);
  }
  const data = defined(value);
  let items: unknown[];
  if (isMapping(data)) items = Object.values(data);
  else if (Array.isArray(data)) items = data;
  else throw pluginError('Type is not a valid list, set, or dict');
  const out: Mapping = {};
  for (const item of items) {
    if (!isMapping(item)) throw pluginError('List item is not a valid dict');
    const k = pyStr(key);
    if (!Object.hasOwn(item, k)) throw pluginError(`Key ${k} was not found`);
    const newKey = pyStr(item[k]);
    if (Object.hasOwn(out, newKey) && out[newKey] && duplicates === 'error') {
      throw pluginError(`Key ${newKey} is not unique, cannot correctly turn into dict`);
    }
    out[newKey] = item;
  }
  return out;
};

export const collectionFilters: Record<string, Filter> = {
  combine,
  dict2items,
  items2dict,
  flatten: flattenFilter,
  unique: uniqueFilter,
  intersect: setFilter('intersect', intersect),
  difference: setFilter('difference', difference),
  union: setFilter('union', union),
  symmetric_difference: setFilter('symmetric_difference', symmetricDifference),
  zip,
  zip_longest: zipLongest,
  product,
  permutations: permutationsFilter,
  combinations: combinationsFilter,
  subelements: subelementsFilter,
  extract,
  rekey_on_member: rekeyOnMember,
};
