/**
 * Renders a parsed template by walking its tree: Jinja2's scoping (loops and macros get their own
 * frames, `set` at the top level is seen by blocks), template inheritance, includes and imports.
 * Variables come from the caller's context object and are read one name at a time, so lazily
 * computed variables are only computed when a template reads them.
 */
import type { CallArgs, Expr, MacroDef, Pos, Stmt, Target } from './ast.js';
import type { CallContext, TaintHooks } from './extension.js';
import { JinjaError } from './extension.js';
import { getAttr, getItemOrAttr } from './methods.js';
import {
  binop,
  checkDefined,
  compareOp,
  dictKey,
  failUndefined,
  PyCallable,
  PyObject,
  printable,
  pyEq,
  pyIter,
  pyLen,
  runtime,
  sliceOf,
} from './python.js';
import { isMapping, isNumber, isUndefined, type Mapping, PlainUndefined, pyStr, pyTruthy, toNumber, tuple, Undefined } from './value.js';

/** What the evaluator needs from the environment (environment.ts implements it). */
export interface EnvironmentApi {
  filter(name: string): ((ctx: CallContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>) => unknown) | undefined;
  test(name: string): ((ctx: CallContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>) => boolean) | undefined;
  globals: Record<string, unknown>;
  /** Ansible's finalize: `{{ none }}` prints nothing. */
  noneAsEmpty: boolean;
  /** Secret tracking: every value read is reported, what a secret read produced is handed back. */
  taint?: TaintHooks;
  /** A template by name, searched beside `from` first; throws JinjaError when missing. */
  loadTemplate(name: string, from: string): LoadedTemplate | undefined;
  searchPaths: readonly string[];
  readFile(path: string): string;
  templateVars?: (path: string, fullpath: string) => Record<string, unknown>;
  renderSource(source: string, origin: string, context: object, extra?: Record<string, unknown>, settings?: Record<string, string>): string;
}

export interface LoadedTemplate {
  origin: string;
  body: Stmt[];
  blocks: Map<string, Stmt & { type: 'block' }>;
}

/** A scope: its own names, then the enclosing scope's, then the context object, then globals. */
export class Frame {
  readonly vars = new Map<string, unknown>();
  constructor(
    readonly parent: Frame | undefined,
    /** The caller's variables (never copied: lazy getters stay lazy). */
    readonly context: object | undefined,
  ) {}

  child(): Frame {
    return new Frame(this, this.context);
  }

  lookup(name: string, globals: Record<string, unknown>): unknown {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      if (f.vars.has(name)) return f.vars.get(name);
    }
    const ctx = this.context as Record<string, unknown> | undefined;
    if (ctx && name in ctx) {
      const v = ctx[name];
      return v === undefined ? new Undefined(name) : v;
    }
    if (Object.hasOwn(globals, name)) return globals[name];
    return new Undefined(name);
  }
}

class Namespace extends PyObject {
  [key: string]: unknown;
}

class LoopContext extends PyObject {
  index0 = 0;
  length: number;
  depth0: number;
  private lastChanged: unknown[] | undefined;
  readonly cycle: PyCallable;
  readonly changed: PyCallable;
  constructor(
    private readonly items: unknown[],
    depth0: number,
  ) {
    super();
    this.length = items.length;
    this.depth0 = depth0;
    this.cycle = new PyCallable('cycle', (args) => {
      if (!args.length) throw runtime('no items for cycling given');
      return args[this.index0 % args.length];
    });
    this.changed = new PyCallable('changed', (args) => {
      if (this.lastChanged && args.length === this.lastChanged.length && args.every((a, i) => pyEq(a, this.lastChanged?.[i]))) return false;
      this.lastChanged = args;
      return true;
    });
  }
  get index() {
    return this.index0 + 1;
  }
  get revindex() {
    return this.length - this.index0;
  }
  get revindex0() {
    return this.length - this.index0 - 1;
  }
  get first() {
    return this.index0 === 0;
  }
  get last() {
    return this.index0 === this.length - 1;
  }
  get depth() {
    return this.depth0 + 1;
  }
  get previtem() {
    return this.index0 > 0 ? this.items[this.index0 - 1] : new Undefined('previtem', 'there is no previous item');
  }
  get nextitem() {
    return this.index0 < this.length - 1 ? this.items[this.index0 + 1] : new Undefined('nextitem', 'there is no next item');
  }
}

/** A macro (or the `caller` of a call block): rendering its body with the arguments bound. */
class Macro extends PyCallable {
  constructor(
    readonly def: MacroDef,
    closure: Frame,
    r: Renderer,
  ) {
    super(def.name, (args, kwargs) => r.callMacro(def, closure, args, kwargs));
  }
}

interface BlockEntry {
  block: Stmt & { type: 'block' };
  template: LoadedTemplate;
}

class BreakSignal {}
class ContinueSignal {}

/** One render of one template (with its own block stacks for inheritance). */
export class Renderer {
  private readonly blockStacks = new Map<string, BlockEntry[]>();
  private template: LoadedTemplate;
  private readonly callContext: CallContext;
  private currentFrame: Frame;

  constructor(
    private readonly env: EnvironmentApi,
    template: LoadedTemplate,
    readonly root: Frame,
  ) {
    this.template = template;
    this.currentFrame = root;
    const resolve = (name: string) => this.read(this.currentFrame.lookup(name, this.env.globals));
    this.callContext = {
      resolve,
      render: (source, origin, extra, settings) => this.env.renderSource(source, origin, this.contextView(), extra, settings),
      // Ansible's search path for lookups: the role's directory, then the playbook's, from the variables
      // the engine sets for the task; then the environment's own.
      get searchPaths() {
        const dirs = ['role_path', 'playbook_dir'].map(resolve).filter((d): d is string => typeof d === 'string' && d !== '');
        return [...dirs, ...env.searchPaths];
      },
      readFile: (path) => env.readFile(path),
      templateVars: env.templateVars,
    };
  }

  /** The variables visible here as one object (for a template lookup): the context plus locals. */
  private contextView(): object {
    const view = Object.create(this.root.context ?? null) as Record<string, unknown>;
    const frames: Frame[] = [];
    for (let f: Frame | undefined = this.currentFrame; f; f = f.parent) frames.unshift(f);
    for (const f of frames) for (const [k, v] of f.vars) view[k] = v;
    return view;
  }

  /** Render the template, following `extends` up to the root template. */
  render(): string {
    const out: string[] = [];
    let tpl: LoadedTemplate | undefined = this.template;
    while (tpl) {
      this.template = tpl;
      for (const [name, block] of tpl.blocks) {
        const stack = this.blockStacks.get(name) ?? [];
        stack.push({ block, template: tpl });
        this.blockStacks.set(name, stack);
      }
      this.root.vars.set('self', this.selfObject());
      const parent = this.execTop(tpl.body, this.root, out);
      tpl = parent;
    }
    return out.join('');
  }

  private selfObject(): PyObject {
    const self = new PyObject() as PyObject & Record<string, unknown>;
    for (const name of this.blockStacks.keys()) {
      self[name] = new PyCallable(name, () => this.renderBlock(name, 0, this.root));
    }
    return self;
  }

  /** Top-level statements: after an `extends`, output stops and the parent template follows. */
  private execTop(body: Stmt[], frame: Frame, out: string[]): LoadedTemplate | undefined {
    let parent: LoadedTemplate | undefined;
    for (const stmt of body) {
      if (stmt.type === 'extends') {
        if (parent) throw this.located(runtime('extended multiple times'), stmt);
        const name = this.eval(stmt.template, frame);
        parent = this.load(name, stmt);
        continue;
      }
      if (parent) {
        if (stmt.type === 'output' || stmt.type === 'print' || stmt.type === 'block') continue;
        this.exec(stmt, frame, []);
      } else this.exec(stmt, frame, out);
    }
    return parent;
  }

  private load(name: unknown, at: Pos): LoadedTemplate {
    checkDefined(name);
    const names = Array.isArray(name) ? name : [name];
    for (const n of names) {
      if (typeof n !== 'string') continue;
      const t = this.env.loadTemplate(n, this.template.origin);
      if (t) return t;
    }
    const shown = Array.isArray(name) ? `[${names.map((n) => pyStr(n)).join(', ')}]` : pyStr(name);
    throw this.located(runtime(`the template file ${shown} could not be found`), at);
  }

  private located(err: JinjaError, at: Pos): JinjaError {
    return err.at({ origin: this.template.origin, line: at.line, col: at.col });
  }

  execBody(body: Stmt[], frame: Frame, out: string[]): void {
    for (const stmt of body) this.exec(stmt, frame, out);
  }

  private exec(stmt: Stmt, frame: Frame, out: string[]): void {
    try {
      this.execInner(stmt, frame, out);
    } catch (err) {
      if (err instanceof BreakSignal || err instanceof ContinueSignal) throw err;
      throw this.asJinjaError(err, stmt.type === 'print' ? stmt.expr : stmt);
    }
  }

  private asJinjaError(err: unknown, at: Pos): JinjaError {
    if (err instanceof JinjaError) return this.located(err, at);
    if (err instanceof RangeError) return this.located(runtime('maximum recursion depth exceeded'), at);
    return this.located(runtime(err instanceof Error ? err.message : String(err)), at);
  }

  private execInner(stmt: Stmt, frame: Frame, out: string[]): void {
    switch (stmt.type) {
      case 'output':
        out.push(stmt.text);
        return;
      case 'print': {
        const v = this.evalTracked(stmt.expr, frame);
        out.push(typeof v === 'string' ? v : v === null && this.env.noneAsEmpty ? '' : printable(v));
        return;
      }
      case 'if':
        for (const b of stmt.branches) {
          if (this.truth(this.eval(b.test, frame))) {
            this.execBody(b.body, frame, out);
            return;
          }
        }
        if (stmt.else) this.execBody(stmt.else, frame, out);
        return;
      case 'for':
        this.execFor(stmt, frame, out, this.evalTracked(stmt.iter, frame), 0);
        return;
      case 'set':
        this.assign(stmt.target, this.evalTracked(stmt.expr, frame), frame);
        return;
      case 'setblock': {
        const before = this.env.taint?.reads;
        const buf: string[] = [];
        this.execBody(stmt.body, frame.child(), buf);
        let v: unknown = buf.join('');
        if (stmt.filter) v = this.applyFilterChain(stmt.filter, v, frame);
        this.assign(stmt.target, this.taintIfRead(v, before), frame);
        return;
      }
      case 'macro':
        frame.vars.set(stmt.macro.name, new Macro(stmt.macro, frame, this));
        return;
      case 'callblock': {
        const caller = new Macro(stmt.macro, frame, this);
        const call = stmt.call as Expr & { type: 'call' };
        const callee = this.eval(call.node, frame);
        const { args, kwargs } = this.evalArgs(call.call, frame);
        kwargs.caller = caller;
        out.push(pyStr(this.callValue(callee, args, kwargs)));
        return;
      }
      case 'filterblock': {
        const buf: string[] = [];
        this.execBody(stmt.body, frame.child(), buf);
        out.push(pyStr(this.applyFilterChain(stmt.filter, buf.join(''), frame)));
        return;
      }
      case 'with': {
        const inner = frame.child();
        for (const t of stmt.targets) this.assign(t.target, this.evalTracked(t.expr, frame), inner);
        this.execBody(stmt.body, inner, out);
        return;
      }
      case 'include': {
        const name = this.eval(stmt.template, frame);
        let tpl: LoadedTemplate;
        try {
          tpl = this.load(name, stmt);
        } catch (err) {
          if (stmt.ignoreMissing) return;
          throw err;
        }
        const f = stmt.withContext ? frame.child() : new Frame(undefined, undefined);
        out.push(new Renderer(this.env, tpl, f).render());
        return;
      }
      case 'import': {
        const tpl = this.load(this.eval(stmt.template, frame), stmt);
        frame.vars.set(stmt.target, this.importModule(tpl, stmt.withContext ? frame : undefined));
        return;
      }
      case 'fromimport': {
        const tpl = this.load(this.eval(stmt.template, frame), stmt);
        const mod = this.importModule(tpl, stmt.withContext ? frame : undefined) as PyObject & Record<string, unknown>;
        for (const { name, alias } of stmt.names) {
          frame.vars.set(
            alias,
            name in mod ? mod[name] : new Undefined(name, `the template ${pyStr(tpl.origin)} does not export the requested name '${name}'`),
          );
        }
        return;
      }
      case 'extends':
        throw runtime('extends must be at the top level of a template');
      case 'block':
        out.push(this.renderBlock(stmt.name, 0, stmt.scoped ? frame : this.root));
        return;
      case 'do':
        this.eval(stmt.expr, frame);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  private importModule(tpl: LoadedTemplate, withContext: Frame | undefined): PyObject {
    const f = withContext ? withContext.child() : new Frame(undefined, undefined);
    const r = new Renderer(this.env, tpl, f);
    r.render();
    const mod = new PyObject() as PyObject & Record<string, unknown>;
    for (const [k, v] of f.vars) if (!k.startsWith('_') && k !== 'self') mod[k] = v;
    return mod;
  }

  private renderBlock(name: string, level: number, frame: Frame): string {
    const stack = this.blockStacks.get(name);
    const entry = stack?.[level];
    if (!entry) throw runtime(`there is no parent block called '${name}'.`);
    const f = frame.child();
    f.vars.set('super', new PyCallable('super', () => this.renderBlock(name, level + 1, frame)));
    const out: string[] = [];
    const saved = this.template;
    this.template = entry.template;
    try {
      this.execBody(entry.block.body, f, out);
    } finally {
      this.template = saved;
    }
    return out.join('');
  }

  private execFor(stmt: Stmt & { type: 'for' }, frame: Frame, out: string[], iterable: unknown, depth0: number): void {
    let items = pyIter(iterable);
    const inner = frame.child();
    if (stmt.filter) {
      const filter = stmt.filter;
      items = items.filter((item) => {
        this.assign(stmt.target, item, inner);
        return this.truth(this.eval(filter, inner));
      });
    }
    if (items.length === 0) {
      if (stmt.else) this.execBody(stmt.else, frame, out);
      return;
    }
    const loop = new LoopContext(items, depth0);
    if (stmt.recursive) {
      const recurse = new PyCallable('loop', (args) => {
        const buf: string[] = [];
        this.execFor(stmt, frame, buf, args[0], depth0 + 1);
        return buf.join('');
      });
      Object.defineProperty(loop, 'call', { value: recurse });
    }
    inner.vars.set('loop', loop);
    for (let i = 0; i < items.length; i++) {
      loop.index0 = i;
      this.assign(stmt.target, items[i], inner);
      try {
        this.execBody(stmt.body, inner, out);
      } catch (err) {
        if (err instanceof BreakSignal) break;
        if (err instanceof ContinueSignal) continue;
        throw err;
      }
    }
  }

  private assign(target: Target, value: unknown, frame: Frame): void {
    switch (target.type) {
      case 'name':
        frame.vars.set(target.name, value);
        return;
      case 'nsattr': {
        const ns = frame.lookup(target.name, this.env.globals);
        if (!(ns instanceof Namespace)) throw runtime(`can only set attributes on namespace objects`);
        ns[target.attr] = value;
        return;
      }
      case 'tuple': {
        const items = pyIter(checkDefined(value));
        if (items.length !== target.items.length) {
          throw runtime(
            items.length > target.items.length
              ? `too many values to unpack (expected ${target.items.length})`
              : `not enough values to unpack (expected ${target.items.length}, got ${items.length})`,
          );
        }
        target.items.forEach((t, i) => {
          this.assign(t, items[i], frame);
        });
      }
    }
  }

  callMacro(def: MacroDef, closure: Frame, args: unknown[], kwargs: Record<string, unknown>): string {
    const f = closure.child();
    const rest = { ...kwargs };
    def.params.forEach((p, i) => {
      let v: unknown;
      if (i < args.length) v = args[i];
      else if (Object.hasOwn(rest, p.name)) {
        v = rest[p.name];
      } else if (p.default) v = this.eval(p.default, f);
      else v = new Undefined(p.name, `parameter '${p.name}' was not provided`);
      delete rest[p.name];
      f.vars.set(p.name, v);
    });
    const extra = args.slice(def.params.length);
    if (extra.length && !def.usesVarargs) throw runtime(`macro '${def.name}' takes not more than ${def.params.length} argument(s)`);
    if ('caller' in rest && !def.usesCaller && def.name !== 'caller') {
      // Jinja passes caller only to macros that use it.
      delete rest.caller;
    }
    if ('caller' in rest) {
      f.vars.set('caller', rest.caller);
      delete rest.caller;
    }
    const unknown = Object.keys(rest);
    if (unknown.length && !def.usesKwargs) throw runtime(`macro '${def.name}' takes no keyword argument '${unknown[0]}'`);
    f.vars.set('varargs', tuple(extra));
    f.vars.set('kwargs', rest);
    const out: string[] = [];
    this.execBody(def.body, f, out);
    return out.join('');
  }

  truth(v: unknown): boolean {
    if (v instanceof Undefined && !(v instanceof PlainUndefined)) failUndefined(v);
    return pyTruthy(v);
  }

  // ---- expressions ----

  /** A value read from a variable, an attribute or an item: reported for secret tracking. */
  private read(v: unknown): unknown {
    this.env.taint?.read(v);
    return v;
  }

  /**
   * An expression whose value is printed or bound to a name: when it read a secret, its value is
   * secret too, so that a later read of the name, or a line of the output, is known to hold one.
   */
  private evalTracked(e: Expr, frame: Frame): unknown {
    return this.taintIfRead(this.eval(e, frame), this.env.taint?.reads);
  }

  private taintIfRead(v: unknown, readsBefore: number | undefined): unknown {
    const taint = this.env.taint;
    // a bool or a number (`pw is defined`, `pw | length`) says too little to mask everywhere it prints
    if (taint && taint.reads !== readsBefore && typeof v !== 'boolean' && !isNumber(v)) taint.derived(v);
    return v;
  }

  /**
   * A dotted path (`item.name`, `db['host']`): only the value at its end counts as read, so that
   * the plain name beside a password in the same dict stays plain.
   */
  private evalPath(e: Expr, frame: Frame): unknown {
    switch (e.type) {
      case 'name':
        return frame.lookup(e.name, this.env.globals);
      case 'getattr': {
        const base = this.evalPath(e.node, frame);
        return namedUndefined(getAttr(base, e.attr), base, e);
      }
      case 'getitem': {
        const base = this.evalPath(e.node, frame);
        return namedUndefined(getItemOrAttr(base, this.eval(e.arg, frame)), base, e);
      }
      default:
        return this.eval(e, frame);
    }
  }

  private methodOf(e: Expr & { type: 'getattr' }, frame: Frame): unknown {
    const base = this.eval(e.node, frame);
    return namedUndefined(getAttr(base, e.attr), base, e);
  }

  eval(e: Expr, frame: Frame): unknown {
    switch (e.type) {
      case 'const':
        return e.value;
      case 'name': {
        if (e.name === 'loop') {
          const v = frame.lookup('loop', this.env.globals);
          return v;
        }
        return this.read(frame.lookup(e.name, this.env.globals));
      }
      case 'getattr':
      case 'getitem':
        return this.read(this.evalPath(e, frame));
      case 'slice': {
        const v = this.eval(e.node, frame);
        const num = (x: Expr | undefined) => (x ? this.eval(x, frame) : undefined);
        return sliceOf(v, num(e.start), num(e.stop), num(e.step));
      }
      case 'list':
        return e.items.map((x) => this.eval(x, frame));
      case 'tuple':
        return tuple(e.items.map((x) => this.eval(x, frame)));
      case 'dict': {
        const d: Mapping = {};
        for (const { key, value } of e.items) d[dictKey(checkDefined(this.eval(key, frame)))] = this.eval(value, frame);
        return d;
      }
      case 'binop':
        return binop(e.op, this.eval(e.left, frame), this.eval(e.right, frame));
      case 'unary': {
        const v = this.eval(e.node, frame);
        if (e.op === 'not') return !this.truth(v);
        checkDefined(v);
        if (!isNumber(v) && typeof v !== 'boolean')
          throw runtime(`bad operand type for unary ${e.op}: '${typeof v === 'string' ? 'str' : 'object'}'`);
        return e.op === '-' ? binop('*', v, -1) : v;
      }
      case 'and': {
        const l = this.eval(e.left, frame);
        return this.truth(l) ? this.eval(e.right, frame) : l;
      }
      case 'or': {
        const l = this.eval(e.left, frame);
        return this.truth(l) ? l : this.eval(e.right, frame);
      }
      case 'compare': {
        let left = this.eval(e.first, frame);
        for (const { op, expr } of e.ops) {
          const right = this.eval(expr, frame);
          if (!compareOp(op, left, right)) return false;
          left = right;
        }
        return true;
      }
      case 'concat':
        return e.items.map((x) => printable(this.eval(x, frame))).join('');
      case 'condexpr':
        if (this.truth(this.eval(e.test, frame))) return this.eval(e.yes, frame);
        return e.no
          ? this.eval(e.no, frame)
          : new PlainUndefined('', `the inline if-expression on line ${e.line} evaluated to false and no else section was defined.`);
      case 'call': {
        if (e.node.type === 'name' && e.node.name === 'loop') {
          const loop = frame.lookup('loop', this.env.globals) as { call?: PyCallable };
          const { args, kwargs } = this.evalArgs(e.call, frame);
          if (loop?.call) return loop.call.fn(args, kwargs);
        }
        const before = this.env.taint?.reads;
        // a method (`pw.upper()`) reads the object it belongs to
        const callee = e.node.type === 'getattr' ? this.methodOf(e.node, frame) : this.eval(e.node, frame);
        const { args, kwargs } = this.evalArgs(e.call, frame);
        this.currentFrame = frame;
        return this.taintIfRead(this.callValue(callee, args, kwargs), before);
      }
      case 'filter': {
        // Each step of a chain is registered: an error further on may quote it (`pw | upper | from_json`).
        const before = this.env.taint?.reads;
        return this.taintIfRead(this.applyFilter(e, e.node ? this.eval(e.node, frame) : undefined, frame), before);
      }
      case 'test': {
        const test = this.env.test(e.name);
        if (!test) throw new JinjaError('syntax', `no test named '${e.name}'`);
        const v = this.eval(e.node, frame);
        const { args, kwargs } = this.evalArgs(e.call, frame);
        this.currentFrame = frame;
        return test(this.callContext, v, args, kwargs);
      }
    }
  }

  private callValue(callee: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown {
    if (callee instanceof PyCallable) return callee.fn(args, kwargs, this.callContext);
    if (callee instanceof Undefined) failUndefined(callee);
    throw runtime(`'${typeName(callee)}' object is not callable`);
  }

  evalArgs(call: CallArgs, frame: Frame): { args: unknown[]; kwargs: Record<string, unknown> } {
    const args = call.args.map((a) => this.eval(a, frame));
    const kwargs: Record<string, unknown> = {};
    for (const k of call.kwargs) kwargs[k.name] = this.eval(k.value, frame);
    if (call.dynArgs) args.push(...pyIter(this.eval(call.dynArgs, frame)));
    if (call.dynKwargs) {
      const d = this.eval(call.dynKwargs, frame);
      if (!isMapping(d)) throw runtime('argument after ** must be a mapping');
      Object.assign(kwargs, d);
    }
    return { args, kwargs };
  }

  private applyFilter(e: Expr & { type: 'filter' }, value: unknown, frame: Frame): unknown {
    const f = this.env.filter(e.name);
    if (!f) throw new JinjaError('syntax', `no filter named '${e.name}'`);
    const { args, kwargs } = this.evalArgs(e.call, frame);
    this.currentFrame = frame;
    return f(this.callContext, value, args, kwargs);
  }

  /** A filter chain parsed without its input (`{% filter upper %}`, `{% set x | trim %}`). */
  private applyFilterChain(chain: Expr, value: unknown, frame: Frame): unknown {
    if (chain.type !== 'filter') return value;
    const input = chain.node ? this.applyFilterChain(chain.node, value, frame) : value;
    return this.applyFilter(chain, input, frame);
  }
}

/** A missing attribute's Undefined names the whole path read (`cfg.port`), for error messages. */
function namedUndefined(v: unknown, base: unknown, e: Expr): unknown {
  if (!(v instanceof Undefined) || v === base) return v;
  const path = pathText(e);
  return path ? new Undefined(path, v.hint) : v;
}

function pathText(e: Expr): string | undefined {
  if (e.type === 'name') return e.name;
  if (e.type === 'getattr') {
    const base = pathText(e.node);
    return base && `${base}.${e.attr}`;
  }
  if (e.type === 'getitem' && e.arg.type === 'const') {
    const base = pathText(e.node);
    const k = e.arg.value;
    return base && (typeof k === 'string' ? `${base}.${k}` : `${base}[${pyStr(k)}]`);
  }
  return undefined;
}

function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (isNumber(v)) return Number.isInteger(toNumber(v)) && typeof v === 'number' ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  if (isMapping(v)) return 'dict';
  return 'object';
}

export { isUndefined, Namespace, pyLen };
