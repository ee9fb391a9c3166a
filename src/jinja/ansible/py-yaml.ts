/**
 * PyYAML's yaml.dump as Ansible's to_yaml / to_nice_yaml call it (SafeDumper rules: sorted keys,
 * line width 80, allow_unicode), reproduced closely enough to give the same bytes: the emitter's
 * indentation (sequences inside mappings not indented), its choice of plain, single- or
 * double-quoted scalars, flow style for leaf collections when default_flow_style is None, and
 * folding of long scalars at the line width.
 */
import { formatFloat, isMapping, isNumber, isUndefined, pyTypeName, toNumber } from '../value.js';
import { compareCodePoints } from './py-json.js';
import { pluginError } from './shared.js';

export interface YamlDumpOptions {
  indent?: number;
  width?: number;
  /** true: flow everywhere; false: block everywhere; null: flow for collections of scalars only. */
  defaultFlowStyle?: boolean | null;
  sortKeys?: boolean;
  allowUnicode?: boolean;
  explicitStart?: boolean;
}

const BREAKS = '\n\x85\u2028\u2029';
const SPACE_OR_BREAK = `\0 \t\r${BREAKS}`;

/** What PyYAML's resolver would read a plain scalar as, when not a str. */
const IMPLICIT: RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

function isPrintable(ch: string, allowUnicode: boolean): boolean {
  const c = ch.codePointAt(0) ?? 0;
  if (ch === '\n' || (c >= 0x20 && c <= 0x7e)) return true;
  // Ansible's PyYAML counts characters beyond the BMP (emoji) as special: they end up double-quoted.
  const unicode = (c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd)) && c !== 0xfeff;
  return unicode && allowUnicode;
}

function analyze(scalar: string, allowUnicode: boolean): Analysis {
  if (scalar === '') return { empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true };
  const chars = [...scalar];
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (scalar.startsWith('---') || scalar.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  let followedByWhitespace = chars.length === 1 || SPACE_OR_BREAK.includes(chars[1] ?? '');
  let previousSpace = false;
  let previousBreak = false;
  for (let index = 0; index < chars.length; index++) {
    const ch = chars[index] ?? '';
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if ('?:'.includes(ch)) {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '-' && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '#' && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!isPrintable(ch, allowUnicode)) special = true;
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = SPACE_OR_BREAK.includes(ch);
    followedByWhitespace = index + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[index + 2] ?? '');
  }
  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
  if (flowIndicators) allowFlowPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted };
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\t': 't',
  '\n': 'n',
  '\x0b': 'v',
  '\x0c': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

/** A scalar as the representer makes it: its text, and whether it is a str (plain only if it reads back as one). */
interface Scalar {
  text: string;
  isStr: boolean;
}

function representScalar(v: unknown): Scalar | undefined {
  if (v === null) return { text: 'null', isStr: false };
  if (v === true) return { text: 'true', isStr: false };
  if (v === false) return { text: 'false', isStr: false };
  if (typeof v === 'string') return { text: v, isStr: true };
  if (isNumber(v)) {
    const n = toNumber(v) ?? 0;
    if (typeof v === 'number' && Number.isInteger(n) && !Object.is(n, -0)) return { text: String(n), isStr: false };
    if (Number.isNaN(n)) return { text: '.nan', isStr: false };
    if (!Number.isFinite(n)) return { text: n > 0 ? '.inf' : '-.inf', isStr: false };
    let text = formatFloat(n).toLowerCase();
    if (!text.includes('.') && text.includes('e')) text = text.replace('e', '.0e');
    return { text, isStr: false };
  }
  if (isUndefined(v)) throw pluginError(v.message());
  return undefined;
}

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  indent: number | null = null;
  indents: (number | null)[] = [];
  flowLevel = 0;
  rootContext = false;
  simpleKeyContext = false;

  constructor(
    readonly bestIndent: number,
    readonly bestWidth: number,
    readonly flowStyle: boolean | null,
    readonly sortKeys: boolean,
    readonly allowUnicode: boolean,
  ) {}

  write(data: string): void {
    this.out += data;
    this.column += data.length;
  }

  writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.out += data;
    this.column = 0;
  }

  writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
    }
  }

  writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
  }

  increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  entries(v: Record<string, unknown>): [string, unknown][] {
    const keys = Object.keys(v);
    if (this.sortKeys) keys.sort(compareCodePoints);
    return keys.map((k) => [k, v[k]]);
  }

  /** The serializer's choice: flow when asked, or for a collection of scalars when flow style is None. */
  isFlow(v: unknown[] | Record<string, unknown>): boolean {
    if (this.flowStyle !== null) return this.flowStyle;
    const items = Array.isArray(v) ? v : Object.values(v);
    return items.every((x) => representScalar(x) !== undefined);
  }

  node(v: unknown, opts: { root?: boolean; sequence?: boolean; mapping?: boolean; simpleKey?: boolean }): void {
    this.rootContext = Boolean(opts.root);
    this.simpleKeyContext = Boolean(opts.simpleKey);
    const scalar = representScalar(v);
    if (scalar) {
      this.increaseIndent(true);
      this.scalar(scalar);
      this.popIndent();
      return;
    }
    if (Array.isArray(v)) {
      if (this.flowLevel || this.isFlow(v) || v.length === 0) this.flowSequence(v);
      else this.blockSequence(v, Boolean(opts.mapping) && !this.indention);
      return;
    }
    if (isMapping(v)) {
      if (this.flowLevel || this.isFlow(v) || Object.keys(v).length === 0) this.flowMapping(v);
      else this.blockMapping(v);
      return;
    }
    throw pluginError(`cannot represent an object: ${pyTypeName(v)}`);
  }

  flowSequence(v: unknown[]): void {
    this.writeIndicator('[', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    v.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, { sequence: true });
    });
    this.popIndent();
    this.flowLevel--;
    this.writeIndicator(']', false);
  }

  flowMapping(v: Record<string, unknown>): void {
    this.writeIndicator('{', true, true);
    this.flowLevel++;
    this.increaseIndent(true);
    this.entries(v).forEach(([k, x], i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(k, { mapping: true, simpleKey: true });
      this.writeIndicator(':', false);
      this.node(x, { mapping: true });
    });
    this.popIndent();
    this.flowLevel--;
    this.writeIndicator('}', false);
  }

  blockSequence(v: unknown[], indentless: boolean): void {
    this.increaseIndent(false, indentless);
    for (const item of v) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { sequence: true });
    }
    this.popIndent();
  }

  blockMapping(v: Record<string, unknown>): void {
    this.increaseIndent(false);
    for (const [k, x] of this.entries(v)) {
      this.writeIndent();
      this.node(k, { mapping: true, simpleKey: true });
      this.writeIndicator(':', false);
      this.node(x, { mapping: true });
    }
    this.popIndent();
  }

  scalar(s: Scalar): void {
    const a = analyze(s.text, this.allowUnicode);
    const implicitStr = s.isStr ? !IMPLICIT.some((re) => re.test(s.text)) : true;
    const plainOk =
      implicitStr &&
      !(this.simpleKeyContext && (a.empty || a.multiline)) &&
      ((this.flowLevel > 0 && a.allowFlowPlain) || (this.flowLevel === 0 && a.allowBlockPlain));
    if (plainOk) this.writePlain(s.text);
    else if (a.allowSingleQuoted && !(this.simpleKeyContext && a.multiline)) this.writeSingleQuoted(s.text);
    else this.writeDoubleQuoted(s.text);
  }

  writePlain(text: string): void {
    if (!text) return;
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text.charAt(end) : null;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(text.slice(start, end));
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (text.charAt(start) === '\n') this.writeLineBreak();
          for (const br of text.slice(start, end)) this.writeLineBreak(br);
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === null || ` ${BREAKS}`.includes(ch)) {
        this.write(text.slice(start, end));
        start = end;
      }
      if (ch !== null) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
  }

  writeSingleQuoted(text: string): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text.charAt(end) : null;
      if (spaces) {
        if (ch === null || ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && start !== 0 && end !== text.length) this.writeIndent();
          else this.write(text.slice(start, end));
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (text.charAt(start) === '\n') this.writeLineBreak();
          for (const br of text.slice(start, end)) this.writeLineBreak(br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === null || ` ${BREAKS}`.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(text.slice(start, end));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== null) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  writeDoubleQuoted(text: string): void {
    this.writeIndicator('"', true);
    const chars = [...text];
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? (chars[end] ?? '') : null;
      const code = ch === null ? 0 : (ch.codePointAt(0) ?? 0);
      const plainChar =
        ch !== null &&
        !'"\\\x85\u2028\u2029\ufeff'.includes(ch) &&
        ((code >= 0x20 && code <= 0x7e) || (this.allowUnicode && ((code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd))));
      if (!plainChar) {
        if (start < end) {
          this.write(chars.slice(start, end).join(''));
          start = end;
        }
        if (ch !== null) {
          const esc = ESCAPES[ch];
          if (esc !== undefined) this.write(`\\${esc}`);
          else if (code <= 0xff) this.write(`\\x${code.toString(16).toUpperCase().padStart(2, '0')}`);
          else if (code <= 0xffff) this.write(`\\u${code.toString(16).toUpperCase().padStart(4, '0')}`);
          else this.write(`\\U${code.toString(16).toUpperCase().padStart(8, '0')}`);
          start = end + 1;
        }
      }
      if (end > 0 && end < chars.length - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > this.bestWidth) {
        this.write(`${chars.slice(start, end).join('')}\\`);
        if (start < end) start = end;
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === ' ') this.write('\\');
      }
    }
    this.writeIndicator('"', false);
  }
}

/** yaml.dump(value, Dumper=AnsibleDumper, allow_unicode=True, ...). */
export function yamlDump(value: unknown, opts: YamlDumpOptions = {}): string {
  const indent = opts.indent !== undefined && opts.indent > 1 && opts.indent < 10 ? opts.indent : 2;
  const width = opts.width !== undefined && opts.width > indent * 2 ? opts.width : 80;
  const e = new Emitter(indent, width, opts.defaultFlowStyle ?? null, opts.sortKeys ?? true, opts.allowUnicode ?? true);
  if (opts.explicitStart) {
    e.writeIndicator('---', true);
  }
  e.node(value, { root: true });
  // Ansible's dumper ends a document with a bare scalar without PyYAML's '...' marker.
  e.writeIndent();
  return e.out;
}
