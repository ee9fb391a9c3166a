import { describe, expect, it } from 'vitest';
import { Templar } from '../../../src/jinja/templar.js';
import { templateExtensions } from '../../../src/template/render.js';

// Printed by ansible-playbook (ansible-core 2.14.18) on this machine: a lookup that finds nothing
// gives lookup() an empty list, not the empty string joining it would give.
const RECORDED: [string, string][] = [
  ["lookup('fileglob', 'nomatch/*') | type_debug", 'list'],
  ["lookup('fileglob', 'nomatch/*') | length", '0'],
  ["lookup('first_found', {'files': ['missing.txt'], 'skip': true}) | type_debug", 'list'],
  ["lookup('items', []) | type_debug", 'list'],
  ["lookup('list', []) ~ '|'", '[]|'],
  ["lookup('list', ['a', 'b']) ~ '|'", "['a', 'b']|"],
  ["lookup('list', [7]) ~ '|'", '[7]|'],
  ["lookup('list', 'a', 'b') ~ '|'", 'a,b|'],
];

describe('lookup() of what a lookup plugin returned', () => {
  const templar = new Templar({ extensions: templateExtensions, searchPaths: ['/nonexistent'] });
  it.each(RECORDED)('{{ %s }}', (expr, printed) => {
    expect(templar.renderValue(`{{ ${expr} }}`, {}, 'case', false)).toBe(printed);
  });
});
