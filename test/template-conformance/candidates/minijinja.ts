// minijinja-js (minijinja 2.11 compiled to WebAssembly) with Python compatibility, strict
// undefined, trim_blocks, the shared templates registered by name and Ansible's filters and tests
// from ansible-filters.ts registered as custom filters and tests.
import { Environment } from 'minijinja-js';
import type { Case } from '../case-set.mjs';
import { sharedTemplates } from '../case-set.mjs';
import { ansibleFilters, ansibleTests, type Kwargs } from './ansible-filters.js';
import { ansibleValue, failed, padTrailingNewlines, resolveVars, setFactValue, splitHeader, wholeExpression } from './ansible-layer.js';
import { ansibleConvertNative } from './python-values.js';
import type { Candidate, ErrorKind, Outcome } from './types.js';

/** Keyword names Ansible's filters and tests take: minijinja-js hands kwargs over as a trailing Map. */
const KWARGS = new Set([
  'recursive',
  'list_merge',
  'key_name',
  'value_name',
  'indent',
  'ignorecase',
  'multiline',
  'levels',
  'fillvalue',
  'isbits',
  'unit',
  'convert_bool',
  'match_type',
  'version_type',
  'strict',
  'seed',
  'rstrip',
  'wantlist',
]);

function toPlain(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toPlain(x)]));
  if (Array.isArray(v)) return v.map(toPlain);
  return v;
}

function splitArgs(raw: unknown[]): { args: unknown[]; kw: Kwargs } {
  const last = raw[raw.length - 1];
  if (last instanceof Map && last.size > 0 && [...last.keys()].every((k) => KWARGS.has(String(k))))
    return { args: raw.slice(0, -1).map(toPlain), kw: toPlain(last) as Kwargs };
  return { args: raw.map(toPlain), kw: {} };
}

/** Filters minijinja has natively under the same name and meaning: those keep minijinja's. */
const NATIVE = new Set(['split', 'format', 'wordcount', 'bool']);

function errorKind(message: string): ErrorKind {
  if (/undefined value|is undefined|undefined/.test(message)) return 'undefined';
  if (/syntax error|unexpected|expected|unknown statement|unknown block/.test(message)) return 'syntax';
  if (/unknown filter|unknown test|unknown function/.test(message)) return 'unknown-name';
  if (/template not found/.test(message)) return 'runtime';
  return 'runtime';
}

export function minijinjaCandidate(): Candidate {
  const env = new Environment();
  // A JS function that throws makes minijinja-js panic, and a panic leaves the WebAssembly instance
  // unusable for every later render. So filters and tests never throw: the first error is kept here
  // and raised once the render returns.
  let raised: unknown;
  const guard =
    <T>(fn: (...a: unknown[]) => T, fallback: T) =>
    (...a: unknown[]): T => {
      try {
        return fn(...a);
      } catch (err) {
        raised ??= err;
        return fallback;
      }
    };
  const checked = <T>(render: () => T): T => {
    raised = undefined;
    const out = render();
    if (raised !== undefined) throw raised;
    return out;
  };
  env.enablePyCompat();
  env.trimBlocks = true;
  env.keepTrailingNewline = false;
  env.undefinedBehavior = 'strict';
  for (const [name, text] of Object.entries(sharedTemplates())) env.addTemplate(name, text);
  for (const [name, f] of Object.entries(ansibleFilters)) {
    if (NATIVE.has(name)) continue;
    const call = (value: unknown, ...raw: unknown[]) => {
      const { args, kw } = splitArgs(raw);
      return f(toPlain(value), args, kw);
    };
    env.addFilter(name, guard(call, null));
    env.addFilter(`ansible.builtin.${name}`, guard(call, null));
  }
  for (const [name, t] of Object.entries(ansibleTests)) {
    const call = (value: unknown, ...raw: unknown[]) => {
      const { args, kw } = splitArgs(raw);
      return t(toPlain(value), args, kw);
    };
    env.addTest(name, guard(call, false));
    env.addTest(`ansible.builtin.${name}`, guard(call, false));
  }

  const evaluate = (value: string, ctx: Record<string, unknown>): unknown => {
    const expr = wholeExpression(value);
    if (expr !== undefined) return ansibleConvertNative(toPlain(checked(() => env.evalExpr(expr, ctx))));
    return ansibleValue(value, (t) =>
      padTrailingNewlines(
        t,
        checked(() => env.renderStr(t, ctx)),
      ),
    );
  };

  return {
    name: 'minijinja-js 2.11',
    notes:
      'pycompat on, undefined strict, trimBlocks, trailing newlines as Ansible pads them; shared templates added by name; custom filters: ' +
      `${Object.keys(ansibleFilters)
        .filter((n) => !NATIVE.has(n))
        .join(', ')}; custom tests: ${Object.keys(ansibleTests).join(', ')}`,
    run(c: Case): Outcome {
      try {
        const ctx = resolveVars(c.vars, evaluate);
        if (c.kind === 'expression') return { value: setFactValue(evaluate(c.template, ctx)) };
        const { overrides, body } = splitHeader(c.template);
        env.trimBlocks = overrides.trim_blocks === undefined ? true : Boolean(overrides.trim_blocks);
        env.lstripBlocks = Boolean(overrides.lstrip_blocks);
        try {
          return {
            output: padTrailingNewlines(
              body,
              checked(() => env.renderStr(body, ctx)),
            ),
          };
        } finally {
          env.trimBlocks = true;
          env.lstripBlocks = false;
        }
      } catch (err) {
        return failed(errorKind(err instanceof Error ? err.message : String(err)), err);
      }
    },
  };
}
