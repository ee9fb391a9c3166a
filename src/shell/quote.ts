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
