/**
 * OpenSSH's host patterns (match.c), used by known_hosts and by ssh_config's `Host` lines:
 * `*` matches any run of characters, `?` exactly one, nothing else is special; names compare
 * case-insensitively. A list is comma-separated; a `!` before a pattern negates it.
 * Deliberately not Ansible's inventory patterns (src/config/patterns.ts): those have `[...]`
 * sets and `:` operators, and OpenSSH would read a `[` as itself (`[host]:port`).
 */

/**
 * How case is compared: known_hosts folds both sides; ssh_config's `Match host` lowercases only
 * the pattern; its `Host` lines compare exactly (measured with OpenSSH 9.2: `Host web*` does not
 * match `WEB1`, `Host Quiet` does not match `quiet`).
 */
export type PatternCase = 'fold' | 'fold-pattern' | 'exact';

/** Whether `name` matches one pattern. */
export function matchesOpenSshPattern(name: string, pattern: string, o: { case?: PatternCase } = {}): boolean {
  const mode = o.case ?? 'fold';
  const s = mode === 'fold' ? name.toLowerCase() : name;
  const p = mode === 'exact' ? pattern : pattern.toLowerCase();
  let si = 0;
  let pi = 0;
  // Where the last `*` was and where in `s` it currently stops: backtrack there on a mismatch.
  let star = -1;
  let resume = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === s[si]))) {
      si++;
      pi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++resume;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

export type PatternListVerdict = 'match' | 'negated' | 'none';

/**
 * A comma-separated list against `name`, as OpenSSH's match_pattern_list: a matching negated
 * pattern wins over any positive one (`negated`), else any positive match is a `match`.
 */
export function matchOpenSshPatternList(name: string, list: string, o: { case?: PatternCase } = {}): PatternListVerdict {
  let matched = false;
  for (const item of list.split(',')) {
    const negated = item.startsWith('!');
    if (!matchesOpenSshPattern(name, negated ? item.slice(1) : item, o)) continue;
    if (negated) return 'negated';
    matched = true;
  }
  return matched ? 'match' : 'none';
}
