import type { RoleContext } from '../config/scope.js';
import type { Vars } from '../core/vars.js';
import type { JinjaSettings } from '../jinja/header.js';
import { secrets } from '../secrets.js';
import { isTemplated, LAZY, renderString, renderValue, TemplateError } from '../template/render.js';

/**
 * Variable precedence, lowest first, as Ansible's documentation lists it. Later layers win:
 *   role defaults < inventory (group `all` < parent groups < child groups < host)
 *   < gathered facts < play `vars` < play `vars_files` < role vars < block and task `vars`
 *   < include_vars, `register` and `set_fact` results < role and include parameters < extra vars (`-e`).
 */
export interface VarLayers {
  /** defaults/ of every role of the play, then of the task's own role. */
  roleDefaults?: Vars;
  inventory: Vars;
  facts: Vars;
  play: Vars;
  varsFiles: Vars;
  /** vars/ of every role of the play, then of the task's own role. */
  roleVars?: Vars;
  task: Vars;
  runtime: Vars;
  /** Role parameters (`- role: x, port: 80`), include vars, role_name and role_path. */
  params?: Vars;
  extra: Vars;
}

export function mergeLayers(l: VarLayers): Vars {
  return {
    ...l.roleDefaults,
    ...l.inventory,
    ...l.facts,
    ...l.play,
    ...l.varsFiles,
    ...l.roleVars,
    ...l.task,
    ...l.runtime,
    ...l.params,
    ...l.extra,
  };
}

/** The role layers of a task: the play's roles are seen play-wide (Ansible's default), the task's own role wins among them. */
export function roleLayers(playRoles: readonly RoleContext[], own: RoleContext | undefined): { roleDefaults: Vars; roleVars: Vars } {
  const roles = own ? [...playRoles, own] : playRoles;
  return {
    roleDefaults: Object.assign({}, ...roles.map((r) => r.defaults)),
    roleVars: Object.assign({}, ...roles.map((r) => r.vars)),
  };
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
          cached = { v: renderValue(value, out, `variable '${key}'`) };
          // `db_password: "{{ base }}-x"`: the name makes the rendered value secret, not only the text
          secrets.collect(cached.v, key);
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
export function renderTemplateFile(text: string, vars: Vars, origin: string, syntax?: JinjaSettings): string {
  return renderString(text, vars, origin, syntax);
}
