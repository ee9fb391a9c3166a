// The engine exactly as src/ exposes it to the runner: renderString for a template file (no search
// path: includes of the set's shared templates are not found), renderValue for a task argument, and
// lazyVars for variables that are templates. Nothing is added.

import { lazyVars } from '../../../src/engine/vars.js';
import { renderString, renderValue, TemplateError } from '../../../src/template/render.js';
import type { Case } from '../case-set.mjs';
import { failed } from './ansible-layer.js';
import type { Candidate, ErrorKind, Outcome } from './types.js';

function errorKind(err: unknown): ErrorKind {
  return err instanceof TemplateError ? err.kind : 'runtime';
}

export function provisionCandidate(): Candidate {
  return {
    name: 'provision through src/template/render.ts',
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
