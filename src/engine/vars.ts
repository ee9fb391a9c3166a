import type { Vars } from '../core/vars.js';
import { isTemplated, LAZY, renderString, renderValue, TemplateError } from '../template/render.js';

/**
 * Variable precedence, lowest first. Later layers win:
 *   inventory (group `all` < parent groups < child groups < host)
 *   < gathered facts < play `vars` < play `vars_files` < task `vars`
 *   < `register` and `set_fact` results < extra vars (`-e`).
 */
export interface VarLayers {
  inventory: Vars;
  facts: Vars;
  play: Vars;
  varsFiles: Vars;
  task: Vars;
  runtime: Vars;
  extra: Vars;
}

export function mergeLayers(l: VarLayers): Vars {
  return { ...l.inventory, ...l.facts, ...l.play, ...l.varsFiles, ...l.task, ...l.runtime, ...l.extra };
}

/**
 * Variables whose values may themselves be templates ("{{ base }}/bin"): each is rendered on first
 * use against the others, so a variable that is never used is never rendered (and cannot fail).
 */
export function lazyVars(raw: Vars): Vars {
  const out: Vars = {};
  Object.defineProperty(out, LAZY, { value: true, enumerable: false });
  const resolving = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    if (!containsTemplate(value)) {
      out[key] = value;
      continue;
    }
    let cached: { v: unknown } | undefined;
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get() {
        if (cached) return cached.v;
        if (resolving.has(key)) throw new TemplateError(`variable '${key}' refers to itself`, key);
        resolving.add(key);
        try {
          cached = { v: renderValue(value, out) };
        } catch (err) {
          if (err instanceof TemplateError) throw new TemplateError(`${err.message} (in variable '${key}')`, err.variable);
          throw err;
        } finally {
          resolving.delete(key);
        }
        return cached.v;
      },
    });
  }
  return out;
}

function containsTemplate(v: unknown): boolean {
  if (typeof v === 'string') return isTemplated(v);
  if (Array.isArray(v)) return v.some(containsTemplate);
  // A lazy view (hostvars) renders its own values when read: walking it would build every host's.
  if (v && typeof v === 'object' && (v as Record<symbol, unknown>)[LAZY]) return false;
  if (v && typeof v === 'object') return Object.values(v).some(containsTemplate);
  return false;
}

/** `-e key=value` and `-e @file` values, parsed by the CLI, merged in order. */
export function parseExtraVar(text: string): Vars {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`-e expects key=value or @file.yaml, got "${text}"`);
  return { [text.slice(0, eq)]: text.slice(eq + 1) };
}

/** A template file's text, rendered: its errors name the file, as variables' errors name the variable. */
export function renderTemplateFile(text: string, vars: Vars, origin: string): string {
  try {
    return renderString(text, vars);
  } catch (err) {
    if (err instanceof TemplateError) throw new TemplateError(`${err.message} (in template ${origin})`, err.variable);
    throw err;
  }
}
