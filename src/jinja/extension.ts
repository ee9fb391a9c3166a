/**
 * How filters, tests and lookups plug into the template engine. They take and return values of the
 * model in value.ts; they throw JinjaError with Jinja's or Ansible's words, and the engine adds the
 * template file, line and column.
 */
import { isUndefined, type Undefined } from './value.js';

/** What went wrong, in the categories Ansible reports (the conformance set compares these). */
export type JinjaErrorKind = 'syntax' | 'undefined' | 'unknown-name' | 'runtime';

/** Where in a template an error happened; `origin` is the template's file name or the task that holds it. */
export interface TemplateLocation {
  origin: string;
  line: number;
  col: number;
}

export class JinjaError extends Error {
  /** Set by the engine once, where the error surfaced; the message then starts with it. */
  location?: TemplateLocation;
  /** The message without the location. */
  readonly detail: string;

  constructor(
    readonly kind: JinjaErrorKind,
    message: string,
    /** The undefined name, when kind is 'undefined'. */
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'JinjaError';
    this.detail = message;
  }

  /** Attach the place (only the innermost, first one counts). */
  at(location: TemplateLocation): this {
    if (!this.location) {
      this.location = location;
      this.message = `${location.origin}:${location.line}:${location.col}: ${this.detail}`;
    }
    return this;
  }
}

/** What a filter, test or lookup may ask of the render it runs in. */
/**
 * How the caller tracks secrets through templates (taint): the engine reports every value a template
 * reads, and hands back what an expression produced after reading a secret, so that it is secret too.
 */
export interface TaintHooks {
  /** A value the template read (a variable, an attribute, an item). */
  read(value: unknown): void;
  /** How many secret values were read so far: compared before and after an expression. */
  readonly reads: number;
  /** A value produced by an expression that read a secret. */
  derived(value: unknown): void;
}

export interface CallContext {
  /** A variable as the template sees it (an Undefined when it has none). */
  resolve(name: string): unknown;
  /**
   * Render a template file's text (its `#jinja2:` header honoured) with the current variables plus
   * `extra`, under the environment's settings changed by `settings`, named as Ansible names them
   * (variable_start_string...: the `template` lookup's options).
   */
  render(source: string, origin: string, extra?: Record<string, unknown>, settings?: Record<string, string>): string;
  /**
   * Controller directories where a relative file name is searched, most specific first: Ansible's
   * ansible_search_path, that is the role's directory, then the playbook's directory (the last one is
   * the playbook's, where `pipe` runs and `password` files are relative to). Each lookup adds its own
   * subdirectory as Ansible does: DIR/files/NAME (templates/ for `template`) before DIR/NAME.
   */
  searchPaths: readonly string[];
  /** A controller file's text, read as the environment reads files (the caller notes it as an input). */
  readFile(path: string): string;
  /** The variables of a template file the template lookup renders (Ansible's template_* and ansible_managed); absent: the lookup's own. */
  templateVars?: (path: string, fullpath: string) => Record<string, unknown>;
}

export type Filter = (ctx: CallContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>) => unknown;
export type Test = (ctx: CallContext, value: unknown, args: unknown[], kwargs: Record<string, unknown>) => boolean;
/** A lookup returns a list; `lookup()` joins it with "," unless `wantlist=True`, `query()` keeps it. */
export type Lookup = (ctx: CallContext, terms: unknown[], kwargs: Record<string, unknown>) => unknown[];

export interface Extensions {
  filters: Record<string, Filter>;
  tests: Record<string, Test>;
  lookups: Record<string, Lookup>;
}

/**
 * Bind positional and keyword arguments to a Python-style parameter list, as a call of
 * `name(value, a, b=...)` would: too many arguments or an unknown keyword is Python's TypeError.
 * Missing parameters come back as undefined, for the caller's defaults.
 */
export function bindArgs(name: string, params: readonly string[], args: unknown[], kwargs: Record<string, unknown>): unknown[] {
  if (args.length > params.length) {
    throw new JinjaError('runtime', `${name}() takes at most ${params.length + 1} positional arguments (${args.length + 1} given)`);
  }
  const bound: unknown[] = params.map((_, i) => args[i]);
  for (const [key, value] of Object.entries(kwargs)) {
    const i = params.indexOf(key);
    if (i < 0) throw new JinjaError('runtime', `${name}() got an unexpected keyword argument '${key}'`);
    if (i < args.length) throw new JinjaError('runtime', `${name}() got multiple values for argument '${key}'`);
    bound[i] = value;
  }
  return bound;
}

/** A value a filter needs defined: using an Undefined is Jinja's undefined error. */
export function defined<T>(v: T | Undefined): T {
  if (isUndefined(v)) throw new JinjaError('undefined', v.message(), v.name);
  return v;
}
