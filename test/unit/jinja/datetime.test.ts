import { describe, expect, it } from 'vitest';
import { Templar } from '../../../src/jinja/templar.js';
import { templateExtensions } from '../../../src/template/render.js';

// Each expression was printed by ansible-playbook (ansible-core 2.14.18) on this machine, as a
// debug msg list item: the text Ansible rendered.
const RECORDED: [string, string][] = [
  ["'2024-03-01 10:00:00' | to_datetime", '2024-03-01 10:00:00'],
  ["('2024-03-01 10:00:00' | to_datetime).year", '2024'],
  ["('2024-03-01 10:00:00' | to_datetime).strftime('%d/%m/%Y %H:%M')", '01/03/2024 10:00'],
  ["(('2024-03-01 10:00:00' | to_datetime) - ('2024-01-01 09:30:15' | to_datetime)).days", '60'],
  ["(('2024-03-01 10:00:00' | to_datetime) - ('2024-01-01 09:30:15' | to_datetime)).seconds", '1785'],
  ["(('2024-03-01 10:00:00' | to_datetime) - ('2024-01-01 09:30:15' | to_datetime)).total_seconds()", '5185785.0'],
  ["(('2024-03-01 10:00:00' | to_datetime) - ('2024-01-01 09:30:15' | to_datetime))", '60 days, 0:29:45'],
  ["(('2024-01-01 00:00:00' | to_datetime) - ('2024-01-01 00:00:01' | to_datetime))", '-1 day, 23:59:59'],
  ["('20240301' | to_datetime('%Y%m%d'))", '2024-03-01 00:00:00'],
  ["['2024-03-01 10:00:00' | to_datetime]", '[datetime.datetime(2024, 3, 1, 10, 0)]'],
  ["('d: 2024-03-01' | from_yaml).d | type_debug", 'date'],
  ["('d: 2024-03-01' | from_yaml).d", '2024-03-01'],
  ["('d: 2024-03-01' | from_yaml)", "{'d': datetime.date(2024, 3, 1)}"],
  ["(('d: 2024-03-01' | from_yaml).d - ('d: 2024-02-01' | from_yaml).d).days", '29'],
  ["('2024-03-01 10:00:00' | to_datetime) | type_debug", 'datetime'],
  ["('d: 2024-03-01 10:00:00' | from_yaml).d | type_debug", 'datetime'],
];

describe("Python's datetime values (to_datetime, from_yaml timestamps)", () => {
  const templar = new Templar({ extensions: templateExtensions });
  it.each(RECORDED)('{{ %s }}', (expr, printed) => {
    expect(templar.renderValue(`{{ ${expr} }}`, {}, 'case', false)).toBe(printed);
  });

  it('refuses text that does not match the format, in Python words', () => {
    expect(() => templar.renderValue("{{ '2024-13-01' | to_datetime('%Y-%m-%d') }}", {}, 'case', false)).toThrow(
      "time data '2024-13-01' does not match format '%Y-%m-%d'",
    );
    expect(() => templar.renderValue("{{ '2024-02-30' | to_datetime('%Y-%m-%d') }}", {}, 'case', false)).toThrow(
      'day is out of range for month',
    );
    expect(() => templar.renderValue("{{ 'x' | to_datetime }}", {}, 'case', false)).toThrow(
      "time data 'x' does not match format '%Y-%m-%d %H:%M:%S'",
    );
  });
});
