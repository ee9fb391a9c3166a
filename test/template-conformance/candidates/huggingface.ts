// @huggingface/jinja: a small Jinja2 written in TypeScript for chat templates. It has no public
// way to add filters or tests and no include/import, so it runs as it comes (the Ansible layer
// only converts task values and resolves templated variables).
import { Template } from '@huggingface/jinja';
import type { Case } from '../case-set.mjs';
import { ansibleValue, failed, resolveVars, setFactValue } from './ansible-layer.js';
import type { Candidate, ErrorKind, Outcome } from './types.js';

function errorKind(message: string): ErrorKind {
  if (/undefined|Cannot read properties of undefined/.test(message)) return 'undefined';
  if (/Unknown filter|Unknown test|Unknown function|not a function/.test(message)) return 'unknown-name';
  if (/Unexpected|Expected|Unknown statement|unexpected/.test(message)) return 'syntax';
  return 'runtime';
}

export function huggingfaceCandidate(): Candidate {
  const render = (t: string, ctx: Record<string, unknown>) => new Template(t).render(ctx);
  const evaluate = (value: string, ctx: Record<string, unknown>) => ansibleValue(value, (t) => render(t, ctx));
  return {
    name: '@huggingface/jinja 0.5.11',
    notes: 'no custom filter/test API and no include/import/extends: runs as it comes',
    run(c: Case): Outcome {
      try {
        const ctx = resolveVars(c.vars, evaluate);
        if (c.kind === 'expression') return { value: setFactValue(evaluate(c.template, ctx)) };
        return { output: render(c.template, ctx) };
      } catch (err) {
        return failed(errorKind(err instanceof Error ? err.message : String(err)), err);
      }
    },
  };
}
