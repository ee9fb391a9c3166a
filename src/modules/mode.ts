/**
 * File modes as Ansible takes them: octal ('0644', or 644 as YAML 1.2 reads 0644) or symbolic
 * (`u=rw,g=r,o=r`, `u+x`, `a-w`, `g+X`), as chmod(1) spells them.
 */

const CLAUSE = /^([ugoa]*)([-+=])([rwxXst]*|[ugo])$/;

export const SYMBOLIC_MODE = /^[ugoa]*[-+=]([rwxXst]*|[ugo])(,[ugoa]*[-+=]([rwxXst]*|[ugo]))*$/;

export function isSymbolicMode(mode: string): boolean {
  return SYMBOLIC_MODE.test(mode);
}

/** `mode: 0644` reaches us as the number 644 under YAML 1.2; either way it means octal 0644. Symbolic modes stay as given. */
export function normalizeMode(mode: string | number | undefined): string | undefined {
  if (mode === undefined) return undefined;
  const s = String(mode).replace(/^0o/, '');
  if (isSymbolicMode(s)) return s;
  if (!/^[0-7]{3,4}$/.test(s)) throw new Error(`mode "${mode}" is not an octal mode like 0644 nor a symbolic one like u=rw,g=r`);
  return s.padStart(4, '0');
}

const WHO_BITS = { u: 0o4700, g: 0o2070, o: 0o1007 } as const;

function permBits(perms: string, current: number, isDir: boolean): number {
  let bits = 0;
  for (const p of perms) {
    if (p === 'r') bits |= 0o444;
    else if (p === 'w') bits |= 0o222;
    else if (p === 'x') bits |= 0o111;
    else if (p === 'X' && (isDir || (current & 0o111) !== 0)) bits |= 0o111;
    else if (p === 's') bits |= 0o6000;
    else if (p === 't') bits |= 0o1000;
  }
  return bits;
}

/** The bits another class holds (`g=u`), moved to every class's position. */
function copiedBits(from: 'u' | 'g' | 'o', current: number): number {
  const shift = { u: 6, g: 3, o: 0 }[from];
  const rwx = (current >> shift) & 0o7;
  return (rwx << 6) | (rwx << 3) | rwx;
}

/**
 * The octal mode a symbolic mode makes of `current`, as chmod does. Without a class (`+x`) it
 * applies to all (Ansible does not apply the umask there either).
 */
export function applySymbolicMode(spec: string, current: string, isDir: boolean): string {
  let mode = Number.parseInt(current, 8) & 0o7777;
  for (const clause of spec.split(',')) {
    const m = CLAUSE.exec(clause);
    if (!m) throw new Error(`"${clause}" is not a symbolic mode clause like u+x`);
    const [, whoText = '', op, what = ''] = m;
    const who = whoText === '' || whoText.includes('a') ? 'ugo' : whoText;
    let mask = 0;
    for (const w of who) mask |= WHO_BITS[w as 'u' | 'g' | 'o'];
    // s only means something for u and g, t only for o: keep each where chmod keeps it.
    if (!who.includes('u')) mask &= ~0o4000;
    if (!who.includes('g')) mask &= ~0o2000;
    if (!who.includes('o')) mask &= ~0o1000;
    const bits = (/^[ugo]$/.test(what) ? copiedBits(what as 'u' | 'g' | 'o', mode) : permBits(what, mode, isDir)) & mask;
    if (op === '+') mode |= bits;
    else if (op === '-') mode &= ~bits;
    // = keeps a directory's setuid/setgid bits unless named, as chmod does
    else mode = (mode & ~(mask & (isDir ? 0o1777 : 0o7777))) | bits;
  }
  return mode.toString(8).padStart(4, '0');
}

/** The octal mode wanted, given what the path has now (`current` undefined: a new path, created 0644 or 0755). */
export function resolveMode(want: string | undefined, current: string | undefined, isDir: boolean): string | undefined {
  if (want === undefined || !isSymbolicMode(want)) return want;
  return applySymbolicMode(want, current ?? (isDir ? '0755' : '0644'), isDir);
}
