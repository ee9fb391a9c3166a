/** Python's json.dumps as Ansible's to_json / to_nice_json call it, and json.loads. */
import { formatFloat, isMapping, isNumber, isUndefined, PyFloat, pyFloat, pyTypeName, toNumber } from '../value.js';
import { pluginError } from './shared.js';

export interface JsonDumpOptions {
  indent?: number | string | null;
  sortKeys?: boolean;
  ensureAscii?: boolean;
  separators?: [string, string];
}

function jsonString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (ensureAscii && code > 0x7e) {
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

function jsonNumber(v: number | PyFloat): string {
  const n = toNumber(v) ?? 0;
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (v instanceof PyFloat || !Number.isInteger(n)) return formatFloat(n);
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

export function jsonDumps(value: unknown, opts: JsonDumpOptions = {}): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const indent =
    opts.indent === undefined || opts.indent === null ? null : typeof opts.indent === 'number' ? ' '.repeat(opts.indent) : opts.indent;
  const [itemSep, keySep] = opts.separators ?? (indent === null ? [', ', ': '] : [',', ': ']);
  const walk = (v: unknown, level: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return jsonString(v, ensureAscii);
    if (isNumber(v)) return jsonNumber(v);
    if (isUndefined(v)) throw pluginError(v.message());
    const open = indent === null ? '' : `\n${indent.repeat(level + 1)}`;
    const close = indent === null ? '' : `\n${indent.repeat(level)}`;
    const sep = indent === null ? itemSep : `${itemSep}\n${indent.repeat(level + 1)}`;
    if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${open}${v.map((x) => walk(x, level + 1)).join(sep)}${close}]`;
    if (isMapping(v)) {
      let keys = Object.keys(v);
      if (opts.sortKeys) keys = keys.sort(compareCodePoints);
      if (keys.length === 0) return '{}';
      return `{${open}${keys.map((k) => `${jsonString(k, ensureAscii)}${keySep}${walk(v[k], level + 1)}`).join(sep)}${close}}`;
    }
    throw pluginError(`Object of type ${pyTypeName(v)} is not JSON serializable`);
  };
  return walk(value, 0);
}

/** Python's string ordering: by code point, not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]?.codePointAt(0) ?? 0;
    const y = cb[i]?.codePointAt(0) ?? 0;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

/** json.loads: Python's values (a float stays a float even when integral), Python's error words. */
export function jsonLoads(text: string): unknown {
  let i = 0;
  const fail = (what: string, at = i): never => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw pluginError(`${what}: line ${line} column ${column} (char ${at})`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('Unterminated string starting at', start);
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        const e = text.charAt(i + 1);
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\uXXXX escape', i + 1);
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
        } else if (simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else fail('Invalid \\escape', i);
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('Invalid control character at', i);
      out += c;
      i++;
    }
  };
  const value = (): unknown => {
    ws();
    const c = text.charAt(i);
    if (c === '"') return str();
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text.charAt(i) === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text.charAt(i) !== '"') fail('Expecting property name enclosed in double quotes');
        const k = str();
        ws();
        if (text.charAt(i) !== ':') fail("Expecting ':' delimiter");
        i++;
        out[k] = value();
        ws();
        if (text.charAt(i) === ',') {
          i++;
          continue;
        }
        if (text.charAt(i) === '}') {
          i++;
          return out;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text.charAt(i) === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text.charAt(i) === ',') {
          i++;
          continue;
        }
        if (text.charAt(i) === ']') {
          i++;
          return out;
        }
        fail("Expecting ',' delimiter");
      }
    }
    for (const [word, v] of [
      ['null', null],
      ['true', true],
      ['false', false],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
    if (!m) return fail('Expecting value');
    i += m[0].length;
    const n = Number(m[0]);
    return m[1] !== undefined || m[2] !== undefined ? pyFloat(n) : n;
  };
  const v = value();
  ws();
  if (i < text.length) fail('Extra data');
  return v;
}
