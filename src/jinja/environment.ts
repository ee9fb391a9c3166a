/**
 * The Jinja2 environment: options, filters/tests/lookups (Jinja's built-ins with Ansible's merged
 * over them), globals, the template loader (beside the including template, then the search path)
 * and the parse cache (one parse per distinct source and options).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Expr } from './ast.js';
import { type EnvironmentApi, Frame, type LoadedTemplate, Namespace, Renderer } from './evaluator.js';
import { type CallContext, type Extensions, type Filter, JinjaError, type Lookup, type TaintHooks, type Test } from './extension.js';
import { builtinFilters } from './filters.js';
import { type JinjaSettings, readHeader, withSettings } from './header.js';
import { DEFAULT_LEX_OPTIONS, type LexOptions, SyntaxErrorAt } from './lexer.js';
import { parseExpression, parseTemplate } from './parser.js';
import { checkDefined, PyCallable, PyObject, pyIter, runtime } from './python.js';
import { builtinTests } from './tests.js';
import { isMapping, pyStr, toNumber } from './value.js';

export interface EnvironmentOptions {
  /** Directories where `include`/`import`/`extends` find templates after the including template's own directory. */
  searchPaths?: readonly string[];
  extensions?: Extensions;
  lex?: Partial<LexOptions>;
  /** Print None as nothing (Ansible's finalize) instead of "None". */
  noneAsEmpty?: boolean;
  /** Secret tracking (none: templates know nothing of secrets). */
  taint?: TaintHooks;
  /**
   * How templates read controller files (include, import, extends; the file and template lookups):
   * the caller notes them as inputs of the run. Default: read the file.
   */
  readFile?: (path: string) => string;
  /** The variables Ansible gives a template file the template lookup renders (template_*, ansible_managed). */
  templateVars?: (path: string, fullpath: string) => Record<string, unknown>;
}

const CACHE_LIMIT = 4000;
const FQCN = /^ansible\.(builtin|legacy)\./;

export class Environment {
  readonly filters: Record<string, Filter>;
  readonly tests: Record<string, Test>;
  readonly lookups: Record<string, Lookup>;
  readonly globals: Record<string, unknown>;
  readonly searchPaths: readonly string[];
  readonly lexOptions: LexOptions;
  readonly noneAsEmpty: boolean;
  readonly taint: TaintHooks | undefined;
  readonly readFile: (path: string) => string;
  readonly templateVars: ((path: string, fullpath: string) => Record<string, unknown>) | undefined;
  private readonly templateCache = new Map<string, LoadedTemplate>();
  private readonly exprCache = new Map<string, Expr>();

  constructor(opts: EnvironmentOptions = {}) {
    const ext = opts.extensions ?? { filters: {}, tests: {}, lookups: {} };
    this.lexOptions = { ...DEFAULT_LEX_OPTIONS, ...opts.lex };
    this.searchPaths = opts.searchPaths ?? [];
    this.noneAsEmpty = opts.noneAsEmpty ?? false;
    this.taint = opts.taint;
    this.readFile = opts.readFile ?? ((path) => readFileSync(path, 'utf8'));
    this.templateVars = opts.templateVars;
    const filter = (n: string) => this.filter(n);
    const test = (n: string) => this.test(n);
    this.filters = { ...builtinFilters(filter, test), ...ext.filters };
    this.tests = { ...builtinTests(filter, test), ...ext.tests };
    this.lookups = { ...ext.lookups };
    this.globals = makeGlobals(this);
  }

  filter(name: string): Filter | undefined {
    return lookupName(this.filters, name);
  }

  test(name: string): Test | undefined {
    return lookupName(this.tests, name);
  }

  lookup(name: string): Lookup | undefined {
    return lookupName(this.lookups, name);
  }

  /** Parse (or take from the cache) a template source with the given options. */
  parse(source: string, origin: string, lex: LexOptions = this.lexOptions): LoadedTemplate {
    const key = `${lexKey(lex)}\u0000${origin}\u0000${source}`;
    let t = this.templateCache.get(key);
    if (!t) {
      try {
        const ast = parseTemplate(source, lex);
        this.checkNames(ast.body);
        t = { origin, body: ast.body, blocks: ast.blocks };
      } catch (err) {
        throw locate(err, origin);
      }
      if (this.templateCache.size >= CACHE_LIMIT) this.templateCache.clear();
      this.templateCache.set(key, t);
    }
    return t;
  }

  parseExpression(source: string, origin: string): Expr {
    let e = this.exprCache.get(source);
    if (!e) {
      try {
        e = parseExpression(source, this.lexOptions);
        this.checkNames(e);
      } catch (err) {
        throw locate(err, origin);
      }
      if (this.exprCache.size >= CACHE_LIMIT) this.exprCache.clear();
      this.exprCache.set(source, e);
    }
    return e;
  }

  /** Jinja resolves filter and test names when it compiles a template: an unknown one is a syntax error. */
  private checkNames(node: unknown): void {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) this.checkNames(n);
      return;
    }
    const n = node as { type?: unknown; name?: unknown; line?: number; col?: number };
    if ((n.type === 'filter' || n.type === 'test') && typeof n.name === 'string') {
      const known = n.type === 'filter' ? this.filter(n.name) : this.test(n.name);
      if (!known) throw new SyntaxErrorAt(`no ${n.type} named '${n.name}'`, n.line ?? 0, n.col ?? 0);
    }
    for (const v of Object.values(node)) if (v && typeof v === 'object') this.checkNames(v);
  }

  /** Render a template source with `context` (read name by name, never copied). */
  render(source: string, context: object, origin: string, lex: LexOptions = this.lexOptions): string {
    const tpl = this.parse(source, origin, lex);
    return new Renderer(this.api(lex), tpl, new Frame(undefined, context)).render();
  }

  /** Evaluate one expression to its value. */
  evaluate(source: string, context: object, origin: string): unknown {
    const expr = this.parseExpression(source, origin);
    const tpl: LoadedTemplate = { origin, body: [], blocks: new Map() };
    const r = new Renderer(this.api(this.lexOptions), tpl, new Frame(undefined, context));
    try {
      return r.eval(expr, r.root);
    } catch (err) {
      if (err instanceof JinjaError) throw err.at({ origin, line: expr.line, col: expr.col });
      throw err;
    }
  }

  private api(lex: LexOptions): EnvironmentApi {
    return {
      filter: (n) => this.filter(n),
      test: (n) => this.test(n),
      globals: this.globals,
      noneAsEmpty: this.noneAsEmpty,
      taint: this.taint,
      searchPaths: this.searchPaths,
      readFile: this.readFile,
      templateVars: this.templateVars,
      loadTemplate: (name, from) => this.loadTemplate(name, from, lex),
      renderSource: (source, origin, context, extra, settings) => {
        const ctx = extra ? Object.assign(Object.create(context), extra) : context;
        // A template file renders in Ansible's environment, not in the calling template's settings.
        return this.renderFile(source, ctx, origin, settings);
      },
    };
  }

  /** A template file's text as Ansible renders it: the environment's settings changed by `settings`, then by its `#jinja2:` header. */
  renderFile(source: string, context: object, origin: string, settings: JinjaSettings = {}): string {
    const own = readHeader(source, origin, withSettings(this.lexOptions, settings));
    return this.render(own.body, context, origin, own.lex);
  }

  /** A template file by name: beside the including template first, then along the search path. */
  loadTemplate(name: string, from: string, lex: LexOptions = this.lexOptions): LoadedTemplate | undefined {
    const dirs = isAbsolute(name) ? [''] : [...(isAbsolute(from) ? [dirname(from)] : []), ...this.searchPaths];
    for (const dir of dirs) {
      const path = dir ? join(dir, name) : name;
      let source: string;
      try {
        if (!statSync(path).isFile()) continue;
        source = this.readFile(path);
      } catch {
        continue; // not in this directory: try the next one
      }
      return this.parse(source, path, lex);
    }
    return undefined;
  }
}

function lookupName<T>(table: Record<string, T>, name: string): T | undefined {
  if (Object.hasOwn(table, name)) return table[name];
  const short = name.replace(FQCN, '');
  return short !== name && Object.hasOwn(table, short) ? table[short] : undefined;
}

function lexKey(o: LexOptions): string {
  return [
    o.blockStart,
    o.blockEnd,
    o.variableStart,
    o.variableEnd,
    o.commentStart,
    o.commentEnd,
    o.trimBlocks,
    o.lstripBlocks,
    o.keepTrailingNewline,
    o.newlineSequence,
  ].join('\u0001');
}

function locate(err: unknown, origin: string): unknown {
  if (err instanceof SyntaxErrorAt) return err.at({ origin, line: err.line, col: err.col });
  return err;
}

class Cycler extends PyObject {
  private pos = 0;
  readonly next: PyCallable;
  readonly reset: PyCallable;
  constructor(private readonly items: unknown[]) {
    super();
    this.next = new PyCallable('next', () => {
      const v = this.items[this.pos];
      this.pos = (this.pos + 1) % this.items.length;
      return v;
    });
    this.reset = new PyCallable('reset', () => {
      this.pos = 0;
      return null;
    });
  }
  get current() {
    return this.items[this.pos];
  }
}

const LOREM =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');

function makeGlobals(env: Environment): Record<string, unknown> {
  const range = new PyCallable('range', (args) => {
    const n = args.map((a) => toNumber(checkDefined(a)) as number);
    const [start, stop, step] = n.length === 1 ? [0, n[0] as number, 1] : [n[0] as number, n[1] as number, n[2] ?? 1];
    if (step === 0) throw runtime('range() arg 3 must not be zero');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
    if (out.length > 100000) throw runtime('Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).');
    return out;
  });
  const lookupCall = (asList: boolean) =>
    new PyCallable(asList ? 'query' : 'lookup', (args, kwargs, ctx) => {
      const [name, ...terms] = args;
      if (typeof name !== 'string') throw runtime('lookup name must be a string');
      const plugin = env.lookup(name);
      // Ansible raises a plain AnsibleError here, not Jinja's unknown-name error.
      if (!plugin) throw new JinjaError('runtime', `lookup plugin (${name}) not found`);
      const { wantlist, errors, ...rest } = kwargs;
      let ran: unknown[];
      try {
        ran = plugin(ctx ?? emptyContext(env), terms, rest);
      } catch (err) {
        if (errors === 'ignore' || errors === 'warn') return null;
        throw err;
      }
      // Ansible joins only a non-empty result: a lookup that found nothing gives lookup() [].
      if (asList || wantlist === true || ran.length === 0) return ran;
      if (ran.every((x) => typeof x === 'string')) return ran.join(',');
      return ran.length === 1 ? ran[0] : ran;
    });
  return {
    range,
    dict: new PyCallable('dict', (args, kwargs) => {
      const out: Record<string, unknown> = {};
      if (args[0] !== undefined) {
        if (isMapping(args[0])) Object.assign(out, args[0]);
        else for (const pair of pyIter(args[0])) out[pyStr((pair as unknown[])[0])] = (pair as unknown[])[1];
      }
      return Object.assign(out, kwargs);
    }),
    namespace: new PyCallable('namespace', (args, kwargs) => {
      const ns = new Namespace();
      if (isMapping(args[0])) Object.assign(ns, args[0]);
      Object.assign(ns, kwargs);
      return ns;
    }),
    cycler: new PyCallable('cycler', (args) => new Cycler(args)),
    joiner: new PyCallable('joiner', (args) => {
      const sep = args[0] === undefined ? ', ' : pyStr(args[0]);
      let used = false;
      return new PyCallable('joiner', () => {
        if (used) return sep;
        used = true;
        return '';
      });
    }),
    lipsum: new PyCallable('lipsum', (args) => {
      const n = toNumber(args[0]) ?? 5;
      return Array.from({ length: n }, () => LOREM.join(' ')).join('\n\n');
    }),
    lookup: lookupCall(false),
    query: lookupCall(true),
    q: lookupCall(true),
  };
}

function emptyContext(env: Environment): CallContext {
  return {
    resolve: () => undefined,
    render: (source, origin, extra, settings) => env.renderFile(source, extra ?? {}, origin, settings),
    searchPaths: env.searchPaths,
    readFile: env.readFile,
    templateVars: env.templateVars,
  };
}
