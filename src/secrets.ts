/** The mask printed in place of every secret value. */
export const MASK = '********';

/** Variable names whose values are secret without being tagged: Ansible users name them so. */
const SECRET_NAME = /(pass(word|wd)?|secret|token|private_key|api_key)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A registered result's timing fields: never data a secret flows into, and common enough to mask unrelated text. */
const TIMING_KEYS = new Set(['start', 'end', 'delta']);

/** How deep a read value is searched for secrets (the variables users write are shallow). */
const SCAN_DEPTH = 8;

/**
 * Secret values: tagged `!secret` or `!vault`, held by a password-like name, registered from a
 * `no_log` task, or derived by a template that read a secret (taint: the template engine reports
 * every value a render reads through `noteRead`, and a render that read a secret registers what
 * it produced). Masking works on values at the output edge, so a secret is hidden wherever it ends
 * up: a rendered file, a diff, a command line, an error, a JSON event.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;
  /** Bumped on every new secret: a container found clean before may hold a secret now. */
  private generation = 0;
  /** true: the container holds a secret; a number: it held none at that generation. */
  private readonly scanned = new WeakMap<object, true | number>();
  /**
   * How many times a template read a secret value. A render compares it before and after: a
   * counter needs no bookkeeping across nested renders (a lazily rendered variable, an include).
   */
  secretReads = 0;
  /**
   * The plain strings and the containers read since the outermost tracked render began: a value
   * derived from a secret is registered without the plain values it merely passes through (the
   * names beside the passwords of a list of users, the branch of `pw and user`).
   */
  private readonly readLog: unknown[] = [];
  private depth = 0;

  /** Register a secret value (a string or number); its JSON-escaped form and, when it spans lines, each line too. */
  add(value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (!this.addText(text)) return;
    // `--json` prints events as JSON text, where quotes, backslashes and newlines are escaped.
    this.addText(JSON.stringify(text).slice(1, -1));
    // a diff prints a multi-line secret (a private key) line by line
    if (text.includes('\n')) for (const line of text.split('\n')) this.addText(line.trim());
  }

  private addText(text: string): boolean {
    // Very short values would mask ordinary text everywhere; they are too weak to be real secrets anyway.
    if (text.length < 3 || this.values.has(text)) return false;
    this.values.add(text);
    this.pattern = undefined;
    this.generation++;
    return true;
  }

  /**
   * Register every string a value holds (a derived value, a `no_log` result). Numbers and bools are
   * left out: a length or a return code derived from a secret would mask every such number printed.
   */
  addDeep(value: unknown, except?: ReadonlySet<string>, depth = 0): void {
    if (typeof value === 'string') {
      if (!except?.has(value)) this.add(value);
    } else if (depth < SCAN_DEPTH && Array.isArray(value)) for (const v of value) this.addDeep(v, except, depth + 1);
    else if (depth < SCAN_DEPTH && isPlainObject(value)) {
      for (const [k, v] of dataEntries(value)) if (depth > 0 || !TIMING_KEYS.has(k)) this.addDeep(v, except, depth + 1);
    }
  }

  /** The strings a value holds that are not secret (a task's plain arguments, which its result echoes). */
  plainStrings(value: unknown, into = new Set<string>(), depth = 0): Set<string> {
    if (typeof value === 'string') {
      if (!this.values.has(value)) into.add(value);
    } else if (depth < SCAN_DEPTH && Array.isArray(value)) for (const v of value) this.plainStrings(v, into, depth + 1);
    else if (depth < SCAN_DEPTH && isPlainObject(value)) for (const [, v] of dataEntries(value)) this.plainStrings(v, into, depth + 1);
    return into;
  }

  /** Register every value held by a secret-looking name, at any depth. */
  collect(vars: unknown, name = ''): void {
    if (Array.isArray(vars))
      vars.forEach((v) => {
        this.collect(v, name);
      });
    else if (vars && typeof vars === 'object') {
      for (const [k, v] of Object.entries(vars)) this.collect(v, isSecretName(k) ? k : name);
    } else if (name && isSecretName(name)) this.add(vars);
  }

  /** Whether a value is secret or holds one (plain data only: a lazy view's getters are never run). */
  holds(value: unknown, depth = 0): boolean {
    if (typeof value === 'string') return this.values.has(value);
    if (typeof value === 'number') return this.values.has(String(value));
    if (depth >= SCAN_DEPTH || value === null || typeof value !== 'object') return false;
    const seen = this.scanned.get(value);
    if (seen === true || seen === this.generation) return seen === true;
    // a cycle reads as clean while it is being scanned
    this.scanned.set(value, this.generation);
    let found = false;
    if (Array.isArray(value)) found = value.some((v) => this.holds(v, depth + 1));
    else if (isPlainObject(value)) for (const [, v] of dataEntries(value)) if (this.holds(v, depth + 1)) found = true;
    if (found) this.scanned.set(value, true);
    return found;
  }

  /** A template read `value`: count it when it is secret. Free when there are no secrets. */
  noteRead(value: unknown): void {
    if (this.values.size === 0) return;
    if (this.holds(value)) this.secretReads++;
    if (this.depth > 0 && value !== null && (typeof value === 'string' || typeof value === 'object')) this.readLog.push(value);
  }

  /** Run `fn`; what it returns, and whether it read a secret on the way. */
  track<T>(fn: () => T): { value: T; tainted: boolean } {
    const before = this.secretReads;
    if (this.depth++ === 0) this.readLog.length = 0;
    try {
      const value = fn();
      return { value, tainted: this.secretReads !== before };
    } finally {
      this.depth--;
    }
  }

  /** A value computed from a secret: secret, but for the plain values read on the way that it only passes on. */
  addDerived(value: unknown): void {
    if (typeof value !== 'string' && (value === null || typeof value !== 'object')) return;
    const passed = new Set<string>();
    for (const v of this.readLog) this.plainStrings(v, passed);
    this.addDeep(value, passed);
  }

  mask(text: string): string {
    if (this.values.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.values]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, MASK);
  }

  clear(): void {
    this.values.clear();
    this.pattern = undefined;
    this.generation++;
    this.secretReads = 0;
  }
}

/** The mark of a lazily built view (src/template/render.ts LAZY): `hostvars` builds a host's variables when read. */
const LAZY = Symbol.for('provision.lazyVars');

/** Plain data; a lazy view is not, so that scanning for secrets never builds what nothing asked for. */
function isPlainObject(v: unknown): v is object {
  if (v === null || typeof v !== 'object' || (v as Record<symbol, unknown>)[LAZY]) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The entries of an object's own data properties: accessors (lazily rendered variables) are not run. */
function* dataEntries(o: object): Generator<[string, unknown]> {
  for (const k of Object.keys(o)) {
    const d = Object.getOwnPropertyDescriptor(o, k);
    if (d && 'value' in d) yield [k, d.value];
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One registry per process: secrets are collected during loading and applied by every reporter. */
export const secrets = new SecretRegistry();

/** Mask every secret in text about to leave the process (the entry point every reporter uses). */
export function mask(text: string): string {
  return secrets.mask(text);
}
