/**
 * The one place a value becomes part of a shell command: POSIX single quotes, where nothing
 * is special but the quote itself. Every module builds commands through these helpers.
 */
export function quote(value: string | number): string {
  const s = String(value);
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A command line from a program and its arguments, each quoted. */
export function commandLine(argv: readonly (string | number)[]): string {
  return argv.map(quote).join(' ');
}

/** `NAME=value` assignments for `env`, names checked so they cannot inject anything. */
export function envAssignments(env: Record<string, unknown>): string[] {
  return Object.entries(env).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new Error(`invalid environment variable name "${k}"`);
    return `${k}=${String(v)}`;
  });
}

/**
 * Split a command line the way a POSIX shell splits words (quotes and backslashes), without
 * expanding anything: `command:` runs its words literally, as Ansible's does.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quoteChar: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quoteChar === "'") {
      if (c === "'") quoteChar = undefined;
      else cur += c;
    } else if (quoteChar === '"') {
      if (c === '"') quoteChar = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line.charAt(i + 1))) cur += line.charAt(++i);
      else cur += c;
    } else if (c === "'" || c === '"') {
      quoteChar = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line.charAt(++i);
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quoteChar) throw new Error(`unterminated ${quoteChar} quote in: ${line}`);
  if (inWord) words.push(cur);
  return words;
}
