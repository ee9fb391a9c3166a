import { readFileSync } from 'node:fs';
import type { Vars } from '../config/inventory.js';
import { noteInputFile } from '../core/input-files.js';
import { ansibleExtensions } from '../jinja/ansible/index.js';
import type { Environment } from '../jinja/environment.js';
import { type Extensions, JinjaError, type JinjaErrorKind, type TaintHooks, type TemplateLocation } from '../jinja/extension.js';
import type { JinjaSettings } from '../jinja/header.js';
import { getAttr } from '../jinja/methods.js';
import { collectReads, type TemplateReads } from '../jinja/reads.js';
import { Templar } from '../jinja/templar.js';
import { isMapping, isUndefined, PyFloat, pyTruthy } from '../jinja/value.js';
import { secrets } from '../secrets.js';
import { templateFileVariables } from './template-vars.js';

/**
 * A template that could not be rendered; `variable` names what was undefined. It is a JinjaError, so
 * a failure inside a lazily rendered variable keeps its kind and place through the outer render.
 */
export class TemplateError extends JinjaError {
  constructor(
    message: string,
    variable?: string,
    /** Jinja's category of the failure ('undefined' when `variable` is set). */
    kind: JinjaErrorKind = variable ? 'undefined' : 'runtime',
    location?: TemplateLocation,
  ) {
    super(kind, message, variable);
    this.name = 'TemplateError';
    // the message already names the place
    this.location = location ?? { origin: '', line: 0, col: 0 };
  }
}

/** The filters, tests and lookups templates get beside Jinja's built-ins: Ansible's. */
export const templateExtensions: Extensions = ansibleExtensions;

/** Taint: every value a template reads is checked against the secrets; what a secret read produced becomes one. */
const taint: TaintHooks = {
  read: (v) => {
    secrets.noteRead(v);
  },
  get reads() {
    return secrets.secretReads;
  },
  derived: (v) => {
    secrets.addDerived(v);
  },
};

/** A file a template reads (an include, `lookup('file')`, `lookup('template')`) is an input of the run: a saved plan names it. */
function readInput(path: string): string {
  const text = readFileSync(path, 'utf8');
  noteInputFile(path, text);
  return text;
}

const templar = new Templar({
  extensions: templateExtensions,
  taint,
  readFile: readInput,
  templateVars: (path, fullpath) => templateFileVariables({ path, fullpath }),
});
const env: Environment = templar.env;

/**
 * Marks a variables object whose values are computed on first read (src/engine/vars.ts). The engine
 * reads variables one name at a time and never copies the object, so any context stays lazy; the
 * mark is kept for callers that test for it.
 */
export const LAZY = Symbol.for('provision.lazyVars');

const DEFAULT_ORIGIN = '<template>';

export function isTemplated(value: string): boolean {
  return value.includes('{{') || value.includes('{%') || value.includes('{#');
}

/**
 * Render a template text to text, as Ansible's template module does; `origin` is its file name,
 * `syntax` the module's Jinja options (trim_blocks, newline_sequence...), which apply to plain text too.
 */
export function renderString(template: string, vars: Vars, origin = DEFAULT_ORIGIN, syntax?: JinjaSettings): string {
  if (!isTemplated(template) && syntax === undefined) return template;
  try {
    const { value, tainted } = secrets.track(() => templar.renderTemplate(template, vars, origin, syntax));
    // A file's lines are masked through the expressions that read a secret (the evaluator registers
    // each); registering a whole multi-line file would mask its plain lines everywhere else.
    if (tainted && !value.trimEnd().includes('\n')) secrets.addDerived(value);
    return value;
  } catch (err) {
    throw explain(err);
  }
}

/** Evaluate a Jinja2 expression (no `{{ }}`) to its native value. */
export function evaluate(expression: string, vars: Vars, origin = DEFAULT_ORIGIN): unknown {
  let v: unknown;
  try {
    const { value, tainted } = secrets.track(() => templar.evaluate(expression, vars, origin));
    v = value;
    if (tainted && !isUndefined(v)) secrets.addDerived(v);
  } catch (err) {
    throw explain(err);
  }
  if (isUndefined(v)) throw explain(new JinjaError('undefined', v.message(), v.name).at({ origin, line: 1, col: 1 }));
  return toPlain(v);
}

/**
 * Values leaving the engine: an integral Python float (boxed in PyFloat inside the engine) becomes
 * a plain number, so that schemas and JSON see a number.
 */
function toPlain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.some(needsPlain) ? v.map(toPlain) : v;
  if (isMapping(v)) return Object.values(v).some(needsPlain) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)])) : v;
  return v;
}

function needsPlain(v: unknown): boolean {
  if (v instanceof PyFloat) return true;
  if (Array.isArray(v)) return v.some(needsPlain);
  if (isMapping(v)) return Object.values(v).some(needsPlain);
  return false;
}

/**
 * A `when:` condition: Jinja's truth of the expression (an undefined name is an error unless the
 * expression tests for it); a bare variable holding a string is read the way Ansible users write
 * booleans ("no", "false").
 */
export function evaluateCondition(expression: string | boolean, vars: Vars, origin = DEFAULT_ORIGIN): boolean {
  if (typeof expression === 'boolean') return expression;
  const expr = expression.replace(/^\s*\{\{|\}\}\s*$/g, '').trim();
  let v: unknown;
  try {
    v = templar.evaluate(expr, vars, origin);
  } catch (err) {
    throw explain(err, expr);
  }
  if (isUndefined(v)) throw explain(new JinjaError('undefined', v.message(), v.name).at({ origin, line: 1, col: 1 }), expr);
  return typeof v === 'string' ? truthy(v) : pyTruthy(v);
}

/** Jinja2 truthiness, plus Ansible's habit of writing booleans as strings. */
export function truthy(v: unknown): boolean {
  if (typeof v === 'string') return !['', 'false', 'no', 'off', '0'].includes(v.trim().toLowerCase());
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Ansible's `omit`: an argument rendered to this is left out, as if never given. */
export const OMIT = '__omit_place_holder__';

export function dropOmitted(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== OMIT).map(dropOmitted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== OMIT)
        .map(([k, v]) => [k, dropOmitted(v)]),
    );
  }
  return value;
}

/**
 * Render every string inside a value as Ansible renders a task argument: the text, turned back into
 * a list, dict or bool when it looks like one; `{{ name }}` of a number, bool or None keeps it.
 */
export function renderValue(value: unknown, vars: Vars, origin = DEFAULT_ORIGIN): unknown {
  if (typeof value === 'string') {
    if (!isTemplated(value)) return value;
    try {
      const { value: out, tainted } = secrets.track(() => toPlain(templar.renderValue(value, vars, origin)));
      // `{{ user }}:{{ pw }}` is secret as a whole, not only its secret part
      if (tainted) secrets.addDerived(out);
      return out;
    } catch (err) {
      throw explain(err);
    }
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, vars, origin));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, vars, origin)]));
  }
  return value;
}

/** The engine's error as provision's: Jinja's words, the place, and the undefined name. */
function explain(err: unknown, condition?: string): TemplateError {
  if (err instanceof TemplateError) return err;
  if (err instanceof JinjaError) {
    const where = condition === undefined ? '' : ` in condition "${condition}"`;
    // Jinja names only the missing attribute ("'dict object' has no attribute 'port'"): add the path.
    const path = err.kind === 'undefined' && err.variable && !err.detail.includes(`'${err.variable}'`) ? ` ('${err.variable}')` : '';
    return new TemplateError(
      `${err.message}${path}${where}`,
      err.kind === 'undefined' ? (err.variable ?? undefined) : undefined,
      err.kind,
      err.location,
    );
  }
  if (err instanceof Error) return new TemplateError(`template error: ${err.message}`);
  return new TemplateError(`template error: ${String(err)}`);
}

/** The reads of a template text or of a whole `{{ expression }}`; undefined when it does not parse. */
export function readsOf(template: string): TemplateReads | undefined {
  try {
    return collectReads(env.parse(template, DEFAULT_ORIGIN).body);
  } catch (err) {
    if (err instanceof JinjaError) return undefined; // a syntax error is reported by the render itself
    throw err;
  }
}

/**
 * The first dotted name a template reads that `vars` does not define; names bound inside the
 * template are skipped, and with `skipGuarded` so are names it tests (`is defined`, `default`).
 */
export function findUndefined(template: string, vars: Vars, opts: { skipGuarded?: boolean } = {}): string | undefined {
  const reads = readsOf(template);
  if (!reads) return undefined;
  for (const path of reads.paths) {
    if (opts.skipGuarded && reads.guarded.has(path[0])) continue;
    if (!(path[0] in vars)) return path[0];
    let cur: unknown = vars[path[0]];
    for (const [i, key] of path.slice(1).entries()) {
      cur = getAttr(cur, key);
      if (isUndefined(cur)) return path.slice(0, i + 2).join('.');
    }
  }
  return undefined;
}

/** Top-level names a template tests (`is defined`, `default`): a `when` that does guards the task's loop too. */
export function guardedNames(template: string): Set<string> {
  return new Set(readsOf(template)?.guarded ?? []);
}

/** Top-level variable names a template reads without guarding them (`is defined`, `default`). */
export function referencedNames(template: string): string[] {
  const reads = readsOf(template);
  if (!reads) return [];
  return [...new Set(reads.paths.map((p) => p[0]))].filter((n) => !reads.guarded.has(n));
}
