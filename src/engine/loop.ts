/**
 * A task's loop as Ansible 2.14 runs it (TaskExecutor._get_loop_items, _run_loop and run): the
 * items, the variables each item sees, what each item's result carries, and the task's result
 * made of the items' results.
 */
import type { Vars } from '../config/inventory.js';
import { flagValue } from '../config/keywords.js';
import type { LoopControl, LoopSource } from '../config/loop.js';
import { formatLocation, ProvisionError, type SourceLocation } from '../errors.js';
import { JinjaError } from '../jinja/extension.js';
import { pyStr } from '../jinja/value.js';
import { evaluate, renderValue } from '../template/render.js';
import { lazyVars } from './vars.js';

/** loop_control with its templates decided for this host. */
export interface LoopSettings {
  loopVar: string;
  indexVar?: string;
  label?: string;
  pauseS: number;
  extended: boolean;
  extendedAllitems: boolean;
}

const TERMS = '__provision_loop_terms';

/** True for the error of a variable a template needs and no one defined (also once loopItems placed it). */
export function isUndefinedError(err: unknown): boolean {
  const jinja = err instanceof ProvisionError ? err.cause : err;
  return jinja instanceof JinjaError && jinja.kind === 'undefined';
}

/**
 * The items the loop runs over on this host. `module` picks first_found's subdirectory, as Ansible's
 * action name does. Errors say Ansible's words after the task's file:line:col.
 */
export function loopItems(source: LoopSource, rawVars: Vars, module: string, location: SourceLocation): unknown[] {
  const keyword = source.kind === 'list' ? 'loop' : `with_${source.lookup}`;
  try {
    return computeItems(source, rawVars, module, location);
  } catch (err) {
    if (!(err instanceof JinjaError)) throw err;
    // The place inside the one-line expression says nothing the task's place does not.
    const inner = err.location ? `${err.location.origin}:${err.location.line}:${err.location.col}: ` : '';
    const detail = inner && err.detail.startsWith(inner) ? err.detail.slice(inner.length) : err.detail;
    throw new ProvisionError('input', `${formatLocation(location)}: ${keyword}: ${detail}`, { location, cause: err });
  }
}

function computeItems(source: LoopSource, rawVars: Vars, module: string, location: SourceLocation): unknown[] {
  const vars = lazyVars(rawVars);
  if (source.kind === 'list') {
    const items = renderValue(source.value, vars, 'loop');
    if (!Array.isArray(items)) {
      throw new ProvisionError(
        'input',
        `${formatLocation(location)}: Invalid data passed to 'loop', it requires a list, got this instead: ${pyStr(items)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`,
        { location },
      );
    }
    return items;
  }
  const terms = lookupTerms(source, vars);
  const subdir = source.lookup === 'first_found' ? `, _subdir=${JSON.stringify(firstFoundSubdir(module))}` : '';
  const items = evaluate(
    `query(${JSON.stringify(source.lookup)}, *${TERMS}${subdir})`,
    lazyVars({ ...rawVars, [TERMS]: terms }),
    `with_${source.lookup}`,
  );
  return Array.isArray(items) ? items : [items];
}

/**
 * listify_lookup_plugin_terms: a string is rendered (and then one term), anything else rendered as
 * it is; first_found drops the terms it cannot render instead of failing.
 */
function lookupTerms(source: Extract<LoopSource, { kind: 'lookup' }>, vars: Vars): unknown {
  const origin = `with_${source.lookup}`;
  let terms: unknown;
  if (source.lookup === 'first_found' && Array.isArray(source.terms)) {
    terms = source.terms.flatMap((t) => {
      try {
        return [renderValue(t, vars, origin)];
      } catch (err) {
        if (isUndefinedError(err)) return [];
        throw err;
      }
    });
  } else terms = renderValue(typeof source.terms === 'string' ? source.terms.trim() : source.terms, vars, origin);
  if (typeof terms === 'string' || terms === null || typeof terms !== 'object') return [terms];
  // The dict lookup takes a mapping as its one term; the others iterate it, as Python does (its keys).
  return source.lookup === 'dict' && !Array.isArray(terms) ? [terms] : terms;
}

/** Ansible's choice of first_found's subdirectory from the action's name: templates/, vars/, else files/. */
function firstFoundSubdir(module: string): string {
  const hit = ['template', 'var', 'file'].find((s) => module.includes(s));
  return `${hit ?? 'file'}s`;
}

/** loop_control decided with the task's variables (before the items: Ansible's post_validate). */
export function loopSettings(loopVar: string, control: LoopControl | undefined, vars: Vars): LoopSettings {
  const flag = (v: boolean | string | undefined, keyword: string, dflt: boolean) =>
    v === undefined ? dflt : typeof v === 'boolean' ? v : flagValue(renderValue(v, vars, keyword), keyword);
  const pause = control?.pause === undefined ? 0 : Number(renderValue(control.pause, vars, 'loop_control.pause'));
  if (!Number.isFinite(pause) || pause < 0)
    throw new ProvisionError('input', `loop_control.pause must be a number of seconds, got ${pause}`);
  return {
    loopVar,
    indexVar: control?.indexVar,
    label: control?.label,
    pauseS: pause,
    extended: flag(control?.extended, 'loop_control.extended', false),
    extendedAllitems: flag(control?.extendedAllitems, 'loop_control.extended_allitems', true),
  };
}

/** ansible_loop for item i (loop_control.extended). */
function ansibleLoop(items: unknown[], i: number, allitems: boolean): Record<string, unknown> {
  const n = items.length;
  const loop: Record<string, unknown> = {
    index: i + 1,
    index0: i,
    first: i === 0,
    last: i + 1 === n,
    length: n,
    revindex: n - i,
    revindex0: n - i - 1,
  };
  if (allitems) loop.allitems = items;
  if (i + 1 < n) loop.nextitem = items[i + 1];
  if (i > 0) loop.previtem = items[i - 1];
  return loop;
}

/** The variables item i adds to the task's (loop variable, ansible_loop_var, index_var, ansible_loop); its result carries the same keys. */
export function itemVars(s: LoopSettings, items: unknown[], i: number): Vars {
  const v: Vars = { ansible_loop_var: s.loopVar, [s.loopVar]: items[i] };
  if (s.indexVar) Object.assign(v, { ansible_index_var: s.indexVar, [s.indexVar]: i });
  if (s.extended) v.ansible_loop = ansibleLoop(items, i, s.extendedAllitems);
  return v;
}

/**
 * The item as the output shows it: loop_control.label rendered with the item's variables (the item
 * itself without one). Undefined when the label cannot be rendered: Ansible fails the item then.
 */
export function itemLabel(s: LoopSettings, vars: Vars): { label: string } | { error: string } {
  try {
    return { label: shownLabel(s.label === undefined ? vars[s.loopVar] : renderValue(s.label, vars, 'loop_control.label')) };
  } catch (err) {
    if (!isUndefinedError(err)) throw err;
    const name = err instanceof JinjaError ? err.variable : undefined;
    return { error: `Failed to template loop_control.label: '${name ?? s.label}' is undefined` };
  }
}

/**
 * Ansible's label is the rendered value itself, printed by Python after a trip through JSON (so a
 * tuple prints as a list): `[{'name': 'alice'}, 'k1']`.
 */
function shownLabel(v: unknown): string {
  return typeof v === 'string' ? v : pyStr(JSON.parse(JSON.stringify(v ?? null)));
}

/** The result of a task (or item) its `when` skipped. */
export const SKIPPED_ITEM = { changed: false, skipped: true, skip_reason: 'Conditional result was False' } as const;

/** The task's registered result from its items' results, as TaskExecutor.run builds it. */
export function loopResult(results: Record<string, unknown>[]): Record<string, unknown> {
  if (results.length === 0) return { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] };
  const failed = results.some((r) => r.failed === true);
  const skipped = results.every((r) => r.skipped === true);
  const res: Record<string, unknown> = { results, changed: results.some((r) => r.changed === true), skipped };
  if (failed) Object.assign(res, { failed: true, msg: 'One or more items failed' });
  else res.msg = skipped ? 'All items skipped' : 'All items completed';
  return res;
}
