import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allModules, findModule } from '../../../src/registry/modules.js';

/** The names in the first column of the README's module table (`meta: flush_handlers` names meta). */
function tableNames(): string[] {
  const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Modules'), readme.indexOf('## The keepalived job'));
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return rows.flatMap((r) => [...(r.split('|')[1] ?? '').matchAll(/`([a-z0-9_]+)(?::[^`]*)?`/g)].map((m) => m[1] ?? ''));
}

describe("the README's module table", () => {
  it('names every registered module', () => {
    const names = new Set(tableNames());
    const missing = allModules().filter((m) => !names.has(m.name));
    expect(missing.map((m) => m.name)).toEqual([]);
  });

  it('names only registered modules', () => {
    expect(tableNames().filter((n) => findModule(n) === undefined)).toEqual([]);
  });
});
