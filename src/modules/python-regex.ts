// Ansible's modules take Python regular expressions and replacement templates; these map them to JavaScript's.

/** Python's regular expression syntax where it differs from JavaScript's: named groups. */
export function jsRegExp(python: string, flags: string): RegExp {
  return new RegExp(python.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), flags);
}

/** A Python replacement template (\1, \g<name>, \n) applied to one match. */
export function expandTemplate(template: string, groups: (string | undefined)[], named: Record<string, string | undefined> = {}): string {
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', f: '\f', v: '\v' };
  return template.replace(/\\(g<(\w+)>|\d{1,2}|.)/gs, (whole, esc: string, name: string | undefined) => {
    if (name !== undefined) return (/^\d+$/.test(name) ? groups[Number(name)] : named[name]) ?? '';
    if (/^\d+$/.test(esc)) return groups[Number(esc)] ?? '';
    return escapes[esc] ?? whole;
  });
}
