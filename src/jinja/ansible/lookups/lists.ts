/** Lookups that shape lists (the with_* loops): items, list, dict, indexed_items, nested, together, subelements. */
import type { Lookup } from '../../extension.js';
import { isMapping, isTuple, type Mapping, pyStr, tuple } from '../../value.js';
import { pluginError } from '../shared.js';
import { ansibleBoolean } from '../tests/types.js';

/** LookupBase._flatten: one level, lists and tuples spliced in. */
function flattenOnce(terms: unknown): unknown[] {
  const out: unknown[] = [];
  const items = typeof terms === 'string' ? [...terms] : Array.isArray(terms) ? terms : isMapping(terms) ? Object.keys(terms) : [terms];
  for (const t of items) {
    if (Array.isArray(t)) out.push(...t);
    else out.push(t);
  }
  return out;
}

const items: Lookup = (_ctx, terms) => flattenOnce(terms);

const list: Lookup = (_ctx, terms) => terms;

const dict: Lookup = (_ctx, terms) =>
  terms.flatMap((term) => {
    if (!isMapping(term)) throw pluginError('with_dict expects a dict');
    return Object.entries(term).map(([key, value]) => ({ key, value }));
  });

const indexedItems: Lookup = (_ctx, terms) => flattenOnce(terms).map((item, i) => tuple([i, item]));

/** listify_lookup_plugin_terms: a string becomes a one-item list. */
function listify(term: unknown): unknown[] {
  return Array.isArray(term) ? term : [term];
}

const nested: Lookup = (_ctx, terms) => {
  const lists = terms.map(listify);
  const first = lists.shift();
  if (first === undefined) throw pluginError('with_nested requires at least one element in the nested list');
  let result: unknown[] = first;
  for (const next of lists) result = result.flatMap((x) => next.map((y) => flattenOnce([x, y])));
  return result.map((x) => flattenOnce(x));
};

const together: Lookup = (_ctx, terms) => {
  const lists = terms.map(listify);
  if (lists.length === 0) throw pluginError('with_together requires at least one element in each list');
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => flattenOnce(lists.map((l) => (i < l.length ? l[i] : null))));
};

/** A copy of `item` without the list at `path` (Ansible pops it from the item it returns). */
function withoutPath(item: Mapping, path: string[]): Mapping {
  const [head, ...rest] = path;
  if (head === undefined || !Object.hasOwn(item, head)) return item;
  const copy = { ...item };
  const child = copy[head];
  if (rest.length === 0) delete copy[head];
  else if (isMapping(child)) copy[head] = withoutPath(child, rest);
  return copy;
}

const subelements: Lookup = (_ctx, terms) => {
  const termsError = (msg = '') => pluginError(`subelements lookup expects a list of two or three items, ${msg}`);
  if (terms.length < 2 || terms.length > 3) throw termsError();
  const [source, key, flags = {}] = terms;
  if (!(Array.isArray(source) || isMapping(source)) || isTuple(source) || typeof key !== 'string') {
    throw termsError('first a dict or a list, second a string pointing to the subkey');
  }
  if (!isMapping(flags)) throw termsError("the optional third item must be a dict with flags ('skip_missing',)");
  const path = key.split('.');
  let elements: unknown[];
  if (isMapping(source)) {
    if (Object.hasOwn(source, 'skipped') && source.skipped !== false) return [];
    elements = Object.values(source);
  } else elements = source;
  const skipMissing = ansibleBoolean(flags.skip_missing ?? false) ?? false;
  const out: unknown[] = [];
  for (const item0 of elements) {
    if (!isMapping(item0)) throw pluginError(`subelements lookup expects a dictionary, got '${pyStr(item0)}'`);
    if (Object.hasOwn(item0, 'skipped') && item0.skipped !== false) continue;
    let sub: Mapping = item0;
    let sublist: unknown[] = [];
    for (const [i, subkey] of path.entries()) {
      const last = i === path.length - 1;
      if (!Object.hasOwn(sub, subkey)) {
        if (skipMissing) continue;
        throw pluginError(`could not find '${subkey}' key in iterated item '${pyStr(sub)}'`);
      }
      const v = sub[subkey];
      if (!last) {
        if (!isMapping(v)) {
          if (skipMissing) continue;
          throw pluginError(`the key ${subkey} should point to a dictionary, got '${pyStr(v)}'`);
        }
        sub = v;
      } else {
        if (!Array.isArray(v) || isTuple(v)) throw pluginError(`the key ${subkey} should point to a list, got '${pyStr(v)}'`);
        sublist = v;
      }
    }
    const shown = sublist.length ? withoutPath(item0, path) : item0;
    for (const item1 of sublist) out.push(tuple([shown, item1]));
  }
  return out;
};

/** One of the terms, picked at random (Ansible's random_choice: no terms, no item). */
const randomChoice: Lookup = (_ctx, terms) => (terms.length ? [terms[Math.floor(Math.random() * terms.length)]] : terms);

export const listLookups: Record<string, Lookup> = {
  items,
  list,
  dict,
  indexed_items: indexedItems,
  nested,
  // Ansible's cartesian lookup: the same product as nested.
  cartesian: nested,
  together,
  subelements,
  random_choice: randomChoice,
};
