// Today's engine exactly as src/ has it (nunjucks with provision's patches and filters), used the
// way the runner uses it: renderString for a template file, renderValue for a task argument, and
// lazyVars for variables that are templates. Nothing is added: this column is the baseline.

import { lazyVars } from '../../../src/engine/vars.js';
import { renderString, renderValue, TemplateError } from '../../../src/template/render.js';
import type { Case } from '../case-set.mjs';
import { failed } from './ansible-layer.js';
import type { Candidate, ErrorKind, Outcome } from './types.js';

function errorKind(err: unknown): ErrorKind {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof TemplateError && err.variable) return 'undefined';
  if (/undefined variable|undefined/.test(message)) return 'undefined';
  if (/filter not found|unknown filter|test not found|Unable to call/.test(message)) return 'unknown-name';
  if (/parse|expected|unexpected|Unknown block|unknown block|SyntaxError|Invalid or unexpected/.test(message)) return 'syntax';
  return 'runtime';
}

export function provisionCandidate(): Candidate {
  return {
    name: 'provision today (nunjucks 3.2.4, src/template/render.ts)',
    notes: 'as src/ has it: renderString for templates, renderValue for task values, lazyVars for templated variables',
    run(c: Case): Outcome {
      try {
        const vars = lazyVars(c.vars);
        if (c.kind === 'expression') return { value: renderValue(c.template, vars) };
        return { output: renderString(c.template, vars) };
      } catch (err) {
        return failed(errorKind(err), err);
      }
    },
  };
}
