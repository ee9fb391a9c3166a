/**
 * Python's ast.literal_eval for the text a template rendered: numbers, strings, True/False/None,
 * lists, tuples, dicts (and sets, as lists). Ansible applies it to a templated value that looks like
 * a list, dict or bool. Anything else is a LiteralError.
 */
import { PYTHON_ESCAPES } from '../util/python-escapes.js';
import { pyFloat, tuple } from './value.js';

export class LiteralError extends Error {}

const NUMBER = /^[-+]?(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?)[jJ]?/;

export interface LiteralOptions {
  /**
   * Read JSON's true/false/null as Python's words: Ansible's templar does (Json2Python) before its
   * literal_eval; an INI inventory value goes to literal_eval as written. Default: yes.
   */
  jsonWords?: boolean;
}

export function literalEval(src: string, opts: LiteralOptions = {}): unknown {
  const jsonWords = opts.jsonWords ?? true;
  let i = 0;
  const ws = () => {
    for (;;) {
      const c = src[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') i++;
      else if (c === '\\' && src[i + 1] === '\n') i += 2;
      else if (c === '#') {
        while (i < src.length && src[i] !== '\n') i++;
      } else return;
    }
  };
  const str = (): string => {
    let prefix = '';
    while (/[rRbBuU]/.test(src[i] ?? '')) prefix += src[i++];
    const q = src[i];
    if (q !== "'" && q !== '"') throw new LiteralError('malformed node or string');
    const triple = src.startsWith(q.repeat(3), i);
    const end = triple ? q.repeat(3) : q;
    i += end.length;
    const raw = /[rR]/.test(prefix);
    let s = '';
    for (;;) {
      if (i >= src.length) throw new LiteralError('unterminated string literal');
      if (src.startsWith(end, i)) {
        i += end.length;
        return s;
      }
      const c = src[i] as string;
      if (!triple && c === '\n') throw new LiteralError('unterminated string literal');
      if (c === '\\' && !raw) {
        const e = src[i + 1] ?? '';
        // A backslash before a newline continues the line.
        const simple: Record<string, string> = { ...PYTHON_ESCAPES, '\n': '' };
        if (e in simple) {
          s += simple[e];
          i += 2;
        } else if (e === 'x' || e === 'u' || e === 'U') {
          const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          s += String.fromCodePoint(Number.parseInt(src.slice(i + 2, i + 2 + len), 16));
          i += 2 + len;
        } else if (/[0-7]/.test(e)) {
          const m = /^[0-7]{1,3}/.exec(src.slice(i + 1)) as RegExpExecArray;
          s += String.fromCodePoint(Number.parseInt(m[0], 8));
          i += 1 + m[0].length;
        } else {
          s += `\\${e}`;
          i += 2;
        }
        continue;
      }
      if (c === '\\' && raw) {
        s += c + (src[i + 1] ?? '');
        i += 2;
        continue;
      }
      s += c;
      i++;
    }
  };
  const seqItems = (close: string): { items: unknown[]; trailingComma: boolean } => {
    const items: unknown[] = [];
    let trailingComma = false;
    ws();
    while (src[i] !== close) {
      items.push(value());
      ws();
      trailingComma = false;
      if (src[i] === ',') {
        i++;
        trailingComma = true;
        ws();
      } else if (src[i] !== close) throw new LiteralError('invalid syntax');
    }
    i++;
    return { items, trailingComma };
  };
  const value = (): unknown => {
    ws();
    const c = src[i];
    if (c === '[') {
      i++;
      return seqItems(']').items;
    }
    if (c === '(') {
      i++;
      const { items, trailingComma } = seqItems(')');
      if (items.length === 1 && !trailingComma) return items[0];
      return tuple(items);
    }
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (src[i] === '}') {
        i++;
        return out;
      }
      const first = value();
      ws();
      if (src[i] !== ':') {
        // a set literal
        const items = [first];
        if (src[i] === ',') {
          i++;
          items.push(...seqItems('}').items);
        } else if (src[i] === '}') i++;
        else throw new LiteralError('invalid syntax');
        return items;
      }
      let key = first;
      for (;;) {
        if (src[i] !== ':') throw new LiteralError('invalid syntax');
        i++;
        out[typeof key === 'string' ? key : String(key)] = value();
        ws();
        if (src[i] === ',') {
          i++;
          ws();
        } else if (src[i] !== '}') throw new LiteralError('invalid syntax');
        if (src[i] === '}') {
          i++;
          return out;
        }
        key = value();
        ws();
      }
    }
    const rest = src.slice(i);
    const word = /^[A-Za-z_]\w*/.exec(rest)?.[0];
    if (word && !/^[rRbBuU]+$/.test(word)) {
      i += word.length;
      // Ansible turns JSON's words into Python's before literal_eval (Json2Python).
      if (word === 'True' || (jsonWords && word === 'true')) return true;
      if (word === 'False' || (jsonWords && word === 'false')) return false;
      if (word === 'None' || (jsonWords && word === 'null')) return null;
      throw new LiteralError('malformed node or string');
    }
    if (word || c === "'" || c === '"') {
      let s = str();
      ws();
      while (src[i] === "'" || src[i] === '"' || /^[rRbBuU]+['"]/.test(src.slice(i, i + 3))) {
        s += str();
        ws();
      }
      return s;
    }
    const m = NUMBER.exec(rest);
    if (!m || m[0] === '-' || m[0] === '+') throw new LiteralError('invalid syntax');
    i += m[0].length;
    const t = m[0].replace(/_/g, '');
    if (/[jJ]$/.test(t)) throw new LiteralError('complex numbers are not supported');
    if (/^[-+]?0[xXoObB]/.test(t)) {
      const neg = t.startsWith('-');
      const body = t.replace(/^[-+]/, '');
      const n = Number(body);
      return neg ? -n : n;
    }
    if (/[.eE]/.test(t)) return pyFloat(Number(t));
    // Python 3 refuses leading zeros on an int ("010" is a syntax error): such text stays text.
    if (/^[-+]?0\d/.test(t)) throw new LiteralError('leading zeros in decimal integer literals are not permitted');
    return Number(t);
  };
  const v = value();
  ws();
  if (i !== src.length) throw new LiteralError('invalid syntax');
  return v;
}
