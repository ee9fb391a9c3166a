/**
 * Python's `re` on JavaScript's RegExp: a pattern is translated so that it means what Python means
 * (`(?P<name>...)`, `\A`, `\Z`, `$` before a final newline, `.` and `^`/`$` with only `\n` as a line
 * break, inline flags), and replacement templates are expanded as re.sub expands them.
 */
import { pluginError } from './shared.js';

export interface PyRegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
}

/** A translated pattern, with its group count (findall's shape depends on it). */
export interface PyRegex {
  source: string;
  flags: string;
  groups: number;
  make(global: boolean): RegExp;
}

/** re.compile(pattern, flags) as a JavaScript RegExp; Python's re.error words when it does not compile. */
export function compilePyRegex(pattern: string, opts: PyRegexFlags = {}): PyRegex {
  let ignorecase = Boolean(opts.ignorecase);
  let multiline = Boolean(opts.multiline);
  let dotall = Boolean(opts.dotall);
  let verbose = false;
  let i = 0;
  // Global inline flags at the start: (?aiLmsux)
  for (let m = /^\(\?([aiLmsux]+)\)/.exec(pattern.slice(i)); m; m = /^\(\?([aiLmsux]+)\)/.exec(pattern.slice(i))) {
    const f = m[1] ?? '';
    ignorecase ||= f.includes('i');
    multiline ||= f.includes('m');
    dotall ||= f.includes('s');
    verbose ||= f.includes('x');
    i += m[0].length;
  }
  let out = '';
  let groups = 0;
  let depth = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      const next = pattern.charAt(i + 1);
      if (next === '') throw pluginError(`bad escape (end of pattern) at position ${i}`);
      if (next === 'A') out += '(?<![\\s\\S])';
      else if (next === 'Z') out += '(?![\\s\\S])';
      else out += c + next;
      i += 2;
      continue;
    }
    if (c === '[') {
      // Copy a character class whole; `]` first in it is a literal in Python.
      let j = i + 1;
      if (pattern.charAt(j) === '^') j++;
      if (pattern.charAt(j) === ']') j++;
      while (j < pattern.length && pattern.charAt(j) !== ']') j += pattern.charAt(j) === '\\' ? 2 : 1;
      if (j >= pattern.length) throw pluginError(`unterminated character set at position ${i}`);
      let cls = pattern.slice(i, j + 1);
      cls = cls.replace(/^\[(\^?)\]/, '[$1\\]');
      out += cls;
      i = j + 1;
      continue;
    }
    if (c === '(') {
      depth++;
      const rest = pattern.slice(i);
      const named = /^\(\?P<(\w+)>/.exec(rest);
      const backref = /^\(\?P=(\w+)\)/.exec(rest);
      const comment = /^\(\?#[^)]*\)/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        groups++;
        i += named[0].length;
      } else if (backref) {
        out += `\\k<${backref[1]}>`;
        depth--;
        i += backref[0].length;
      } else if (comment) {
        depth--;
        i += comment[0].length;
      } else if (rest.startsWith('(?(')) {
        throw pluginError('conditional groups are not supported');
      } else if (rest.startsWith('(?')) {
        if (/^\(\?<\w/.test(rest)) groups++;
        out += c;
        i++;
      } else {
        groups++;
        out += c;
        i++;
      }
      continue;
    }
    if (c === ')') {
      if (depth === 0) throw pluginError(`unbalanced parenthesis at position ${i}`);
      depth--;
      out += c;
      i++;
      continue;
    }
    if (verbose && /\s/.test(c)) {
      i++;
      continue;
    }
    if (verbose && c === '#') {
      while (i < pattern.length && pattern.charAt(i) !== '\n') i++;
      continue;
    }
    if (c === '.') out += dotall ? '[\\s\\S]' : '[^\\n]';
    else if (c === '^') out += multiline ? '(?<![^\\n])' : '(?<![\\s\\S])';
    else if (c === '$') out += multiline ? '(?![^\\n])' : '(?=\\n?(?![\\s\\S]))';
    else out += c;
    i++;
  }
  if (depth > 0) throw pluginError(`missing ), unterminated subpattern at position ${pattern.lastIndexOf('(')}`);
  const flags = ignorecase ? 'i' : '';
  try {
    new RegExp(out, flags);
  } catch (err) {
    throw pluginError(`invalid regular expression '${pattern}': ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  return { source: out, flags, groups, make: (global) => new RegExp(out, global ? `${flags}g` : flags) };
}

/** match.group(n or name): the matched text, or null for a group that did not take part. */
export function matchGroup(m: RegExpExecArray, group: number | string): string | null {
  const v = typeof group === 'number' ? m[group] : m.groups?.[group];
  if (typeof group === 'number' && group >= m.length) throw pluginError('invalid group reference');
  if (typeof group === 'string' && !(m.groups && group in m.groups)) throw pluginError(`unknown group name '${group}'`);
  return v ?? null;
}

/** re.sub's template expansion: \1, \g<1>, \g<name>, \n and friends; an unmatched group is empty. */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template.charAt(i);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = template.charAt(i + 1);
    const rest = template.slice(i + 1);
    const namedRef = /^g<([^>]*)>/.exec(rest);
    const numberRef = /^\d{1,2}/.exec(rest);
    if (namedRef) {
      const ref = namedRef[1] ?? '';
      out += matchGroup(m, /^\d+$/.test(ref) ? Number(ref) : ref) ?? '';
      i += namedRef[0].length;
    } else if (numberRef) {
      out += matchGroup(m, Number(numberRef[0])) ?? '';
      i += numberRef[0].length;
    } else {
      const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
      const e = escapes[next];
      if (e !== undefined) out += e;
      else if (/[A-Za-z]/.test(next)) throw pluginError(`bad escape \\${next} at position ${i}`);
      else out += `\\${next}`;
      i++;
    }
  }
  return out;
}

/** Every match of re.finditer, empty matches included as Python finds them. */
export function findAll(re: PyRegex, text: string): RegExpExecArray[] {
  const g = re.make(true);
  const out: RegExpExecArray[] = [];
  for (let m = g.exec(text); m; m = g.exec(text)) {
    out.push(m);
    if (m[0] === '') g.lastIndex++;
  }
  return out;
}

/** re.sub(pattern, template, text). */
export function pySub(re: PyRegex, template: string, text: string): string {
  let out = '';
  let last = 0;
  for (const m of findAll(re, text)) {
    out += text.slice(last, m.index) + expandTemplate(template, m);
    last = m.index + m[0].length;
  }
  return out + text.slice(last);
}

const ESCAPED = new Set('()[]{}?*+-|^$\\.&~# \t\n\r\v\f');

/** re.escape (Python 3.7+): only the characters special in a pattern. */
export function pyEscape(s: string): string {
  let out = '';
  for (const c of s) out += ESCAPED.has(c) ? `\\${c}` : c;
  return out;
}
