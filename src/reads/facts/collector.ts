import type { ReadValue } from '../../core/reads.js';
import { quote } from '../../shell/quote.js';

/** Facts as Ansible's setup returns them, names without the `ansible_` prefix. */
export type Facts = { [name: string]: ReadValue };

/** How the gathering is bounded: gather_timeout, in seconds. */
export interface GatherOptions {
  readonly timeout: number;
}

/**
 * One of Ansible's fact collectors, done as a shell part of the one gathering command and a pure
 * parser of what that part printed. `collected` holds the facts of the collectors parsed before
 * (Ansible's order: platform and distribution first), as Ansible's collected_facts does.
 */
export interface FactCollector {
  readonly name: string;
  /**
   * Every fact it gives, by name (network's per-interface facts aside, named after the host's
   * interfaces): a playbook that reads one of them needs this collector run.
   */
  readonly facts: readonly string[];
  script(options: GatherOptions): string;
  parse(text: string, collected: Facts): Facts;
  /** Its script may run in the gathering's shell itself, as Read.inline says, not in a subshell. */
  readonly inline?: boolean;
}

/**
 * A small text file printed by shell builtins alone: no process start, which on a busy host costs
 * more than the read. A last line without its newline gets one, NUL bytes are lost: for text files
 * whose content is stripped anyway. A missing file prints nothing and fails, as `cat` would.
 */
export function printText(path: string): string {
  return `{ while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < ${quote(path)}; } 2>/dev/null`;
}

/** The line that starts a collector's part of the output. */
export const SECTION = '::facts:';

/** A part's own sub-parts: lines `::name` start one, up to the next. */
export function subParts(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  let name = '';
  let lines: string[] = [];
  const flush = () => {
    if (name) parts.set(name, lines.join('\n'));
  };
  for (const line of text.split('\n')) {
    if (/^::[^\s=]+$/.test(line)) {
      flush();
      name = line.slice(2);
      lines = [];
    } else lines.push(line);
  }
  flush();
  return parts;
}

/** `key=value` lines, the first `=` splitting. */
export function keyValues(text: string | undefined): Map<string, string> {
  const kv = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return kv;
}

/** A file's content as Python's get_file_content gives it: stripped, or undefined when absent or empty. */
export function fileContent(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t ? t : undefined;
}
