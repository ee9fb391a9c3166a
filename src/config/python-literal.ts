// Ansible's INI inventory turns each value with Python's ast.literal_eval and keeps the text when that
// fails. This reads the same literals (numbers, strings, True/False/None, lists, tuples, dicts, sets)
// so `port=22` is a number and `name=web` stays a string, exactly as ansible-inventory shows them.

type Literal = string | number | boolean | null | Literal[] | { [k: string]: Literal };

/** The value Python's literal_eval gives for `text`, or undefined where it raises (Ansible then keeps the text). */
export function pythonLiteral(text: string): { value: Literal } | undefined {
  const p = new Reader(text);
  try {
    p.space();
    const value = p.expression();
    p.space();
    if (!p.done()) return undefined;
    return { value };
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
}

class NotLiteral extends Error {}

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?)/;

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  /** Whitespace and a trailing `# comment`, which Python's tokenizer drops. */
  space(): void {
    for (;;) {
      while (this.i < this.s.length && /\s/.test(this.s.charAt(this.i))) this.i++;
      if (this.s.charAt(this.i) !== '#') return;
      const nl = this.s.indexOf('\n', this.i);
      this.i = nl < 0 ? this.s.length : nl;
    }
  }

  expression(): Literal {
    const c = this.s.charAt(this.i);
    if (c === '-' || c === '+') {
      this.i++;
      this.space();
      const n = this.number();
      return c === '-' ? -n : n;
    }
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.sequence(')');
    if (c === '{') return this.braces();
    if (/[0-9.]/.test(c)) return this.number();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i))?.[0];
    if (word !== undefined) {
      const quote = this.s.charAt(this.i + word.length);
      if ((quote === '"' || quote === "'") && /^(?:[uU]|[rR])$/.test(word)) {
        this.i += word.length;
        return this.strings(word.toLowerCase() === 'r');
      }
      this.i += word.length;
      if (word === 'True') return true;
      if (word === 'False') return false;
      if (word === 'None') return null;
      throw new NotLiteral();
    }
    if (c === '"' || c === "'") return this.strings(false);
    throw new NotLiteral();
  }

  private number(): number {
    const m = NUMBER.exec(this.s.slice(this.i))?.[0] ?? '';
    if (m === '' || m === '.') throw new NotLiteral();
    if (/[jJ]/.test(this.s.charAt(this.i + m.length))) throw new NotLiteral(); // complex numbers have no YAML/JSON twin
    this.i += m.length;
    const digits = m.replace(/_/g, '');
    if (/^0[xXoObB]/.test(digits)) return Number(digits.toLowerCase());
    // Python 3 refuses leading zeros on integers ("010" is a syntax error), so such text stays a string.
    if (/^0\d/.test(digits) && !/[.eE]/.test(digits)) throw new NotLiteral();
    return Number(digits);
  }

  /** Adjacent string literals join, as in Python ("a" "b" is "ab"). */
  private strings(raw: boolean): string {
    let out = this.string(raw);
    for (;;) {
      const save = this.i;
      this.space();
      const prefix = /^[uUrR]?(?=["'])/.exec(this.s.slice(this.i))?.[0];
      if (prefix === undefined) {
        this.i = save;
        return out;
      }
      this.i += prefix.length;
      out += this.string(prefix.toLowerCase() === 'r');
    }
  }

  private string(raw: boolean): string {
    const q = this.s.charAt(this.i);
    const triple = this.s.startsWith(q.repeat(3), this.i);
    const end = triple ? q.repeat(3) : q;
    this.i += end.length;
    let out = '';
    for (;;) {
      if (this.done()) throw new NotLiteral();
      if (this.s.startsWith(end, this.i)) {
        this.i += end.length;
        return out;
      }
      const c = this.s.charAt(this.i++);
      if (c === '\n' && !triple) throw new NotLiteral();
      if (c !== '\\') {
        out += c;
        continue;
      }
      const n = this.s.charAt(this.i++);
      if (raw) {
        out += `\\${n}`;
        continue;
      }
      out += this.escape(n);
    }
  }

  private escape(n: string): string {
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      "'": "'",
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      '\n': '',
    };
    const known = simple[n];
    if (known !== undefined) return known;
    const hex = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    if (hex) {
      const digits = this.s.slice(this.i, this.i + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) throw new NotLiteral();
      this.i += hex;
      return String.fromCodePoint(Number.parseInt(digits, 16));
    }
    if (/[0-7]/.test(n)) {
      const digits = n + (/^[0-7]{0,2}/.exec(this.s.slice(this.i))?.[0] ?? '');
      this.i += digits.length - 1;
      return String.fromCodePoint(Number.parseInt(digits, 8));
    }
    return `\\${n}`;
  }

  private sequence(close: string): Literal[] {
    this.i++;
    const items: Literal[] = [];
    for (;;) {
      this.space();
      if (this.s.charAt(this.i) === close) {
        this.i++;
        return items;
      }
      items.push(this.expression());
      this.space();
      const c = this.s.charAt(this.i);
      if (c === ',') this.i++;
      else if (c !== close) throw new NotLiteral();
    }
  }

  /** `{}` is a dict; `{1, 2}` a set, which becomes a list like any other sequence outside Python. */
  private braces(): Literal {
    this.i++;
    const dict: Record<string, Literal> = {};
    const set: Literal[] = [];
    let kind: 'dict' | 'set' | undefined;
    for (;;) {
      this.space();
      if (this.s.charAt(this.i) === '}') {
        this.i++;
        return kind === 'set' ? set : dict;
      }
      const key = this.expression();
      this.space();
      if (this.s.charAt(this.i) === ':') {
        if (kind === 'set') throw new NotLiteral();
        kind = 'dict';
        this.i++;
        this.space();
        if (key !== null && typeof key === 'object') throw new NotLiteral(); // unhashable in Python
        dict[String(key)] = this.expression();
      } else {
        if (kind === 'dict') throw new NotLiteral();
        kind = 'set';
        set.push(key);
      }
      this.space();
      const c = this.s.charAt(this.i);
      if (c === ',') this.i++;
      else if (c !== '}') throw new NotLiteral();
    }
  }
}
