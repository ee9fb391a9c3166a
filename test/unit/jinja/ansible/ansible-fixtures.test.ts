import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ansibleExtensions } from '../../../../src/jinja/ansible/index.js';
import { type CallContext, JinjaError } from '../../../../src/jinja/extension.js';
import { PyFloat, pyFloat, pyStr, pyTruthy, pyTypeName, Undefined } from '../../../../src/jinja/value.js';
import { CONTEXT_VARS } from './cases.mjs';

// Every case of cases.mjs against what Ansible 2.14 gave for it (fixtures/*.json, written by
// scripts/record-ansible-filters.mjs): the same input goes straight into the TypeScript filter, test
// or lookup, and its Python type and str() must equal Ansible's, or its error Ansible's message.

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const TREE = join(FIXTURES, 'tree');

type Outcome = { type: string; str: string } | { error: string };

interface Recorded {
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
function decode(v: unknown): unknown {
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
};

function run(rec: Recorded): Outcome {
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
function sameTestValue(ours: Outcome, theirs: Outcome): boolean {
  if ('error' in ours || 'error' in theirs || theirs.type === 'bool') return false;
  const truthy = (o: { type: string; str: string }) =>
    pyTruthy(o.type === 'str' ? o.str : o.str !== '0' && o.str !== 'False' && o.str !== 'None');
  return truthy(ours) === truthy(theirs);
}

const families = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Recorded[]] as const);

describe('Ansible filters, tests and lookups give what Ansible gives', () => {
  it('has recordings', () => {
    expect(families.length).toBeGreaterThan(5);
  });

  for (const [family, cases] of families) {
    describe(family, () => {
      for (const rec of cases) {
        const title = `${rec.expr} ${JSON.stringify(decode(rec.input ?? null) instanceof PyFloat ? rec.input : '')}`;
        if (rec.varies) {
          it(`${title} (varies: ${rec.varies})`, () => {
            const ours = run(rec);
            expect('error' in ours ? 'error' : ours.type).toBe('error' in rec.ansible ? 'error' : rec.ansible.type);
          });
        } else if (rec.differs) {
          it(`${title} (differs: ${rec.differs})`, () => {
            const ours = run(rec);
            expect('error' in ours).toBe('error' in rec.ansible);
          });
        } else {
          it(title, () => {
            const ours = run(rec);
            if (rec.kind === 'test' && sameTestValue(ours, rec.ansible)) return;
            expect(ours).toEqual(rec.ansible);
          });
        }
      }
    });
  }
});
