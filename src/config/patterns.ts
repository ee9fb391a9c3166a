import { readFileSync } from 'node:fs';
import { must, ProvisionError } from '../errors.js';
import { fnmatchRegExp } from '../util/fnmatch.js';
import type { Inventory } from './inventory.js';

/**
 * Ansible host patterns: `all`, `*`, names, groups, globs, `a:b` (union), `a:&b` (intersection),
 * `a:!b` (exclusion), commas as union. `@file` reads names from a retry file.
 * Hosts come in the order the pattern names them (each group in inventory order), so
 * `backups:master` rolls the backups first: with `serial`, the pattern is the rollout order.
 */
export function selectHosts(inv: Inventory, pattern: string): string[] {
  const order = [...inv.hosts.keys()];
  const terms = expandRetryFiles(pattern)
    .split(/[,:]/)
    .map((t) => t.trim())
    .filter(Boolean);
  let selected = new Set<string>(); // a Set keeps insertion order: the pattern's order
  let first = true;
  const termIndex = new Map<string, number>();
  for (const [i, term] of terms.entries()) {
    if (!term.startsWith('&') && !term.startsWith('!'))
      matchTerm(inv, term).forEach((h) => {
        termIndex.has(h) || termIndex.set(h, i);
      });
    if (term.startsWith('&')) selected = new Set(matchTerm(inv, term.slice(1)).filter((h) => selected.has(h)));
    else if (term.startsWith('!'))
      matchTerm(inv, term.slice(1)).forEach((h) => {
        selected.delete(h);
      });
    else
      matchTerm(inv, term).forEach((h) => {
        selected.add(h);
      });
    first = false;
  }
  if (first) return [];
  return [...selected].sort((a, b) => rank(a) - rank(b));

  /** Stable order: by the first term that added the host, then by inventory position. */
  function rank(h: string): number {
    return must(termIndex.get(h), `the pattern term that selected ${h}`) * order.length + order.indexOf(h);
  }
}

function matchTerm(inv: Inventory, term: string): string[] {
  if (term === 'all' || term === '*') return [...inv.hosts.keys()];
  const group = inv.groups.get(term);
  if (group) return group;
  if (inv.hosts.has(term)) return [term];
  if (/[*?[]/.test(term)) {
    const re = hostPatternToRegExp(term);
    const names = new Set<string>();
    for (const h of inv.hosts.keys()) if (re.test(h)) names.add(h);
    for (const [g, hs] of inv.groups)
      if (re.test(g))
        hs.forEach((h) => {
          names.add(h);
        });
    return [...names];
  }
  return [];
}

/**
 * An Ansible host pattern as Python's fnmatch reads it: `*`, `?`, `[seq]` and `[!seq]`,
 * case-sensitive, anchored at both ends. Deliberately not OpenSSH's patterns
 * (src/transport/openssh-pattern.ts), which know no sets and ignore case.
 */
export function hostPatternToRegExp(pattern: string): RegExp {
  return fnmatchRegExp(pattern);
}

function expandRetryFiles(pattern: string): string {
  return pattern
    .split(',')
    .map((part) => {
      if (!part.startsWith('@')) return part;
      try {
        return readFileSync(part.slice(1), 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .join(',');
      } catch (err) {
        throw new ProvisionError('usage', `cannot read limit file ${part.slice(1)}: ${(err as NodeJS.ErrnoException).code}`, {
          hint: 'pass the retry file written by a failed run',
        });
      }
    })
    .join(',');
}
