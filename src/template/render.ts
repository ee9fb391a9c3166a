import { basename, dirname } from 'node:path';
import nunjucks from 'nunjucks';
import type { Vars } from '../config/inventory.js';
import { quote } from '../shell/quote.js';

/** A template that could not be rendered; `variable` names what was undefined. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

installJinjaSemantics();
const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, trimBlocks: true });
installAnsibleFilters(env);
installAnsibleTests(env);

/**
 * nunjucks copies the whole context (`lib.extend({}, ctx)`) before every render, which would force
 * every lazily rendered variable, used or not. For contexts marked LAZY it inherits instead of copying.
 */
export const LAZY = Symbol.for('provision.lazyVars');
const nlib = (nunjucks as unknown as { lib: { extend(a: object, b: object): object } }).lib;
const copyContext = nlib.extend;
nlib.extend = (a, b) =>
  b && (b as Record<symbol, unknown>)[LAZY] && a && Object.keys(a).length === 0 ? Object.create(b) : copyContext(a, b);

function captureContext(vars: Vars, capture: (v: unknown) => string): Vars {
  const ctx = Object.create(vars) as Vars & Record<symbol, unknown>;
  ctx[CAPTURE] = capture;
  Object.defineProperty(ctx, LAZY, { value: true, enumerable: false });
  return ctx;
}

const WHOLE_EXPRESSION = /^\s*\{\{((?:(?!\{\{|\}\}).)*)\}\}\s*$/s;
const CAPTURE = '__provision_capture';

export function isTemplated(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}

/** Render a template string to text, as Jinja2 would. */
export function renderString(template: string, vars: Vars): string {
  if (!isTemplated(template)) return template;
  try {
    return env.renderString(template, vars);
  } catch (err) {
    throw explain(err, template, vars);
  }
}

/**
 * Evaluate a Jinja2 expression to a native value, as Ansible does for a value that is one
 * whole `{{ expr }}`: lists stay lists, numbers stay numbers.
 */
export function evaluate(expression: string, vars: Vars): unknown {
  let captured: unknown;
  const ctx = captureContext(vars, (v: unknown) => {
    captured = v;
    return '';
  });
  try {
    env.renderString(`{{ ${CAPTURE}(${expression}) }}`, ctx);
  } catch (err) {
    throw explain(err, `{{ ${expression} }}`, vars);
  }
  if (captured === undefined) {
    const missing = findUndefined(`{{ ${expression} }}`, vars);
    throw new TemplateError(`undefined variable '${missing ?? expression.trim()}'`, missing ?? expression.trim());
  }
  return captured;
}

/** A `when:` condition: an undefined name is an error, unless the expression tests for it. */
export function evaluateCondition(expression: string | boolean, vars: Vars): boolean {
  if (typeof expression === 'boolean') return expression;
  const expr = expression.replace(/^\s*\{\{|\}\}\s*$/g, '');
  const missing = findUndefined(`{{ ${expr} }}`, vars, { skipGuarded: true });
  if (missing) throw new TemplateError(`undefined variable '${missing}' in condition "${expr.trim()}"`, missing);
  return truthy(evaluateLoose(expr, vars));
}

function evaluateLoose(expression: string, vars: Vars): unknown {
  let captured: unknown;
  const ctx = captureContext(vars, (v: unknown) => {
    captured = v;
    return '';
  });
  try {
    env.renderString(`{{ ${CAPTURE}(${expression}) }}`, ctx);
  } catch (err) {
    throw explain(err, expression, vars);
  }
  return captured;
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

/** Render every string inside a value; a string that is one whole expression keeps its native type. */
export function renderValue(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string') {
    if (!isTemplated(value)) return value;
    const whole = WHOLE_EXPRESSION.exec(value);
    const expression = whole?.[1];
    return expression !== undefined ? evaluate(expression, vars) : renderString(value, vars);
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, vars)]));
  }
  return value;
}

function explain(err: unknown, template: string, vars: Vars): TemplateError {
  const message = err instanceof Error ? err.message : String(err);
  if (/undefined|null/.test(message)) {
    const missing = findUndefined(template, vars);
    if (missing) return new TemplateError(`undefined variable '${missing}'`, missing);
  }
  const clean = message
    .replace(/^\(unknown path\)\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return new TemplateError(`template error: ${clean}`);
}

// nunjucks' parser is public at runtime but missing from its type definitions.
interface AstNode {
  typename: string;
  value?: unknown;
  target?: AstNode;
  val?: AstNode;
  name?: AstNode;
  [key: string]: unknown;
}
const parser = (nunjucks as unknown as { parser: { parse(src: string): AstNode } }).parser;

/** Jinja's constants parse as names. */
const JINJA_CONSTANTS = new Set(['True', 'False', 'None', 'true', 'false', 'none']);

/** What a template reads: dotted paths, minus names it binds itself, plus the names it guards. */
function collectReads(template: string): { paths: DottedPath[]; guarded: Set<string> } | undefined {
  let ast: AstNode;
  try {
    ast = parser.parse(template);
  } catch {
    return undefined; // a syntax error is reported by the renderer itself
  }
  const bound = new Set<string>(['loop', 'range', 'cycler', 'joiner', CAPTURE]);
  const guarded = new Set<string>();
  const paths: DottedPath[] = [];
  // Filter, test and function names are Symbols in the tree too, but they are not variables.
  const notVariables = new Set<AstNode>();
  const guard = (n: AstNode | undefined) => {
    const p = n && dottedPath(n);
    if (p) guarded.add(p[0]);
  };
  walk(ast, (node) => {
    if (node.typename === 'For' || node.typename === 'Set' || node.typename === 'Macro') {
      const targets = (node.typename === 'Set' ? (node.targets as AstNode[]) : [node.name]).filter(Boolean) as AstNode[];
      for (const t of targets) walk(t, (n) => n.typename === 'Symbol' && bound.add(String(n.value)));
    }
    if ((node.typename === 'Filter' || node.typename === 'FilterAsync' || node.typename === 'FunCall') && node.name) {
      notVariables.add(node.name);
      const filterName = String(node.name.value);
      if (node.typename !== 'FunCall' && (filterName === 'default' || filterName === 'd'))
        guard((node.args as { children: AstNode[] }).children[0]);
    }
    if (node.typename === 'Is' && node.right) {
      notVariables.add(node.right as AstNode);
      const test = String((node.right as AstNode).value);
      if (test === 'defined' || test === 'undefined' || test === 'none') guard(node.left as AstNode);
    }
    if (notVariables.has(node)) return;
    const path = dottedPath(node);
    if (path && !bound.has(path[0])) paths.push(path);
  });
  return { paths, guarded };
}

/**
 * The first dotted name a template reads that `vars` does not define; names bound inside the
 * template are skipped, and with `skipGuarded` so are names it tests (`is defined`, `default`).
 */
export function findUndefined(template: string, vars: Vars, opts: { skipGuarded?: boolean } = {}): string | undefined {
  const reads = collectReads(template);
  if (!reads) return undefined;
  for (const path of reads.paths) {
    if (opts.skipGuarded && reads.guarded.has(path[0])) continue;
    if (JINJA_CONSTANTS.has(path[0])) continue;
    let cur: unknown = vars;
    for (const [i, key] of path.entries()) {
      if (cur === null || cur === undefined || typeof cur !== 'object' || !(key in (cur as object))) {
        if (i === 0 || cur !== undefined) return path.slice(0, i + 1).join('.');
        break;
      }
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return undefined;
}

/** Top-level variable names a template reads without guarding them (`is defined`, `default`). */
export function referencedNames(template: string): string[] {
  const reads = collectReads(template);
  if (!reads) return [];
  return [...new Set(reads.paths.map((p) => p[0]))].filter((n) => !reads.guarded.has(n) && !JINJA_CONSTANTS.has(n));
}

/** A variable and the attributes read from it: never empty. */
type DottedPath = [string, ...string[]];

function dottedPath(node: AstNode): DottedPath | undefined {
  if (node.typename === 'Symbol') return [String(node.value)];
  if (node.typename === 'LookupVal' && node.target && node.val?.typename === 'Literal') {
    const base = dottedPath(node.target);
    return base ? [...base, String(node.val.value)] : undefined;
  }
  return undefined;
}

function walk(node: unknown, visit: (n: AstNode) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((n) => {
      walk(n, visit);
    });
    return;
  }
  const n = node as AstNode;
  if (typeof n.typename === 'string') visit(n);
  for (const [k, v] of Object.entries(n)) if (k !== 'typename' && v && typeof v === 'object') walk(v, visit);
}

/**
 * Jinja2 as Ansible users write it: True/False/None and Python methods (installJinjaCompat), and
 * `list + list` concatenating lists (nunjucks would emit JavaScript's `+`, joining them as strings).
 */
function installJinjaSemantics(): void {
  nunjucks.installJinjaCompat();
  const n = nunjucks as unknown as {
    runtime: Record<string, unknown>;
    compiler: {
      Compiler: {
        prototype: {
          compileAdd(node: unknown, frame: unknown): void;
          _emit(s: string): void;
          compile(node: unknown, frame: unknown): void;
        };
      };
    };
  };
  n.runtime.provisionAdd = (a: unknown, b: unknown) =>
    Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : (a as number) + (b as number);
  n.compiler.Compiler.prototype.compileAdd = function compileAdd(node: unknown, frame: unknown) {
    const left = (node as { left: unknown }).left;
    const right = (node as { right: unknown }).right;
    this._emit('runtime.provisionAdd(');
    this.compile(left, frame);
    this._emit(', ');
    this.compile(right, frame);
    this._emit(')');
  };
}

function installAnsibleFilters(e: nunjucks.Environment): void {
  e.addFilter('bool', (v: unknown) => truthy(v));
  e.addFilter('d', (v: unknown, dflt: unknown) => (v === undefined ? dflt : v));
  e.addFilter('to_json', (v: unknown) => JSON.stringify(v));
  e.addFilter('to_nice_json', (v: unknown) => JSON.stringify(v, null, 4));
  e.addFilter('quote', (v: unknown) => quote(String(v)));
  e.addFilter('basename', (v: string) => basename(v));
  e.addFilter('dirname', (v: string) => dirname(v));
  e.addFilter('regex_replace', (v: string, pattern: string, repl = '') =>
    String(v).replace(new RegExp(pattern, 'g'), repl.replace(/\\(\d)/g, '$$$1')),
  );
  e.addFilter('regex_search', (v: string, pattern: string) => new RegExp(pattern).exec(String(v))?.[0] ?? null);
  e.addFilter('ternary', (v: unknown, a: unknown, b: unknown) => (truthy(v) ? a : b));
  e.addFilter('b64encode', (v: string) => Buffer.from(String(v)).toString('base64'));
  e.addFilter('b64decode', (v: string) => Buffer.from(String(v), 'base64').toString('utf8'));
  e.addFilter('unique', (v: unknown[]) => [...new Set(v)]);
  e.addFilter('dict2items', (v: Record<string, unknown>) => Object.entries(v).map(([key, value]) => ({ key, value })));
  e.addFilter('mandatory', (v: unknown) => {
    if (v === undefined) throw new TemplateError('a mandatory variable is undefined');
    return v;
  });
  e.addFilter('map', (v: unknown[], ...args: unknown[]) => {
    const kw = args.find((a): a is { attribute: string } => typeof a === 'object' && a !== null && 'attribute' in a);
    if (kw) return v.map((x) => (x as Record<string, unknown>)[kw.attribute]);
    const name = args[0];
    if (typeof name === 'string') {
      const filter = e.getFilter(name) as (x: unknown, ...rest: unknown[]) => unknown;
      return v.map((x) => filter(x, ...args.slice(1)));
    }
    return v;
  });
}

/** Ansible's tests on a registered result: `until: r is success`, `when: r is changed`. */
function installAnsibleTests(env: nunjucks.Environment): void {
  // addTest exists at runtime but is missing from nunjucks' type definitions.
  const e = env as unknown as { addTest(name: string, test: (v: unknown) => boolean): void };
  const field = (r: unknown, k: string) => (r && typeof r === 'object' ? truthy((r as Record<string, unknown>)[k] ?? false) : false);
  const failed = (r: unknown) => field(r, 'failed');
  for (const name of ['success', 'succeeded']) e.addTest(name, (r: unknown) => !failed(r));
  for (const name of ['failed', 'failure']) e.addTest(name, failed);
  for (const name of ['changed', 'change']) e.addTest(name, (r: unknown) => field(r, 'changed'));
  for (const name of ['skipped', 'skip']) e.addTest(name, (r: unknown) => field(r, 'skipped'));
}
