// A PAM service file as community.general's pamd module edits it: a doubly linked list of lines
// whose edits are reproduced link for link, including what they drop (comments between a rule and
// the one inserted beside it) and how a changed file is written again (every rule re-spaced, a
// "# Updated by Ansible" mark as the second line).

export const PAM_TYPES = ['account', '-account', 'auth', '-auth', 'password', '-password', 'session', '-session'] as const;

const SIMPLE_CONTROLS = ['required', 'requisite', 'sufficient', 'optional', 'include', 'substack', 'definitive'];
const CONTROL_VALUES = new Set(
  (
    'success open_err symbol_err service_err system_err buf_err perm_denied auth_err cred_insufficient authinfo_unavail ' +
    'user_unknown maxtries new_authtok_reqd acct_expired session_err cred_unavail cred_expired cred_err no_module_data ' +
    'conv_err authtok_err authtok_recover_err authtok_lock_busy authtok_disable_aging try_again ignore abort ' +
    'authtok_expired module_unknown bad_item conv_again incomplete default'
  ).split(' '),
);
const CONTROL_ACTIONS = ['ignore', 'bad', 'die', 'ok', 'done', 'reset'];

const RULE = /(-?(?:auth|account|session|password))\s+(\[.*\]|\S*)\s+(\S*)\s*(.*)\s*/;

/** parse_module_arguments: words, a bracketed [...] group kept whole. */
export function parseArgs(args: readonly string[] | string | undefined): string[] {
  if (args === undefined) return [];
  const list = typeof args === 'string' ? [args] : args;
  if (list.length === 1 && !list[0]) return [];
  return list.flatMap((a) => [...a.matchAll(/\[.*\]|\S*/g)].map((m) => m[0]).filter(Boolean));
}

interface Node {
  kind: 'comment' | 'include' | 'empty' | 'rule';
  text: string;
  type: string;
  /** A simple control, or the words of a bracketed one. */
  control: string | string[];
  path: string;
  args: string[];
  prev?: Node;
  next?: Node;
}

function setControl(n: Node, control: string): void {
  n.control = control.startsWith('[') ? control.replaceAll(' = ', '=').replaceAll('[', '').replaceAll(']', '').split(' ') : control;
}

const controlText = (n: Node) => (Array.isArray(n.control) ? `[${n.control.join(' ')}]` : n.control);

function ruleNode(type: string, control: string, path: string, args: string[]): Node {
  const n: Node = { kind: 'rule', text: '', type, control: '', path, args };
  setControl(n, control);
  return n;
}

function nodeText(n: Node): string {
  if (n.kind !== 'rule') return n.text;
  const head = `${n.type.padEnd(11)}${controlText(n)} ${n.path}`;
  return n.args.length ? `${head} ${n.args.join(' ')}` : head;
}

const matches = (n: Node, type: string, control: string, path: string) =>
  n.kind === 'rule' && n.type === type && controlText(n) === control && n.path === path;

const isFiller = (n: Node | undefined): n is Node => n !== undefined && (n.kind === 'comment' || n.kind === 'empty');

export interface RuleRef {
  type: string;
  control: string;
  path: string;
}

export interface NewRule {
  type?: string;
  control?: string;
  path?: string;
  /** The module_arguments as given (undefined: not given). */
  args?: string[];
}

export class PamService {
  private head?: Node;
  private tail?: Node;

  constructor(content: string) {
    for (const line of content.split(/\r\n|\n|\r/).filter((l, i, all) => i < all.length - 1 || l !== '')) {
      const t = line.trimStart();
      if (t.startsWith('#')) this.append({ kind: 'comment', text: line, type: '', control: '', path: '', args: [] });
      else if (t.startsWith('@include')) this.append({ kind: 'include', text: line, type: '', control: '', path: '', args: [] });
      else if (line.trim() === '') this.append({ kind: 'empty', text: line, type: '', control: '', path: '', args: [] });
      else {
        const m = RULE.exec(line);
        if (!m) throw new Error(`not a PAM rule: ${line}`);
        this.append(ruleNode(m[1] ?? '', m[2] ?? '', m[3] ?? '', parseArgs(m[4])));
      }
    }
  }

  private append(n: Node): void {
    if (!this.tail) this.head = this.tail = n;
    else {
      n.prev = this.tail;
      this.tail.next = n;
      this.tail = n;
    }
  }

  private *nodes(): Generator<Node> {
    for (let n = this.head; n; n = n.next) yield n;
  }

  private find(r: RuleRef): Node[] {
    return [...this.nodes()].filter((n) => matches(n, r.type, r.control, r.path));
  }

  remove(r: RuleRef): number {
    let changes = 0;
    for (const n of this.nodes()) {
      if (!matches(n, r.type, r.control, r.path)) continue;
      if (n.prev) {
        n.prev.next = n.next;
        if (n.next) n.next.prev = n.prev;
      } else {
        this.head = n.next;
        if (n.next) n.next.prev = undefined;
      }
      changes++;
    }
    return changes;
  }

  update(r: RuleRef, w: NewRule): number {
    const args = w.args === undefined ? undefined : parseArgs(w.args);
    let changes = 0;
    for (const n of this.find(r)) {
      let changed = false;
      if (w.type && n.type !== w.type) {
        n.type = w.type;
        changed = true;
      }
      if (w.control && controlText(n) !== w.control) {
        setControl(n, w.control);
        changed = true;
      }
      if (w.path && n.path !== w.path) {
        n.path = w.path;
        changed = true;
      }
      if (args !== undefined && n.args.join('\0') !== args.join('\0')) {
        n.args = args;
        changed = true;
      }
      if (changed) changes++;
    }
    return changes;
  }

  /**
   * Adds the wanted rule on one side of every rule matching `r`, unless the nearest rule on that side
   * is the wanted one already. The module links the new rule straight to that nearest rule, so the
   * comments and blank lines between them drop out; with no rule on that side it keeps the lines at
   * the start of the file and drops those at the end.
   */
  insertBeside(r: RuleRef, w: Required<Omit<NewRule, 'args'>> & { args?: string[] }, side: 'before' | 'after'): number {
    const step = (n: Node) => (side === 'before' ? n.prev : n.next);
    let changes = 0;
    for (const current of this.find(r)) {
      let nearest = step(current);
      while (isFiller(nearest)) nearest = step(nearest);
      if (nearest && matches(nearest, w.type, w.control, w.path)) continue;
      const rule = ruleNode(w.type, w.control, w.path, parseArgs(w.args));
      if (side === 'before') this.link(nearest ?? current.prev, rule, current);
      else this.link(current, rule, nearest);
      changes++;
    }
    return changes;
  }

  /** Puts `middle` between `left` and `right` (either missing: the file's end on that side). */
  private link(left: Node | undefined, middle: Node, right: Node | undefined): void {
    middle.prev = left;
    middle.next = right;
    if (left) left.next = middle;
    else this.head = middle;
    if (right) right.prev = middle;
    else this.tail = middle;
  }

  addArgs(r: RuleRef, given: readonly string[]): number {
    const wanted = parseArgs(given);
    let changes = 0;
    for (const n of this.find(r)) {
      const simple = wanted.filter((a) => !a.startsWith('[') && !a.includes('='));
      const kv = new Map(wanted.filter((a) => !a.startsWith('[') && a.includes('=')).map((a) => splitKv(a)));
      const haveSimple = new Set(n.args.filter((a) => !a.startsWith('[') && !a.includes('=')));
      const haveKv = new Map(n.args.filter((a) => !a.startsWith('[') && a.includes('=')).map((a) => splitKv(a)));
      // Python walks sets here, in no fixed order; provision adds in the order given.
      const add = [...new Set(simple)].filter((a) => !haveSimple.has(a));
      for (const [k, v] of kv) if (!haveKv.has(k)) add.push(`${k}=${v}`);
      let changed = false;
      if (add.length) {
        n.args = [...n.args, ...add];
        changed = true;
      }
      for (const [k, v] of kv) {
        const old = haveKv.get(k);
        if (old === undefined || old === v) continue;
        n.args[n.args.indexOf(`${k}=${old}`)] = `${k}=${v}`;
        changed = true;
      }
      if (changed) changes++;
    }
    return changes;
  }

  removeArgs(r: RuleRef, given: readonly string[]): number {
    const drop = new Set(parseArgs(given));
    let changes = 0;
    for (const n of this.find(r)) {
      if (!n.args.some((a) => drop.has(a))) continue;
      n.args = n.args.filter((a) => !drop.has(a));
      changes++;
    }
    return changes;
  }

  /** The first rule the module would refuse, with its words; undefined when every line is valid. */
  invalid(): string | undefined {
    for (const n of this.nodes()) {
      const line = nodeText(n);
      if (n.kind === 'comment' && !n.text.startsWith('#')) return `Rule is not valid ${line}`;
      if (n.kind === 'include' && !n.text.startsWith('@include')) return `Rule is not valid ${line}`;
      if (n.kind !== 'rule') continue;
      if (!(PAM_TYPES as readonly string[]).includes(n.type)) return `Rule type, ${n.type}, is not valid in rule ${line}`;
      if (!Array.isArray(n.control)) {
        if (!SIMPLE_CONTROLS.includes(n.control)) return `Rule control, ${n.control}, is not valid in rule ${line}`;
        continue;
      }
      for (const c of n.control) {
        const [value = '', action = ''] = c.split('=');
        if (!CONTROL_VALUES.has(value)) return `Rule control value, ${value}, is not valid in rule ${line}`;
        const unsignedInt = /^\s*[-+]?\d+\s*$/.test(action) && Number(action) >= 0;
        if (!CONTROL_ACTIONS.includes(action) && !unsignedInt) return `Rule control action, ${action}, is not valid in rule ${line}`;
      }
    }
    return undefined;
  }

  /** The file as the module writes it: every line, and the "# Updated by Ansible - TIME" mark second. */
  render(stamp: string): string {
    const lines = [...this.nodes()].map(nodeText);
    const mark = `# Updated by Ansible - ${stamp}`;
    if (lines.length <= 1) lines.splice(0, 0, '', mark);
    else if (lines[1]?.startsWith('# Updated by Ansible')) lines[1] = mark;
    else lines.splice(1, 0, mark);
    return `${lines.join('\n')}\n`;
  }
}

function splitKv(a: string): [string, string] {
  const [k = '', v = ''] = a.split('=');
  return [k, v];
}
