// Python's view of values, which Ansible's output follows: repr() of lists and dicts, str() of
// True/None, json.dumps spacing, and the literal_eval that Ansible applies to a templated value
// that looks like a list, dict or bool. Used by the candidate adapters, not by src/.

export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return pyStringRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  return String(v);
}

/** str(): what `{{ value }}` prints in Jinja2. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

function pyNumber(n: number): string {
  if (Number.isInteger(n) && !Object.is(n, -0)) return String(n);
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return quote + out + quote;
}

/** json.dumps with its defaults (", " and ": " separators, ASCII only) and the options filters pass. */
export function pyJsonDumps(v: unknown, opts: { indent?: number; sortKeys?: boolean; ensureAscii?: boolean } = {}): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const str = (s: string) => {
    const j = JSON.stringify(s);
    return ensureAscii ? j.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : j;
  };
  const walk = (x: unknown, depth: number): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'boolean') return String(x);
    if (typeof x === 'number') return Number.isInteger(x) ? String(x) : String(x);
    if (typeof x === 'string') return str(x);
    const pad = opts.indent === undefined ? '' : `\n${' '.repeat(opts.indent * (depth + 1))}`;
    const end = opts.indent === undefined ? '' : `\n${' '.repeat(opts.indent * depth)}`;
    const sep = opts.indent === undefined ? ', ' : ',';
    if (Array.isArray(x)) return x.length === 0 ? '[]' : `[${pad}${x.map((e) => walk(e, depth + 1)).join(sep + pad)}${end}]`;
    let entries = Object.entries(x as object);
    if (opts.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return '{}';
    return `{${pad}${entries.map(([k, e]) => `${str(k)}: ${walk(e, depth + 1)}`).join(sep + pad)}${end}}`;
  };
  return walk(v, 0);
}

/**
 * Ansible 2.14 (jinja2_native off) for a templated task value: the text of the result, turned back
 * into a list, dict or bool when it looks like one (ast.literal_eval, JSON words allowed).
 */
export function ansibleConvert(text: string): unknown {
  if (!(text.startsWith('{') || text.startsWith('[') || text === 'True' || text === 'False')) return text;
  try {
    return parsePyLiteral(text);
  } catch {
    return text;
  }
}

/** The value Ansible stores for a whole-expression result that an engine gave natively. */
export function ansibleConvertNative(v: unknown): unknown {
  return ansibleConvert(pyStr(v));
}

class LiteralError extends Error {}

/** A small ast.literal_eval: numbers, strings, True/False/None (and true/false/null), lists, tuples, dicts. */
export function parsePyLiteral(src: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src.charAt(i))) i++;
  };
  const value = (): unknown => {
    ws();
    const c = src[i];
    if (c === '[' || c === '(') {
      const close = c === '[' ? ']' : ')';
      i++;
      const out: unknown[] = [];
      ws();
      while (src[i] !== close) {
        out.push(value());
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== close) throw new LiteralError('expected , or close');
        ws();
      }
      i++;
      return out;
    }
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      while (src[i] !== '}') {
        const k = value();
        ws();
        if (src[i] !== ':') throw new LiteralError('expected :');
        i++;
        out[String(k)] = value();
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== '}') throw new LiteralError('expected , or }');
        ws();
      }
      i++;
      return out;
    }
    if (c === "'" || c === '"') {
      i++;
      let s = '';
      while (src[i] !== c) {
        if (i >= src.length) throw new LiteralError('unterminated string');
        if (src[i] === '\\') {
          const e = src[i + 1];
          const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
          if (e === 'u') {
            s += String.fromCharCode(Number.parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          s += (e === undefined ? undefined : map[e]) ?? `\\${e}`;
          i += 2;
          continue;
        }
        s += src[i++];
      }
      i++;
      return s;
    }
    const word = /^(True|False|None|true|false|null|-?\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(src.slice(i));
    if (!word) throw new LiteralError(`unexpected ${c}`);
    i += word[0].length;
    const w = word[0];
    if (w === 'True' || w === 'true') return true;
    if (w === 'False' || w === 'false') return false;
    if (w === 'None' || w === 'null') return null;
    return Number(w);
  };
  const v = value();
  ws();
  if (i !== src.length) throw new LiteralError('trailing text');
  return v;
}

/** Python's type name for a JS value, as `type_debug` reports it. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}
