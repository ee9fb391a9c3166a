/**
 * The few Ansible filters and tests provision had before its own Jinja engine, kept so that
 * templates using them keep working until src/jinja/ansible provides Ansible's complete set (its
 * entries win over these).
 */
import { basename, dirname } from 'node:path';
import { defined, type Extensions, JinjaError } from '../jinja/extension.js';
import { jsonDumps } from '../jinja/filters.js';
import { isMapping, isUndefined, pyStr, pyTruthy } from '../jinja/value.js';
import { quote } from '../shell/quote.js';

function text(v: unknown): string {
  return pyStr(defined(v));
}

/** Ansible's bool filter: yes/on/1/true (any case) are true. */
function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null) return false;
  return ['yes', 'on', '1', 'true', 'y', 't'].includes(pyStr(v).trim().toLowerCase());
}

/** Python's re replacement syntax (\1, \g<name>) in JavaScript's. */
function replacement(repl: string): string {
  return repl.replace(/\$/g, '$$$$').replace(/\\(\d+)|\\g<(\w+)>/g, (_m, n: string, g: string) => (n ? `$${n}` : `$<${g}>`));
}

function pattern(p: unknown): string {
  return text(p)
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

const resultField = (r: unknown, k: string) => (isMapping(r) ? pyTruthy(r[k] ?? false) : false);

export const ansibleBasics: Extensions = {
  filters: {
    bool: (_c, v) => toBool(defined(v)),
    to_json: (_c, v) => jsonDumps(v, undefined, false),
    to_nice_json: (_c, v) => jsonDumps(v, 4, true).replace(/, \n/g, ',\n'),
    quote: (_c, v) => quote(text(v)),
    basename: (_c, v) => basename(text(v)),
    dirname: (_c, v) => dirname(text(v)),
    regex_replace: (_c, v, a) => text(v).replace(new RegExp(pattern(a[0]), 'g'), replacement(a[1] === undefined ? '' : text(a[1]))),
    regex_search: (_c, v, a) => new RegExp(pattern(a[0])).exec(text(v))?.[0] ?? null,
    ternary: (_c, v, a) => (pyTruthy(defined(v)) ? a[0] : a[1]),
    b64encode: (_c, v) => Buffer.from(text(v)).toString('base64'),
    b64decode: (_c, v) => Buffer.from(text(v), 'base64').toString('utf8'),
    dict2items: (_c, v) => Object.entries(defined(v) as Record<string, unknown>).map(([key, value]) => ({ key, value })),
    mandatory: (_c, v, a) => {
      if (isUndefined(v)) throw new JinjaError('runtime', a[0] === undefined ? `Mandatory variable '${v.name}' not defined.` : text(a[0]));
      return v;
    },
  },
  tests: {
    success: (_c, r) => !resultField(r, 'failed'),
    succeeded: (_c, r) => !resultField(r, 'failed'),
    failed: (_c, r) => resultField(r, 'failed'),
    failure: (_c, r) => resultField(r, 'failed'),
    changed: (_c, r) => resultField(r, 'changed'),
    change: (_c, r) => resultField(r, 'changed'),
    skipped: (_c, r) => resultField(r, 'skipped'),
    skip: (_c, r) => resultField(r, 'skipped'),
  },
  lookups: {},
};
