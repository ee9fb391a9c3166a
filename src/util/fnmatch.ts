/**
 * Python's fnmatch as a RegExp: `*`, `?`, `[seq]` and `[!seq]`, case-sensitive, anchored at both
 * ends; a `[` that never closes is itself.
 */
export function fnmatchRegExp(pattern: string): RegExp {
  let body = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    const setEnd = c === '[' ? closingBracket(pattern, i) : -1;
    if (c === '*') body += '.*';
    else if (c === '?') body += '.';
    else if (setEnd > 0) {
      const set = pattern.slice(i + 1, setEnd).replace(/[\\\]]/g, '\\$&');
      body += set.startsWith('!') ? `[^${set.slice(1)}]` : `[${set.startsWith('^') ? `\\${set}` : set}]`;
      i = setEnd;
    } else body += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${body}$`, 's');
}

/** Where the set opened at `open` closes; -1 when it never does (the `[` is then itself). A `]` first in the set is a member. */
function closingBracket(pattern: string, open: number): number {
  let j = open + 1;
  if (pattern.charAt(j) === '!') j++;
  if (pattern.charAt(j) === ']') j++;
  return pattern.indexOf(']', j);
}
