// What Ansible does around Jinja2 itself, shared by the candidate adapters so that engines are
// compared on the language: the `#jinja2:` header, the whole-value conversion of task arguments,
// and templated variables resolved before use.
import { setFactValues } from '../../../src/modules/debug.js';
import { ansibleConvert, parsePyLiteral } from './python-values.js';
import type { ErrorKind, Outcome } from './types.js';

export interface HeaderOverrides {
  [setting: string]: unknown;
}

/** Ansible's `#jinja2: key: value, ...` first line: the settings, and the template without it. */
export function splitHeader(template: string): { overrides: HeaderOverrides; body: string } {
  if (!template.startsWith('#jinja2:')) return { overrides: {}, body: template };
  const eol = template.indexOf('\n');
  const line = template.slice('#jinja2:'.length, eol);
  const overrides: HeaderOverrides = {};
  for (const pair of line.split(',')) {
    const at = pair.indexOf(':');
    const key = pair.slice(0, at).trim();
    const raw = pair.slice(at + 1).trim();
    try {
      overrides[key] = parsePyLiteral(raw);
    } catch {
      overrides[key] = raw;
    }
  }
  return { overrides, body: template.slice(eol + 1) };
}

const WHOLE = /^\{\{((?:(?!\{\{|\}\}).)*)\}\}$/s;

/** The expression inside a value that is exactly one `{{ ... }}`, or undefined. */
export function wholeExpression(value: string): string | undefined {
  return WHOLE.exec(value)?.[1];
}

/**
 * The value Ansible stores for a task argument: rendered text, converted back to a list, dict or
 * bool when it looks like one. `render` renders a template text with the engine.
 */
export function ansibleValue(template: string, render: (t: string) => string): unknown {
  return ansibleConvert(render(template));
}

/**
 * Variables whose values are templates, rendered in order of need (as Ansible does lazily); one
 * that cannot be rendered is left out, so that using it is an undefined-variable error.
 */
export function resolveVars(vars: Record<string, unknown>, evaluate: (value: string, ctx: Record<string, unknown>) => unknown) {
  const out: Record<string, unknown> = {};
  const pending = new Map<string, string>();
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'string' && v.includes('{{')) pending.set(k, v);
    else out[k] = v;
  }
  for (let pass = 0; pass < 5 && pending.size > 0; pass++)
    for (const [k, v] of [...pending]) {
      try {
        out[k] = evaluate(v, out);
        pending.delete(k);
      } catch {
        // not yet resolvable: a later pass may have what it needs, or it stays undefined
      }
    }
  return out;
}

export function failed(kind: ErrorKind, err: unknown): Outcome {
  return { error: { kind, message: err instanceof Error ? err.message : String(err) } };
}

const trailingNewlines = (s: string) => s.length - s.replace(/\n+$/, '').length;

/**
 * Jinja drops one trailing newline of a template (keep_trailing_newline off, for includes too);
 * Ansible then adds back as many as the source ended with.
 */
export function padTrailingNewlines(source: string, rendered: string): string {
  const missing = trailingNewlines(source) - trailingNewlines(rendered);
  return missing > 0 ? rendered + '\n'.repeat(missing) : rendered;
}

/** set_fact (jinja2_native off) also turns the strings true/false/yes/no into booleans. */
export function setFactValue(v: unknown): unknown {
  return setFactValues({ v }).v;
}
