// Compares an engine's outcome with Ansible's recording and names the cause of a mismatch, so that
// RESULTS.md can group failures.
import { isDeepStrictEqual } from 'node:util';
import type { Outcome } from './candidates/types.js';
import type { Recording } from './case-set.mjs';

export interface Verdict {
  pass: boolean;
  /** Why it failed, short enough to group on. */
  cause?: string;
}

/** JSON's view of a value: the recorder stores Ansible's values as JSON, so compare like with like. */
function asJson(v: unknown): unknown {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}

function errorCause(message: string): string {
  const first =
    message
      .replace(/\(unknown path\)/g, '')
      .trim()
      .split('\n')[0] ?? '';
  return first
    .replace(/\(in [^)]*\)/g, '')
    .replace(/\[Line \d+, Column \d+\]/g, '')
    .replace(/Template render error: \(unknown path\)/, '')
    .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '…')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
}

function textCause(expected: string, got: string): string {
  if (expected.replace(/\s+/g, '') === got.replace(/\s+/g, '')) return 'whitespace/newlines differ';
  if (/\b(true|false|none)\b/.test(got) && /\b(True|False|None)\b/.test(expected))
    return 'prints true/false/none where Python prints True/False/None';
  if (expected.replace(/'/g, '"') === got.replace(/'/g, '"').replace(/(?<=[[{,:]) ?"/g, (m) => m))
    return "list/dict printed with \" where Python's repr uses '";
  if (/\[object Object\]/.test(got)) return 'prints [object Object]';
  if (/^[^[]*\d,\d/.test(got) && /\[/.test(expected)) return 'prints a list JavaScript-style (a,b)';
  if (expected.includes('#jinja2:') || got.startsWith('#jinja2:')) return '#jinja2: header not applied';
  return 'output differs';
}

export function judge(rec: Recording, got: Outcome): Verdict {
  if (rec.error) {
    if (got.error)
      return got.error.kind === rec.error.kind
        ? { pass: true }
        : { pass: false, cause: `error kind ${got.error.kind}, Ansible: ${rec.error.kind}` };
    return { pass: false, cause: `renders where Ansible fails (${rec.error.kind})` };
  }
  if (got.error) return { pass: false, cause: `fails (${got.error.kind}): ${errorCause(got.error.message)}` };
  if (rec.kind === 'template') {
    if (got.output === rec.output) return { pass: true };
    return { pass: false, cause: textCause(rec.output ?? '', String(got.output)) };
  }
  const want = rec.value;
  const have = asJson(got.value);
  if (isDeepStrictEqual(want, have)) return { pass: true };
  if (typeof want !== typeof have || Array.isArray(want) !== Array.isArray(have))
    return {
      pass: false,
      cause: `value type differs (Ansible ${rec.type}, got ${Array.isArray(have) ? 'list' : have === null ? 'null' : typeof have})`,
    };
  if (typeof want === 'string' && typeof have === 'string') return { pass: false, cause: textCause(want, have) };
  return { pass: false, cause: 'value differs' };
}
