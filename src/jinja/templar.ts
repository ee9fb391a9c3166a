/**
 * Ansible's templating around Jinja2 (ansible-core 2.14, jinja2_native off): trim_blocks on, the
 * `#jinja2:` header overrides, trailing newlines kept, backslashes inside `{{ }}` strings of task
 * values doubled, None printed as nothing, and a task value's text turned back into a list, dict or
 * bool when it looks like one.
 */
import { Environment } from './environment.js';
import type { Extensions, TaintHooks } from './extension.js';
import { type JinjaSettings, readHeader } from './header.js';
import type { LexOptions } from './lexer.js';
import { LiteralError, literalEval } from './literal.js';
import { isNumber } from './value.js';

const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;
// ansible-core's default list (config STRING_TYPE_FILTERS).
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

export interface TemplarOptions {
  searchPaths?: readonly string[];
  extensions?: Extensions;
  taint?: TaintHooks;
  readFile?: (path: string) => string;
  templateVars?: (path: string, fullpath: string) => Record<string, unknown>;
}

function trailingNewlines(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\n'; i--) n++;
  return n;
}

export class Templar {
  readonly env: Environment;

  constructor(opts: TemplarOptions = {}) {
    this.env = new Environment({
      searchPaths: opts.searchPaths,
      extensions: opts.extensions,
      taint: opts.taint,
      readFile: opts.readFile,
      templateVars: opts.templateVars,
      lex: { trimBlocks: true },
      noneAsEmpty: true,
    });
  }

  /**
   * Render a template file's text as the `template` module does: `settings` are its arguments
   * (trim_blocks, newline_sequence...), and a `#jinja2:` header overrides them in turn.
   */
  renderTemplate(source: string, context: object, origin: string, settings: JinjaSettings = {}): string {
    return padNewlines(source, this.env.renderFile(source, context, origin, settings));
  }

  /** Render a task value's text: the rendered text (convert: false) or Ansible's conversion of it. */
  renderValue(source: string, context: object, origin: string, convert = true): unknown {
    // `{{ name }}` naming a number, a bool or None gives it unchanged (Templar.template's SINGLE_VAR).
    const single = SINGLE_VAR.exec(source);
    if (single && this.env.lexOptions.variableStart === '{{') {
      const name = single[1] as string;
      if (name in context) {
        const v = (context as Record<string, unknown>)[name];
        if (v === null || typeof v === 'boolean' || isNumber(v)) {
          this.env.taint?.read(v);
          return v;
        }
      }
    }
    const { lex, body } = readHeader(source, origin, this.env.lexOptions);
    const escaped = escapeBackslashes(body, lex);
    const out = padNewlines(source, this.env.render(escaped, context, origin, lex));
    if (!convert) return out;
    const converted = convertText(out);
    return converted !== out && this.keepsString(escaped, origin, lex) ? out : converted;
  }

  /**
   * Ansible's STRING_TYPE_FILTERS (to_json, string...) mark their result as text that stays text:
   * a value that is only such a filter's output is not turned back into a list or dict.
   */
  private keepsString(body: string, origin: string, lex: LexOptions): boolean {
    const stmts = this.env.parse(body, origin, lex).body;
    const only = stmts.length === 1 ? stmts[0] : undefined;
    return only?.type === 'print' && only.expr.type === 'filter' && STRING_TYPE_FILTERS.has(only.expr.name);
  }

  /** A bare expression's native value (a `when:` condition, a loop source). */
  evaluate(expression: string, context: object, origin: string): unknown {
    return this.env.evaluate(expression, context, origin);
  }
}

/** Ansible's preserve_trailing_newlines: the output ends with as many newlines as the source did. */
export function padNewlines(source: string, out: string): string {
  const missing = trailingNewlines(source) - trailingNewlines(out);
  return missing > 0 ? out + '\n'.repeat(missing) : out;
}

/** ansible_eval_concat: text that looks like a list, dict or bool becomes one (literal_eval). */
export function convertText(out: string): unknown {
  if (!(out.startsWith('{') || out.startsWith('[') || out === 'True' || out === 'False')) return out;
  try {
    return literalEval(out);
  } catch (err) {
    if (err instanceof LiteralError) return out;
    throw err;
  }
}

/**
 * Ansible doubles backslashes in string literals inside `{{ }}` of a task value, so that a playbook
 * can write "\\n" for a backslash-n instead of "\\\\n".
 */
export function escapeBackslashes(source: string, lex: LexOptions): string {
  if (!source.includes('\\') || !source.includes(lex.variableStart)) return source;
  let out = '';
  let i = 0;
  while (i < source.length) {
    const start = source.indexOf(lex.variableStart, i);
    if (start < 0) break;
    out += source.slice(i, start + lex.variableStart.length);
    i = start + lex.variableStart.length;
    while (i < source.length && !source.startsWith(lex.variableEnd, i)) {
      const c = source[i] as string;
      if (c === "'" || c === '"') {
        const m = new RegExp(`${c}((?:[^${c}\\\\]|\\\\.)*)${c}`, 'sy');
        m.lastIndex = i;
        const lit = m.exec(source);
        if (lit) {
          out += c + (lit[1] ?? '').replace(/\\/g, '\\\\') + c;
          i += lit[0].length;
          continue;
        }
      }
      out += c;
      i++;
    }
  }
  return out + source.slice(i);
}
