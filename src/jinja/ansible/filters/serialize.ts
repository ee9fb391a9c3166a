/** Ansible's JSON and YAML filters: to_json, to_nice_json, from_json, to_yaml, to_nice_yaml, from_yaml, from_yaml_all. */
import { parseAllDocuments, type ScalarTag, type Tags } from 'yaml';
import type { Filter } from '../../extension.js';
import { defined } from '../../extension.js';
import { pyFloat, pyStr } from '../../value.js';
import { PyDate, PyDateTime } from '../py-datetime.js';
import { jsonDumps, jsonLoads } from '../py-json.js';
import { yamlDump } from '../py-yaml.js';
import { pluginError, toText } from '../shared.js';

const optionalNumber = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));

const toJson: Filter = (_ctx, value, _args, kwargs) => {
  const { indent, sort_keys, ensure_ascii, separators, vault_to_text, preprocess_unsafe, ...rest } = kwargs;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw pluginError(`__init__() got an unexpected keyword argument '${unknown}'`);
  return jsonDumps(value, {
    indent: typeof indent === 'string' ? indent : optionalNumber(indent),
    sortKeys: Boolean(sort_keys),
    ensureAscii: ensure_ascii === undefined ? true : Boolean(ensure_ascii),
    separators: Array.isArray(separators) ? [pyStr(separators[0]), pyStr(separators[1])] : undefined,
  });
};

const toNiceJson: Filter = (ctx, value, args, kwargs) => {
  const { indent = args[0] ?? 4, sort_keys = args[1] ?? true, ...rest } = kwargs;
  return toJson(ctx, value, [], { indent, sort_keys, separators: [',', ': '], ...rest });
};

const fromJson: Filter = (_ctx, value) => jsonLoads(toText(value));

function yamlFilter(name: string, defaults: Record<string, unknown>): Filter {
  return (_ctx, value, args, kwargs) => {
    const kw: Record<string, unknown> = { ...defaults, ...(args.length ? { indent: args[0] } : {}), ...kwargs };
    const { indent, width, default_flow_style, sort_keys, allow_unicode, explicit_start, ...rest } = kw;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw pluginError(`${name} - dump_all() got an unexpected keyword argument '${unknown}'`);
    return yamlDump(defined(value), {
      indent: optionalNumber(indent),
      width: optionalNumber(width),
      defaultFlowStyle: default_flow_style === undefined || default_flow_style === null ? null : Boolean(default_flow_style),
      sortKeys: sort_keys === undefined ? true : Boolean(sort_keys),
      allowUnicode: allow_unicode === undefined ? true : Boolean(allow_unicode),
      explicitStart: Boolean(explicit_start),
    });
  };
}

/** PyYAML's timestamp: a date alone is a datetime.date, with a time a (naive) datetime.datetime. */
const timestamp: ScalarTag = {
  tag: 'tag:yaml.org,2002:timestamp',
  default: true,
  test: /^(?:\d{4}-\d\d-\d\d|\d{4}-\d\d?-\d\d?(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)$/,
  resolve(text: string) {
    const [y, mo, d, h, mi, s, frac] = (text.match(/\d+/g) ?? []).map(Number);
    if (h === undefined) return new PyDate(y ?? 0, mo ?? 1, d ?? 1);
    const us = Number((/\.(\d*)/.exec(text)?.[1] ?? '').slice(0, 6).padEnd(6, '0'));
    return new PyDateTime(y ?? 0, mo ?? 1, d ?? 1, h, mi ?? 0, s ?? 0, frac === undefined ? 0 : us);
  },
};

/** PyYAML's booleans: YAML 1.1's words without y/n (which PyYAML reads as strings). */
const PY_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;

/** YAML 1.1 as PyYAML's safe loader reads it: floats stay floats, timestamps are Python dates, y/n are text. */
function pythonTags(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t !== 'string' && t.tag === 'tag:yaml.org,2002:timestamp') return timestamp;
    if (typeof t !== 'string' && t.tag === 'tag:yaml.org,2002:bool') {
      return { ...t, test: PY_BOOL, resolve: (text: string) => /^(?:yes|true|on)$/i.test(text) } as ScalarTag;
    }
    if (typeof t === 'string') return t;
    const scalar = t as ScalarTag;
    if (scalar.tag !== 'tag:yaml.org,2002:float' || !scalar.resolve) return t;
    const resolve = scalar.resolve;
    return { ...scalar, resolve: (...a: Parameters<typeof resolve>) => pyFloat(Number(resolve(...a))) } as ScalarTag;
  });
}

function loadYamlDocuments(text: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.1', customTags: pythonTags, uniqueKeys: false });
  if (!Array.isArray(docs)) return [];
  return docs.map((doc) => {
    const err = doc.errors[0];
    if (err) throw pluginError(err.message.split('\n')[0] ?? err.message);
    return doc.toJS({ maxAliasCount: -1 }) ?? null;
  });
}

const fromYaml: Filter = (_ctx, value) => {
  const v = defined(value);
  if (typeof v !== 'string') return v;
  const docs = loadYamlDocuments(v);
  if (docs.length > 1) throw pluginError('expected a single document in the stream');
  return docs[0] ?? null;
};

const fromYamlAll: Filter = (_ctx, value) => {
  const v = defined(value);
  return typeof v === 'string' ? loadYamlDocuments(v) : v;
};

export const serializeFilters: Record<string, Filter> = {
  to_json: toJson,
  to_nice_json: toNiceJson,
  from_json: fromJson,
  to_yaml: yamlFilter('to_yaml', {}),
  to_nice_yaml: yamlFilter('to_nice_yaml', { indent: 4, default_flow_style: false }),
  from_yaml: fromYaml,
  from_yaml_all: fromYamlAll,
};
