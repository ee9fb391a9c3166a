import { inputError, type SourceLocation } from '../errors.js';
import { expandHostEntry, HostRangeError } from './host-pattern.js';
import type { GroupDef, InventoryData } from './inventory-data.js';
import { pythonLiteral } from './python-literal.js';

// Ansible's INI inventory: `[group]` host lines (`name key=value ...`, ranges, `:port`),
// `[group:vars]` lines (`key = value`), `[group:children]` group names; `#` and `;` start comment
// lines. Values go through Python's literal_eval, as Ansible's plugin does: in host lines after
// shell-like splitting (so `x='1'` is the number 1), in :vars lines as written (so `x='1'` is "1").

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

interface Pending {
  state: 'vars' | 'children';
  line: number;
  parents: GroupDef[];
}

/** Add the groups and hosts of an INI inventory `text` (read from `file`) to `data`. */
export function parseIniInventory(data: InventoryData, file: string, text: string): void {
  const at = (line: number, col = 1): SourceLocation => ({ file, line, col });
  const pending = new Map<string, Pending>();
  let group = data.group('ungrouped', at(1));
  let state: 'hosts' | 'vars' | 'children' = 'hosts';

  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const here = at(lineNo, indent + 1);

    const section = SECTION.exec(line);
    if (section) {
      const name = section[1] ?? '';
      const kind = section[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children')
        throw inputError(
          `section [${name}:${kind}] has an unknown type "${kind}"`,
          here,
          `write [${name}], [${name}:vars] or [${name}:children]`,
        );
      state = kind;
      const known = data.groups.has(name);
      group = data.group(name, here);
      if (!known && kind === 'vars' && !pending.has(name)) pending.set(name, { state: 'vars', line: lineNo, parents: [] });
      const waiting = pending.get(name);
      if (waiting && kind !== 'vars') {
        if (waiting.state === 'children') adoptPending(data, name, pending);
        else pending.delete(name);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']'))
      throw inputError(
        `invalid section "${line}"`,
        here,
        'a section is [group], [group:vars] or [group:children], with no spaces and no other ":" or "]" in the name',
      );

    if (state === 'hosts') parseHostLine(data, group, raw, lineNo, file);
    else if (state === 'vars') {
      const eq = raw.indexOf('=');
      if (eq < 0)
        throw inputError(`expected key=value in [${group.name}:vars], got "${line}"`, here, 'write one variable a line: name = value');
      const key = raw.slice(0, eq).trim();
      const value = raw.slice(eq + 1).trim();
      data.setGroupVar(group, key, iniValue(value), here);
    } else {
      const name = GROUP_NAME.exec(line)?.[1];
      if (name === undefined)
        throw inputError(`expected a group name in [${group.name}:children], got "${line}"`, here, 'list one group a line');
      const child = data.groups.get(name);
      if (child) data.addChild(group, child);
      else {
        const p = pending.get(name);
        if (p) p.parents.push(group);
        else pending.set(name, { state: 'children', line: lineNo, parents: [group] });
      }
    }
  });

  for (const [name, p] of pending) {
    if (p.state === 'vars')
      throw inputError(
        `[${name}:vars] sets variables of group "${name}", which this inventory does not define`,
        at(p.line),
        `add a [${name}] section with its hosts, or define the group before this file`,
      );
    throw inputError(
      `[${p.parents.at(-1)?.name ?? name}:children] lists group "${name}", which this inventory does not define`,
      at(p.line),
      `add a [${name}] section with its hosts, or remove "${name}" from the children`,
    );
  }
}

function adoptPending(data: InventoryData, name: string, pending: Map<string, Pending>): void {
  const p = pending.get(name);
  if (!p) return;
  pending.delete(name);
  for (const parent of p.parents) {
    data.addChild(parent, data.group(name, parent.location));
    if (pending.get(parent.name)?.state === 'children') adoptPending(data, parent.name, pending);
  }
}

function parseHostLine(data: InventoryData, group: GroupDef, raw: string, lineNo: number, file: string): void {
  const tokens = shellWords(raw, lineNo, file);
  const first = tokens[0];
  if (!first) return;
  const where = (col: number): SourceLocation => ({ file, line: lineNo, col });
  let entry: ReturnType<typeof expandHostEntry>;
  try {
    entry = expandHostEntry(first.text);
  } catch (e) {
    if (e instanceof HostRangeError) throw inputError(e.message, where(first.col), 'write a range as [01:20], [a:f] or [1:20:2]');
    throw e;
  }
  if (entry.names.some((n) => n === '---'))
    throw inputError('"---" is not a host name', where(first.col), 'this looks like a YAML file: name it .yaml or .yml');
  const vars: { key: string; value: unknown; col: number }[] = [];
  for (const t of tokens.slice(1)) {
    const eq = t.text.indexOf('=');
    if (eq < 0)
      throw inputError(
        `expected key=value after the host name, got "${t.text}"`,
        where(t.col),
        'put each variable as name=value; quote values with spaces: name="two words"',
      );
    vars.push({ key: t.text.slice(0, eq), value: iniValue(t.text.slice(eq + 1)), col: t.col });
  }
  for (const name of entry.names) {
    const host = data.addHost(group, name, where(first.col), file);
    if (entry.port !== undefined) data.setHostVar(host, 'ansible_port', entry.port, where(first.col));
    for (const v of vars) data.setHostVar(host, v.key, v.value, where(v.col));
  }
}

function iniValue(text: string): unknown {
  const lit = pythonLiteral(text);
  return lit === undefined ? text : lit.value;
}

/**
 * Python's shlex.split(line, comments=True), with the column each word starts at: quotes group
 * and are removed, a backslash escapes outside single quotes, `#` ends the line even inside a word.
 */
export function shellWords(line: string, lineNo: number, file: string): { text: string; col: number }[] {
  const words: { text: string; col: number }[] = [];
  let cur: { text: string; col: number } | undefined;
  let i = 0;
  const start = () => {
    cur ??= { text: '', col: i + 1 };
    return cur;
  };
  while (i < line.length) {
    const c = line.charAt(i);
    if (/\s/.test(c)) {
      if (cur) words.push(cur);
      cur = undefined;
      i++;
    } else if (c === '#') break;
    else if (c === "'" || c === '"') {
      const w = start();
      const open = i++;
      for (;;) {
        if (i >= line.length) throw inputError('a quote is not closed', { file, line: lineNo, col: open + 1 }, `close the ${c} quote`);
        const d = line.charAt(i++);
        if (d === c) break;
        if (c === '"' && d === '\\' && (line.charAt(i) === '"' || line.charAt(i) === '\\')) w.text += line.charAt(i++);
        else w.text += d;
      }
    } else if (c === '\\') {
      start().text += line.charAt(i + 1);
      i += 2;
    } else {
      start().text += c;
      i++;
    }
  }
  if (cur) words.push(cur);
  return words;
}
