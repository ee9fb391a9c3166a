/**
 * Jinja2's lexer: template text into data, tag and expression tokens, with its whitespace rules
 * (`-` and `+` markers, trim_blocks, lstrip_blocks, one trailing newline dropped unless
 * keep_trailing_newline) and `{% raw %}` blocks kept verbatim.
 */
import { JinjaError } from './extension.js';

export interface LexOptions {
  blockStart: string;
  blockEnd: string;
  variableStart: string;
  variableEnd: string;
  commentStart: string;
  commentEnd: string;
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
  /** What each newline of the template's text and string literals becomes (the template module's newline_sequence). */
  newlineSequence: string;
}

export const DEFAULT_LEX_OPTIONS: LexOptions = {
  blockStart: '{%',
  blockEnd: '%}',
  variableStart: '{{',
  variableEnd: '}}',
  commentStart: '{#',
  commentEnd: '#}',
  trimBlocks: false,
  lstripBlocks: false,
  keepTrailingNewline: false,
  newlineSequence: '\n',
};

export type TokenType =
  | 'data'
  | 'block_begin'
  | 'block_end'
  | 'variable_begin'
  | 'variable_end'
  | 'name'
  | 'string'
  | 'integer'
  | 'float'
  | 'operator'
  | 'eof';

export interface Token {
  type: TokenType;
  /** The text (data, name, operator), or the decoded string / number. */
  value: string;
  num?: number;
  line: number;
  col: number;
}

/** A syntax error at a place in the template (the engine adds the file name). */
export class SyntaxErrorAt extends JinjaError {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super('syntax', message);
  }
}

// Longest first, as Jinja's operator regex matches them.
const OPERATORS = [
  '//',
  '**',
  '==',
  '!=',
  '<=',
  '>=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '~',
  '<',
  '>',
  '=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ':',
  '|',
  ';',
];

const NAME_RE = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const FLOAT_RE = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y;
const INT_RE = /0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\da-fA-F])+|[1-9](?:_?\d)*|0(?:_?0)*/y;
const STRING_RE = /'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"/sy;

/** Python's escapes in a string literal (Jinja decodes them with unicode-escape). */
function decodeEscapes(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(x[\da-fA-F]{2}|u[\da-fA-F]{4}|U[\da-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\\':
        return '\\';
      case "'":
        return "'";
      case '"':
        return '"';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case '\n':
        return '';
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
      default:
        if (/^[0-7]/.test(e)) return String.fromCodePoint(Number.parseInt(e, 8));
        return `\\${e}`;
    }
  });
}

/** Split template source into tokens. */
export function tokenize(input: string, o: LexOptions): Token[] {
  // Jinja normalises newlines first and drops one trailing newline unless told to keep it.
  const lines = input.split(/\r\n|\r|\n/);
  if (!o.keepTrailingNewline && lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const src = lines.join('\n');
  const tokens: Token[] = [];
  // Jinja's _normalize_newlines: data and string literals, never what an expression produces.
  const newlines = (s: string) => (o.newlineSequence === '\n' ? s : s.replaceAll('\n', o.newlineSequence));
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const advance = (to: number) => {
    for (let i = pos; i < to; i++) {
      if (src.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    pos = to;
  };
  const starts = [
    { kind: 'block' as const, text: o.blockStart },
    { kind: 'variable' as const, text: o.variableStart },
    { kind: 'comment' as const, text: o.commentStart },
  ].sort((a, b) => b.text.length - a.text.length);
  // After a tag: strip following whitespace ('-') or one newline (trim_blocks).
  let stripNext: 'none' | 'all' | 'newline' = 'none';

  // Whether the data before the next tag starts a line (lstrip_blocks looks only at line starts).
  let lineStarting = true;
  const tagEnded = () => {
    if (stripNext === 'newline') lineStarting = src[pos] === '\n';
    else if (stripNext === 'all') {
      const ws = /^\s*/.exec(src.slice(pos, pos + 200))?.[0] ?? '';
      lineStarting = ws.endsWith('\n');
    } else lineStarting = false;
  };
  const pushData = (text: string, l: number, c: number) => {
    let t = text;
    if (stripNext === 'all') t = t.replace(/^\s+/, '');
    else if (stripNext === 'newline' && t.startsWith('\n')) t = t.slice(1);
    stripNext = 'none';
    if (t) tokens.push({ type: 'data', value: newlines(t), line: l, col: c });
  };

  while (pos < src.length) {
    // The next tag start.
    let next = -1;
    let which: (typeof starts)[number] | undefined;
    for (const s of starts) {
      const at = src.indexOf(s.text, pos);
      if (at >= 0 && (next < 0 || at < next || (at === next && which && s.text.length > which.text.length))) {
        next = at;
        which = s;
      }
    }
    if (next < 0 || !which) {
      pushData(src.slice(pos), line, pos - lineStart + 1);
      advance(src.length);
      break;
    }
    const marker = src[next + which.text.length];
    let text = src.slice(pos, next);
    if (marker === '-') text = text.replace(/\s+$/, '');
    else if (o.lstripBlocks && marker !== '+' && which.kind !== 'variable') {
      const nl = text.lastIndexOf('\n') + 1;
      if ((nl > 0 || lineStarting) && /^[ \t]*$/.test(text.slice(nl))) text = text.slice(0, nl);
    }
    const dataLine = line;
    const dataCol = pos - lineStart + 1;
    pushData(text, dataLine, dataCol);
    advance(next);
    const tagLine = line;
    const tagCol = pos - lineStart + 1;
    const afterStart = next + which.text.length + (marker === '-' || marker === '+' ? 1 : 0);

    if (which.kind === 'comment') {
      const end = src.indexOf(o.commentEnd, afterStart);
      if (end < 0) throw new SyntaxErrorAt('missing end of comment tag', tagLine, tagCol);
      const dash = src[end - 1] === '-' && end - 1 >= afterStart;
      const plus = src[end - 1] === '+' && end - 1 >= afterStart;
      advance(end + o.commentEnd.length);
      stripNext = dash ? 'all' : o.trimBlocks && !plus ? 'newline' : 'none';
      tagEnded();
      continue;
    }

    const isBlock = which.kind === 'block';
    const endText = isBlock ? o.blockEnd : o.variableEnd;
    tokens.push({ type: isBlock ? 'block_begin' : 'variable_begin', value: which.text, line: tagLine, col: tagCol });
    advance(afterStart);
    const firstTok = tokens.length;
    let depth = 0;
    // Expression tokens up to the end delimiter.
    for (;;) {
      while (pos < src.length && /\s/.test(src.charAt(pos))) advance(pos + 1);
      if (pos >= src.length) {
        throw new SyntaxErrorAt(
          isBlock
            ? "unexpected end of template, expected 'end of statement block'"
            : "unexpected end of template, expected 'end of print statement'",
          line,
          pos - lineStart + 1,
        );
      }
      const c = src[pos];
      // Inside brackets a closing delimiter is not one (`{{ {'a': {'b': 1}} }}`).
      if (depth === 0 && (c === '-' || c === '+') && src.startsWith(endText, pos + 1)) {
        tokens.push({ type: isBlock ? 'block_end' : 'variable_end', value: endText, line, col: pos - lineStart + 1 });
        advance(pos + 1 + endText.length);
        stripNext = c === '-' ? 'all' : 'none';
        tagEnded();
        break;
      }
      if (depth === 0 && src.startsWith(endText, pos)) {
        tokens.push({ type: isBlock ? 'block_end' : 'variable_end', value: endText, line, col: pos - lineStart + 1 });
        advance(pos + endText.length);
        stripNext = isBlock && o.trimBlocks ? 'newline' : 'none';
        tagEnded();
        break;
      }
      const col = pos - lineStart + 1;
      NAME_RE.lastIndex = pos;
      let m = NAME_RE.exec(src);
      if (m) {
        tokens.push({ type: 'name', value: m[0], line, col });
        advance(pos + m[0].length);
        continue;
      }
      const prev = src[pos - 1];
      if (/\d/.test(c ?? '')) {
        FLOAT_RE.lastIndex = pos;
        m = prev === '.' ? null : FLOAT_RE.exec(src);
        if (m) {
          tokens.push({ type: 'float', value: m[0], num: Number(m[0].replace(/_/g, '')), line, col });
          advance(pos + m[0].length);
          continue;
        }
        INT_RE.lastIndex = pos;
        m = INT_RE.exec(src);
        if (m) {
          const digits = m[0].replace(/_/g, '');
          tokens.push({ type: 'integer', value: m[0], num: Number(digits), line, col });
          advance(pos + m[0].length);
          continue;
        }
      }
      if (c === "'" || c === '"') {
        STRING_RE.lastIndex = pos;
        m = STRING_RE.exec(src);
        if (!m) throw new SyntaxErrorAt(`unexpected char '${c}' at ${pos}`, line, col);
        tokens.push({ type: 'string', value: decodeEscapes(newlines(m[1] ?? m[2] ?? '')), line, col });
        advance(pos + m[0].length);
        continue;
      }
      const op = OPERATORS.find((x) => src.startsWith(x, pos));
      if (!op) throw new SyntaxErrorAt(`unexpected char '${c}' at ${pos}`, line, col);
      if (op === '(' || op === '[' || op === '{') depth++;
      else if (op === ')' || op === ']' || op === '}') {
        if (depth === 0) throw new SyntaxErrorAt(`unexpected '${op}'`, line, col);
        depth--;
      }
      tokens.push({ type: 'operator', value: op, line, col });
      advance(pos + op.length);
    }
    // {% raw %}: everything up to {% endraw %} is data.
    const t = tokens[firstTok];
    if (isBlock && t?.type === 'name' && t.value === 'raw' && tokens.length === firstTok + 2) {
      tokens.length = firstTok - 1;
      const re = new RegExp(`${escapeRe(o.blockStart)}([-+]?)\\s*endraw\\s*([-+]?)${escapeRe(o.blockEnd)}`, 'g');
      re.lastIndex = pos;
      const end = re.exec(src);
      if (!end) throw new SyntaxErrorAt('Missing end of raw directive', tagLine, tagCol);
      let raw = src.slice(pos, end.index);
      if (stripNext === 'all') raw = raw.replace(/^\s+/, '');
      else if (stripNext === 'newline' && raw.startsWith('\n')) raw = raw.slice(1);
      stripNext = 'none';
      if (end[1] === '-') raw = raw.replace(/\s+$/, '');
      else if (o.lstripBlocks && end[1] !== '+') raw = raw.replace(/(^|\n)[ \t]*$/, '$1');
      if (raw) tokens.push({ type: 'data', value: newlines(raw), line, col: pos - lineStart + 1 });
      advance(end.index + end[0].length);
      stripNext = end[2] === '-' ? 'all' : end[2] === '+' || !o.trimBlocks ? 'none' : 'newline';
      tagEnded();
    }
  }
  tokens.push({ type: 'eof', value: '', line, col: pos - lineStart + 1 });
  return tokens;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
