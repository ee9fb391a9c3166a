/** Runs the recorded cases (fixtures/*.json) through the TypeScript filters, tests and lookups. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansibleExtensions } from '../../../../src/jinja/ansible/index.js';
import { type CallContext, JinjaError } from '../../../../src/jinja/extension.js';
import { pyFloat, pyStr, pyTruthy, pyTypeName, Undefined } from '../../../../src/jinja/value.js';
import { CONTEXT_VARS } from './cases.mjs';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const TREE = join(FIXTURES, 'tree');

export type Outcome = { type: string; str: string } | { error: string };

export interface Recorded {
  kind: 'filter' | 'test' | 'lookup';
  name: string;
  input?: unknown;
  args: unknown[];
  kwargs: Record<string, unknown>;
  expr: string;
  /** Not deterministic in Ansible (random without a seed...): only the type is compared. */
  varies?: string;
  /** Where provision knowingly differs, and why. */
  differs?: string;
  ansible: Outcome;
}

/** The JSON encoding of cases.mjs back into the value model. */
export function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('$float' in o) return o.$float === 'nan' ? Number.NaN : pyFloat(Number(o.$float));
    if ('$undefined' in o) return new Undefined(String(o.$undefined));
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

const ctx: CallContext = {
  resolve: (name) => (name in CONTEXT_VARS ? (CONTEXT_VARS as Record<string, unknown>)[name] : new Undefined(name)),
  // The template lookup's own job is finding the file and passing variables; rendering is the engine's.
  render: (source, _origin, extra = {}) => source.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, n: string) => pyStr(extra[n] ?? ctx.resolve(n))),
  searchPaths: [TREE],
  readFile: (p) => readFileSync(p, 'utf8'),
};

export function run(rec: Recorded): Outcome {
  const input = decode(rec.input);
  const args = decode(rec.args) as unknown[];
  const kwargs = decode(rec.kwargs) as Record<string, unknown>;
  try {
    let value: unknown;
    if (rec.kind === 'filter') {
      const filter = ansibleExtensions.filters[rec.name];
      if (!filter) return { error: `no filter named ${rec.name}` };
      value = filter(ctx, input, args, kwargs);
    } else if (rec.kind === 'test') {
      const test = ansibleExtensions.tests[rec.name];
      if (!test) return { error: `no test named ${rec.name}` };
      value = test(ctx, input, args, kwargs);
    } else {
      const lookup = ansibleExtensions.lookups[rec.name];
      if (!lookup) return { error: `no lookup named ${rec.name}` };
      value = lookup(ctx, args, kwargs);
    }
    return { type: pyTypeName(value), str: pyStr(value).split(TREE).join('<TREE>') };
  } catch (err) {
    if (!(err instanceof JinjaError)) throw err;
    return { error: err.message };
  }
}

/** A test's value compares by truthiness where Ansible's test returned a non-bool (`{'changed': 1} is changed`). */
export function sameTestValue(ours: Outcome, theirs: Outcome): boolean {
  if ('error' in ours || 'error' in theirs || theirs.type === 'bool') return false;
  const truthy = (o: { type: string; str: string }) =>
    pyTruthy(o.type === 'str' ? o.str : o.str !== '0' && o.str !== 'False' && o.str !== 'None');
  return truthy(ours) === truthy(theirs);
}

export function loadFamilies(): (readonly [string, Recorded[]])[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Recorded[]] as const);
}
