// nunjucks 3.2.4 given the same help as minijinja: a fresh environment (with the Jinja-compat and
// list `+` patches that src/template/render.ts installs process-wide), the shared templates through
// a loader, trim_blocks/lstrip_blocks from the `#jinja2:` header, and Ansible's filters and tests
// from ansible-filters.ts. It answers "how far does nunjucks get with the filters added".
import nunjucks from 'nunjucks';
import type { Case } from '../case-set.mjs';
import { sharedTemplates } from '../case-set.mjs';
import '../../../src/template/render.js';
import { ansibleFilters, ansibleTests, type Kwargs } from './ansible-filters.js';
import { failed, padTrailingNewlines, resolveVars, setFactValue, splitHeader, wholeExpression } from './ansible-layer.js';
import { ansibleConvert, ansibleConvertNative } from './python-values.js';
import type { Candidate, ErrorKind, Outcome } from './types.js';

function errorKind(message: string): ErrorKind {
  if (/undefined|null/.test(message)) return 'undefined';
  if (/filter not found|test not found|Unable to call|unknown filter/.test(message)) return 'unknown-name';
  if (/parse|expected|unexpected|Unknown block|unknown block|SyntaxError/.test(message)) return 'syntax';
  return 'runtime';
}

/** nunjucks passes keyword arguments as a trailing object marked __keywords. */
function splitArgs(raw: unknown[]): { args: unknown[]; kw: Kwargs } {
  const last = raw[raw.length - 1] as Record<string, unknown> | undefined;
  if (last && typeof last === 'object' && last.__keywords) {
    const { __keywords: _, ...kw } = last;
    return { args: raw.slice(0, -1), kw };
  }
  return { args: raw, kw: {} };
}

export function nunjucksCandidate(): Candidate {
  const templates = sharedTemplates();
  const loader = {
    getSource(name: string) {
      const src = templates[name];
      return src === undefined ? null : { src, path: name, noCache: false };
    },
  } as unknown as nunjucks.ILoader;
  const env = new nunjucks.Environment(loader, { autoescape: false, throwOnUndefined: true, trimBlocks: true });
  for (const [name, f] of Object.entries(ansibleFilters)) {
    const call = (value: unknown, ...raw: unknown[]) => {
      const { args, kw } = splitArgs(raw);
      return f(value, args, kw);
    };
    env.addFilter(name, call);
    env.addFilter(`ansible.builtin.${name}`, call);
  }
  for (const [name, t] of Object.entries(ansibleTests)) {
    // nunjucks' type definitions lack addTest, which its runtime has.
    (env as unknown as { addTest(n: string, fn: (v: unknown, ...a: unknown[]) => boolean): void }).addTest(name, (v, ...raw) => {
      const { args, kw } = splitArgs(raw);
      return t(v, args, kw);
    });
  }
  let captured: unknown;
  env.addGlobal('__capture', (v: unknown) => {
    captured = v;
    return '';
  });
  const opts = (env as unknown as { opts: { trimBlocks: boolean; lstripBlocks: boolean } }).opts;

  const evaluate = (value: string, ctx: Record<string, unknown>): unknown => {
    const expr = wholeExpression(value);
    if (expr !== undefined) {
      captured = undefined;
      env.renderString(`{{ __capture(${expr}) }}`, ctx);
      if (captured === undefined) throw new Error(`undefined value in ${value}`);
      return ansibleConvertNative(captured);
    }
    return ansibleConvert(padTrailingNewlines(value, env.renderString(value, ctx)));
  };

  return {
    name: 'nunjucks 3.2.4 + same filters/layer',
    notes: 'fresh environment, loader for shared templates, header trim/lstrip, the same custom filters and tests as minijinja',
    run(c: Case): Outcome {
      try {
        const ctx = resolveVars(c.vars, evaluate);
        if (c.kind === 'expression') return { value: setFactValue(evaluate(c.template, ctx)) };
        const { overrides, body } = splitHeader(c.template);
        opts.trimBlocks = overrides.trim_blocks === undefined ? true : Boolean(overrides.trim_blocks);
        opts.lstripBlocks = Boolean(overrides.lstrip_blocks);
        try {
          return { output: padTrailingNewlines(body, env.renderString(body, ctx)) };
        } finally {
          opts.trimBlocks = true;
          opts.lstripBlocks = false;
        }
      } catch (err) {
        return failed(errorKind(err instanceof Error ? err.message : String(err)), err);
      }
    },
  };
}
