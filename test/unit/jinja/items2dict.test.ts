import { describe, expect, it } from 'vitest';
import { JinjaError } from '../../../src/jinja/extension.js';
import { Templar } from '../../../src/jinja/templar.js';
import { templateExtensions } from '../../../src/template/render.js';

// Printed by ansible-playbook (ansible-core 2.14.18) on this machine: items2dict subscripts each
// item as Python does, so pairs given as lists (a split of "k=v") take key_name=0, value_name=1.
const RECORDED: [string, string][] = [
  ["[['a', 1], ['b', 2]] | items2dict(key_name=0, value_name=1)", "{'a': 1, 'b': 2}"],
  ["[['a', 'x', 1]] | items2dict(key_name=0, value_name=-1)", "{'a': 1}"],
  ["['ab'] | items2dict(key_name=0, value_name=1)", "{'a': 'b'}"],
  ["[{'k': 'a', 'v': 1}] | items2dict(key_name='k', value_name='v')", "{'a': 1}"],
];

describe('items2dict', () => {
  const templar = new Templar({ extensions: templateExtensions });
  it.each(RECORDED)('{{ %s }}', (expr, printed) => {
    expect(templar.renderValue(`{{ ${expr} }}`, {}, 'case', false)).toBe(printed);
  });

  it('refuses a list item subscripted by a name, in Ansible words', () => {
    expect(() => templar.renderValue("{{ [['a']] | items2dict(key_name='key', value_name=1) }}", {}, 'case', false)).toThrow(
      /items2dict requires a list of dictionaries, got \[\['a'\]\] instead\./,
    );
    expect(() => templar.renderValue("{{ [['a']] | items2dict(key_name='key', value_name=1) }}", {}, 'case', false)).toThrow(JinjaError);
  });
});
