// provision's own Jinja2 interpreter (src/jinja) with Ansible's layer (src/jinja/templar.ts) and
// whatever Ansible filters, tests and lookups src/jinja/ansible has: the template module's path for
// templates, a task value's path (set_fact) for expressions, templated variables rendered lazily.
import { JinjaError } from '../../../src/jinja/extension.js';
import { Templar } from '../../../src/jinja/templar.js';
import { templateExtensions } from '../../../src/template/render.js';
import type { Case } from '../case-set.mjs';
import { FILES_DIR, TEMPLATES_DIR } from '../case-set.mjs';
import { failed, setFactValue } from './ansible-layer.js';
import type { Candidate, Outcome } from './types.js';

/** The case's variables; one holding a template is rendered when first read, as Ansible does. */
function lazyContext(templar: Templar, vars: Record<string, unknown>): object {
  const ctx: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'string' && (v.includes('{{') || v.includes('{%'))) {
      let busy = false;
      Object.defineProperty(ctx, k, {
        enumerable: true,
        get() {
          if (busy) throw new JinjaError('runtime', `recursive loop detected in template string: ${v}`);
          busy = true;
          try {
            return templar.renderValue(v, ctx, `variable ${k}`);
          } finally {
            busy = false;
          }
        },
      });
    } else ctx[k] = v;
  }
  return ctx;
}

export function provisionJinjaCandidate(): Candidate {
  const templar = new Templar({ searchPaths: [TEMPLATES_DIR, FILES_DIR], extensions: templateExtensions });
  const filters = Object.keys(templateExtensions.filters).length;
  const tests = Object.keys(templateExtensions.tests).length;
  const lookups = Object.keys(templateExtensions.lookups).length;
  return {
    name: 'provision jinja (src/jinja)',
    notes: `own interpreter with Ansible's layer; Ansible extensions on this branch (src/jinja/ansible): ${filters} filters, ${tests} tests, ${lookups} lookups`,
    run(c: Case): Outcome {
      try {
        const ctx = lazyContext(templar, c.vars);
        if (c.kind === 'expression') return { value: setFactValue(templar.renderValue(c.template, ctx, `case ${c.id}`)) };
        return { output: templar.renderTemplate(c.template, ctx, `${c.id}.j2`) };
      } catch (err) {
        if (err instanceof JinjaError) return failed(err.kind, err);
        return failed('runtime', err);
      }
    },
  };
}
