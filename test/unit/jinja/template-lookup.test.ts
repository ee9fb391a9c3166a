import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Templar } from '../../../src/jinja/templar.js';
import { templateExtensions } from '../../../src/template/render.js';

// Printed by ansible-playbook (ansible-core 2.14.18) on this machine: the template lookup renders
// with the delimiters its options name, and honours a template's #jinja2: header.
const TEMPLATES: Record<string, string> = {
  't.j2': 'v={{ v }} h={{ host }}\n',
  'c.j2': 'a {# c #} [# d #] [[ v ]]\n',
  'h.j2': '#jinja2: variable_start_string: "<<", variable_end_string: ">>"\nv=<< v >> {{ v }}\n',
};

const RECORDED: [string, string][] = [
  ["lookup('template', 't.j2', template_vars={'v': 42})", 'v=42 h=node1\n'],
  [
    "lookup('template', 't.j2', template_vars={'v': 'x'}, variable_start_string='[[', variable_end_string=']]')",
    'v={{ v }} h={{ host }}\n',
  ],
  [
    "lookup('template', 'c.j2', template_vars={'v': 2}, comment_start_string='[#', comment_end_string='#]', variable_start_string='[[', variable_end_string=']]')",
    'a {# c #}  2\n',
  ],
  ["lookup('template', 'h.j2', template_vars={'v': 1})", 'v=1 {{ v }}\n'],
];

describe('the template lookup', () => {
  const dir = mkdtempSync(join(tmpdir(), 'template-lookup-'));
  mkdirSync(join(dir, 'templates'));
  for (const [name, text] of Object.entries(TEMPLATES)) writeFileSync(join(dir, 'templates', name), text);
  const templar = new Templar({ extensions: templateExtensions, searchPaths: [dir] });
  it.each(RECORDED)('{{ %s }}', (expr, printed) => {
    expect(templar.renderValue(`{{ ${expr} }}`, { host: 'node1' }, 'case', false)).toBe(printed);
  });
});
