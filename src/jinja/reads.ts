/**
 * What a template reads, from its syntax tree: the dotted variable paths it uses, minus the names it
 * binds itself (`for`, `set`, macro arguments, imports) and the engine's globals, plus the names it
 * guards (`x is defined`, `x | default(...)`). The preflight check works from this.
 */
import type { Expr, Stmt, Target } from './ast.js';

/** A variable and the attributes read from it: never empty. */
export type DottedPath = [string, ...string[]];

/** A subscript whose key is decided at render time (`hostvars[host]`): any key. */
export const ANY_KEY = Symbol('any key');

/** A variable and every attribute or key read from it, a dynamic key as ANY_KEY: `hostvars[h].x` is [hostvars, ANY_KEY, x]. */
export type AccessPath = [string, ...(string | typeof ANY_KEY)[]];

export interface TemplateReads {
  paths: DottedPath[];
  guarded: Set<string>;
  /** The same reads, each as far as it goes past dynamic keys. */
  accesses: AccessPath[];
  /** The lookup plugins called (`lookup`, `query`, `q`), ANY_KEY when the name is computed. */
  lookups: (string | typeof ANY_KEY)[];
  /** Whether the template includes, imports or extends another template. */
  loadsTemplates: boolean;
}

/** Names that are never the user's variables. */
const ENGINE_NAMES = new Set([
  'loop',
  'self',
  'super',
  'caller',
  'varargs',
  'kwargs',
  'range',
  'dict',
  'namespace',
  'cycler',
  'joiner',
  'lipsum',
  'lookup',
  'query',
  'q',
]);
const GUARD_TESTS = new Set(['defined', 'undefined', 'none']);
const GUARD_FILTERS = new Set(['default', 'd', 'mandatory']);

export function collectReads(body: Stmt[] | Expr): TemplateReads {
  const bound = new Set<string>(ENGINE_NAMES);
  const guarded = new Set<string>();
  const paths: DottedPath[] = [];
  const accesses: AccessPath[] = [];
  const lookups: (string | typeof ANY_KEY)[] = [];
  let loadsTemplates = false;

  const bind = (t: Target) => {
    if (t.type === 'name') bound.add(t.name);
    else if (t.type === 'tuple') t.items.forEach(bind);
  };
  const guard = (e: Expr | undefined) => {
    const p = e && accessChain(e)?.path;
    if (p && !p.includes(ANY_KEY)) guarded.add(p[0]);
  };

  const expr = (e: Expr | undefined): void => {
    if (!e) return;
    const chain = accessChain(e);
    if (chain) {
      accesses.push(chain.path);
      // What findUndefined can check: the path up to the first dynamic key, then the keys' own reads.
      const dynamic = chain.path.indexOf(ANY_KEY);
      paths.push((dynamic < 0 ? chain.path : chain.path.slice(0, dynamic)) as DottedPath);
      chain.keys.forEach(expr);
      return;
    }
    switch (e.type) {
      case 'const':
      case 'name':
        return;
      case 'list':
      case 'tuple':
      case 'concat':
        e.items.forEach(expr);
        return;
      case 'dict':
        for (const i of e.items) {
          expr(i.key);
          expr(i.value);
        }
        return;
      case 'getattr':
        expr(e.node);
        return;
      case 'getitem':
        expr(e.node);
        expr(e.arg);
        return;
      case 'slice':
        expr(e.node);
        expr(e.start);
        expr(e.stop);
        expr(e.step);
        return;
      case 'call':
        if (e.node.type === 'name' && LOOKUP_CALLS.has(e.node.name)) {
          const plugin = e.call.args[0];
          lookups.push(plugin?.type === 'const' && typeof plugin.value === 'string' ? plugin.value : ANY_KEY);
        }
        expr(e.node);
        callArgs(e.call);
        return;
      case 'filter':
        if (GUARD_FILTERS.has(e.name)) guard(e.node);
        expr(e.node);
        callArgs(e.call);
        return;
      case 'test':
        if (GUARD_TESTS.has(e.name)) guard(e.node);
        expr(e.node);
        callArgs(e.call);
        return;
      case 'binop':
      case 'and':
      case 'or':
        expr(e.left);
        expr(e.right);
        return;
      case 'unary':
        expr(e.node);
        return;
      case 'compare':
        expr(e.first);
        for (const o of e.ops) expr(o.expr);
        return;
      case 'condexpr':
        expr(e.test);
        expr(e.yes);
        expr(e.no);
        return;
    }
  };
  const callArgs = (c: { args: Expr[]; kwargs: { value: Expr }[]; dynArgs?: Expr; dynKwargs?: Expr }) => {
    c.args.forEach(expr);
    for (const k of c.kwargs) expr(k.value);
    expr(c.dynArgs);
    expr(c.dynKwargs);
  };
  const stmts = (list: Stmt[] | undefined): void => {
    for (const s of list ?? []) stmt(s);
  };
  const stmt = (s: Stmt): void => {
    switch (s.type) {
      case 'output':
      case 'break':
      case 'continue':
        return;
      case 'print':
      case 'do':
        expr(s.expr);
        return;
      case 'if':
        for (const b of s.branches) {
          expr(b.test);
          stmts(b.body);
        }
        stmts(s.else);
        return;
      case 'for':
        bind(s.target);
        expr(s.iter);
        expr(s.filter);
        stmts(s.body);
        stmts(s.else);
        return;
      case 'set':
        if (s.target.type !== 'nsattr') bind(s.target);
        expr(s.expr);
        return;
      case 'setblock':
        if (s.target.type !== 'nsattr') bind(s.target);
        expr(s.filter);
        stmts(s.body);
        return;
      case 'macro':
      case 'callblock':
        if (s.type === 'macro') bound.add(s.macro.name);
        else expr(s.call);
        for (const p of s.macro.params) {
          bound.add(p.name);
          expr(p.default);
        }
        stmts(s.macro.body);
        return;
      case 'filterblock':
        expr(s.filter);
        stmts(s.body);
        return;
      case 'with':
        for (const t of s.targets) {
          bind(t.target);
          expr(t.expr);
        }
        stmts(s.body);
        return;
      case 'include':
      case 'extends':
        loadsTemplates = true;
        expr(s.template);
        return;
      case 'import':
        loadsTemplates = true;
        bound.add(s.target);
        expr(s.template);
        return;
      case 'fromimport':
        loadsTemplates = true;
        for (const n of s.names) bound.add(n.alias);
        expr(s.template);
        return;
      case 'block':
        stmts(s.body);
        return;
    }
  };

  if (Array.isArray(body)) stmts(body);
  else expr(body);
  const unbound = (p: AccessPath) => !bound.has(p[0]);
  return { paths: paths.filter(unbound), guarded, accesses: accesses.filter(unbound), lookups, loadsTemplates };
}

const LOOKUP_CALLS = new Set(['lookup', 'query', 'q']);

/**
 * `a`, `a.b`, `a['b']`, `a[k].b` as a path from a name, with the expressions of its dynamic keys;
 * anything else is not one.
 */
function accessChain(e: Expr): { path: AccessPath; keys: Expr[] } | undefined {
  if (e.type === 'name') return { path: [e.name], keys: [] };
  if (e.type === 'getattr') {
    const base = accessChain(e.node);
    return base && { path: [...base.path, e.attr], keys: base.keys };
  }
  if (e.type === 'getitem') {
    const base = accessChain(e.node);
    if (!base) return undefined;
    if (e.arg.type === 'const' && typeof e.arg.value === 'string') return { path: [...base.path, e.arg.value], keys: base.keys };
    return { path: [...base.path, ANY_KEY], keys: [...base.keys, e.arg] };
  }
  return undefined;
}
