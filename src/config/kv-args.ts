import { inputError, type SourceLocation } from '../errors.js';
import { PYTHON_ESCAPES } from '../util/python-escapes.js';

/**
 * Module arguments written as one string (`apt: name={{ item }} state=present`, `command: ls chdir=/tmp`),
 * read the way Ansible's parse_kv reads them: split on spaces and newlines with quoted text and
 * `{{ }}`, `{% %}`, `{# #}` kept whole, Python escapes decoded, one pair of outer quotes removed.
 * Words that are not `key=value` are the free-form text (Ansible's `_raw_params`).
 */
export interface KvArgs {
  args: Record<string, string>;
  /** The words that are not `key=value`, joined back as written; undefined when there are none. */
  freeForm?: string;
}

/** The `key=value` words a free-form command still reads as arguments (Ansible's list for command/shell). */
const COMMAND_KEYS = new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends']);

/** Modules whose string is a command line: only COMMAND_KEYS are taken out of it (Ansible's FREEFORM_ACTIONS). */
export const COMMAND_LINE_MODULES = new Set(['command', 'shell', 'raw', 'script']);

/**
 * `commandLine`: the string is a command line (command, shell), where `a=b` stays part of the
 * command unless `a` is one of the command's own keys.
 */
export function parseKv(text: string, opts: { commandLine: boolean; at?: SourceLocation }): KvArgs {
  const args: Record<string, string> = {};
  const free: string[] = [];
  for (const word of splitArgs(text, opts.at)) {
    const decoded = decodeEscapes(word);
    const eq = firstUnescapedEquals(decoded);
    if (eq === undefined) {
      free.push(decoded.includes('=') ? decoded.replaceAll('\\=', '=') : word);
      continue;
    }
    const key = decoded.slice(0, eq);
    if (opts.commandLine && !COMMAND_KEYS.has(key)) free.push(word);
    else args[key.trim()] = unquote(decoded.slice(eq + 1).trim());
  }
  return free.length > 0 ? { args, freeForm: joinArgs(free) } : { args };
}

/** The first `=` not preceded by a backslash, never at the very start (a word `=a` has no key). */
function firstUnescapedEquals(word: string): number | undefined {
  for (let pos = word.indexOf('=', 1); pos !== -1; pos = word.indexOf('=', pos + 1)) {
    if (word[pos - 1] !== '\\') return pos;
  }
  return undefined;
}

/** Python's string escapes (`\n`, `\"`, `\u00e9`...), as Ansible decodes them in each word before looking for `=`. */
function decodeEscapes(word: string): string {
  return word.replace(/\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\\'"abfnrtv])/g, (all, esc: string) => {
    if (esc.length === 1) return PYTHON_ESCAPES[esc] ?? all;
    const code = Number.parseInt(esc.slice(1), 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/** One pair of matching outer quotes goes, unless the closing one is escaped. */
function unquote(value: string): string {
  const first = value[0];
  const quoted = value.length > 1 && (first === '"' || first === "'") && value.endsWith(first) && value[value.length - 2] !== '\\';
  return quoted ? value.slice(1, -1) : value;
}

/** Words back into one string: a space between them, none after a word that ends a line. */
function joinArgs(words: readonly string[]): string {
  let out = '';
  for (const w of words) out += out === '' || out.endsWith('\n') ? w : ` ${w}`;
  return out;
}

interface SplitState {
  quote: string | undefined;
  depth: { print: number; block: number; comment: number };
}

const DELIMITERS = [
  ['print', '{{', '}}'],
  ['block', '{%', '%}'],
  ['comment', '{#', '#}'],
] as const;

/**
 * Ansible's split_args: words separated by single spaces (a run of spaces stays on the word before it)
 * and newlines, a word that opens a quote or a Jinja delimiter running on until it closes.
 */
export function splitArgs(text: string, at?: SourceLocation): string[] {
  const words: string[] = [];
  const st: SplitState = { quote: undefined, depth: { print: 0, block: 0, comment: 0 } };
  const open = () => st.depth.print > 0 || st.depth.block > 0 || st.depth.comment > 0;
  const extendLast = (suffix: (last: string) => string) => {
    const i = words.length - 1;
    if (i < 0) throw inputError(`cannot read the arguments "${text}"`, at, 'start the argument string with a key=value word');
    words[i] = suffix(words[i] as string);
  };
  const lines = text.split('\n');
  for (const [lineNo, line] of lines.entries()) {
    const tokens = line.split(' ');
    let continued = false;
    for (const [idx, token] of tokens.entries()) {
      if (token === '' && idx !== 0) {
        extendLast((w) => `${w} `);
        continue;
      }
      if (token === '\\' && st.quote === undefined) {
        continued = true;
        continue;
      }
      const wasQuoted = st.quote !== undefined;
      st.quote = quoteAfter(token, st.quote);
      const quoted = st.quote !== undefined;
      let placed = false;
      if (quoted && !wasQuoted && !open()) {
        words.push(token);
        placed = true;
      } else if (open() || quoted || wasQuoted) {
        if (idx === 0 && wasQuoted) extendLast((w) => w + token);
        else if (tokens.length > 1) extendLast((w) => `${w}${idx > 0 ? ' ' : ''}${token}`);
        else extendLast((w) => `${w}\n${token}`);
        placed = true;
      }
      for (const [kind, opener, closer] of DELIMITERS) {
        const before = st.depth[kind];
        const diff = count(token, opener) - count(token, closer);
        st.depth[kind] = Math.max(0, before + diff);
        if (st.depth[kind] !== before && !placed) {
          words.push(token);
          placed = true;
        }
      }
      if (!open() && !quoted && !placed && token !== '') words.push(token);
    }
    if (lineNo < lines.length - 1 && !continued) extendLast((w) => `${w}\n`);
  }
  if (open() || st.quote !== undefined) {
    throw inputError(
      `failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${text}`,
      at,
      'close every quote and every {{ }}, {% %} or {# #}, or write the arguments as a YAML mapping',
    );
  }
  return words;
}

function count(text: string, sub: string): number {
  return text.split(sub).length - 1;
}

/** The quote still open after this word (a backslash before a quote escapes it). */
function quoteAfter(token: string, quote: string | undefined): string | undefined {
  let q = quote;
  for (let i = 0; i < token.length; i++) {
    const c = token[i] as string;
    if ((c === '"' || c === "'") && token[i - 1] !== '\\') {
      if (q === undefined) q = c;
      else if (c === q) q = undefined;
    }
  }
  return q;
}
