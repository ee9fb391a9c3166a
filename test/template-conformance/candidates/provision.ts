// The engine exactly as src/ exposes it to the runner: renderString for a template file (named as the
// template module names it: a file in the set's templates/, so includes are found beside it),
// renderValue for a task argument, and lazyVars for variables that are templates, with the
// `playbook_dir` the runner sets (lookups search it, as Ansible's search path). Nothing else is added.
import { dirname, join } from 'node:path';

import { lazyVars } from '../../../src/engine/vars.js';
import { setFactValues } from '../../../src/modules/debug.js';
import { renderString, renderValue, TemplateError } from '../../../src/template/render.js';
import type { Case } from '../case-set.mjs';
import { TEMPLATES_DIR } from '../case-set.mjs';
import { failed } from './ansible-layer.js';
import type { Candidate, ErrorKind, Outcome } from './types.js';

function errorKind(err: unknown): ErrorKind {
  return err instanceof TemplateError ? err.kind : 'runtime';
}

/** The set's directory plays the playbook's: its files/ and templates/ are what lookups find. */
const PLAYBOOK_DIR = dirname(TEMPLATES_DIR);

export function provisionCandidate(): Candidate {
  return {
    name: 'provision through src/template/render.ts',
    notes: 'as src/ has it: renderString for template files, renderValue for task values, lazyVars for templated variables, playbook_dir',
    run(c: Case): Outcome {
      try {
        const vars = lazyVars({ playbook_dir: PLAYBOOK_DIR, ...c.vars });
        // An expression case is what set_fact stores: the task value, through set_fact's own conversion.
        if (c.kind === 'expression') return { value: setFactValues({ v: renderValue(c.template, vars) }).v };
        return { output: renderString(c.template, vars, join(TEMPLATES_DIR, `${c.id}.j2`)) };
      } catch (err) {
        return failed(errorKind(err), err);
      }
    },
  };
}
