/** Ansible's `#jinja2:` template header: Jinja environment settings for one template, on its first line. */
import { JinjaError } from './extension.js';
import type { LexOptions } from './lexer.js';
import { LiteralError, literalEval } from './literal.js';

const HEADER = '#jinja2:';

const HEADER_KEYS: Record<string, keyof LexOptions> = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  keep_trailing_newline: 'keepTrailingNewline',
  newline_sequence: 'newlineSequence',
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  variable_start_string: 'variableStart',
  variable_end_string: 'variableEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
};

/** The `#jinja2:` first line: the options it sets over `base` and the template after it. */
export function readHeader(source: string, origin: string, base: LexOptions): { lex: LexOptions; body: string } {
  if (!source.startsWith(HEADER)) return { lex: base, body: source };
  const eol = source.indexOf('\n');
  const line = source.slice(HEADER.length, eol < 0 ? undefined : eol);
  const settings: Record<string, unknown> = {};
  for (const pair of line.split(',')) {
    const at = pair.indexOf(':');
    if (at < 0) {
      throw new JinjaError(
        'syntax',
        `failed to parse jinja2 override '${pair.trim()}'. Did you use something different from colon as key-value separator?`,
      ).at({ origin, line: 1, col: 1 });
    }
    let value: unknown;
    try {
      value = literalEval(pair.slice(at + 1).trim());
    } catch (err) {
      if (!(err instanceof LiteralError)) throw err;
      throw new JinjaError('syntax', `malformed jinja2 override '${pair.trim()}'`).at({ origin, line: 1, col: 1 });
    }
    settings[pair.slice(0, at).trim()] = value;
  }
  return { lex: withSettings(base, settings), body: eol < 0 ? '' : source.slice(eol + 1) };
}

/** Jinja environment settings named as Ansible names them (trim_blocks, variable_start_string...). */
export type JinjaSettings = Readonly<Record<string, unknown>>;

/** `base` with Jinja settings named as Ansible names them; other names are ignored. */
export function withSettings(base: LexOptions, settings: JinjaSettings): LexOptions {
  const lex: LexOptions = { ...base };
  const out = lex as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(settings)) {
    const key = HEADER_KEYS[name];
    if (!key) continue;
    // Python's setattr keeps the value; Jinja then tests its truth.
    out[key] = typeof out[key] === 'boolean' ? truthOf(value) : String(value);
  }
  return lex;
}

function truthOf(v: unknown): boolean {
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}
