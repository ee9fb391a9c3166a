import { describe, expect, it } from 'vitest';
import { lazyVars } from '../../src/engine/vars.js';
import { evaluateCondition, findUndefined, referencedNames, renderString, renderValue, TemplateError } from '../../src/template/render.js';

describe('templating (Jinja2 syntax)', () => {
  it('renders strings and keeps native types for a whole expression', () => {
    expect(renderString('port {{ p }}', { p: 80 })).toBe('port 80');
    expect(renderValue('{{ p }}', { p: 80 })).toBe(80);
    expect(renderValue('{{ l }}', { l: [1, 2] })).toEqual([1, 2]);
    expect(renderValue({ a: ['{{ x }}-y'] }, { x: 'x' })).toEqual({ a: ['x-y'] });
  });

  it('keeps the text of a string-type filter (to_json, string) as text, as ansible-core 2.14 does', () => {
    // Measured with ansible-playbook: only a value that is nothing but such a filter's output stays text.
    const s = '{"a": 1}';
    expect(renderValue("{{ {'a': 1} | to_json }}\n", {})).toBe('{"a": 1}\n');
    expect(renderValue("{{ {'a': 1} | to_json }}", {})).toBe('{"a": 1}');
    expect(renderValue('{{ [1] | string }}', {})).toBe('[1]');
    expect(renderValue('{{ s }}', { s })).toEqual({ a: 1 });
    expect(renderValue('{{ s | trim }}', { s })).toEqual({ a: 1 });
    expect(renderValue("{{ {'a': 1} }}", {})).toEqual({ a: 1 });
  });

  it('concatenates lists with +, as Jinja2 does', () => {
    expect(renderValue("{{ a + ['b'] }}", { a: ['a'] })).toEqual(['a', 'b']);
    // ansible-core 2.14 (jinja2_native off) gives a computed number as text
    expect(renderValue('{{ 1 + 2 }}', {})).toBe('3');
    // an integral float leaves the engine as a plain number
    expect(renderValue('{{ [1.0, 0.5] }}', {})).toEqual([1, 0.5]);
  });

  it('has the filters Ansible users reach for', () => {
    expect(renderString("{{ x | default('d') }}", {})).toBe('d');
    expect(renderString("{{ l | join(',') }}", { l: ['a', 'b'] })).toBe('a,b');
    expect(renderValue("{{ 'yes' | bool }}", {})).toBe(true);
    expect(renderString("{{ 'http://m/debian' | regex_replace('^https?://', '') }}", {})).toBe('m/debian');
    // Python's shlex.quote, which Ansible's quote filter is.
    expect(renderString('{{ s | quote }}', { s: "it's" })).toBe(`'it'"'"'s'`);
    expect(renderValue("{{ l | map(attribute='n') | list }}", { l: [{ n: 1 }, { n: 2 }] })).toEqual([1, 2]);
  });

  it('names an undefined variable, also inside attribute lookups', () => {
    expect(() => renderString('a {{ missing }} b', {})).toThrow(/'missing' is undefined/);
    expect(() => renderValue('{{ cfg.port }}', { cfg: {} })).toThrow(/'dict object' has no attribute 'port' \('cfg.port'\)/);
    let caught: unknown;
    try {
      renderString('{{ nope }}', {});
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    expect((caught as TemplateError).variable).toBe('nope');
  });

  it('conditions: undefined names are errors unless guarded', () => {
    expect(evaluateCondition('x == 1', { x: 1 })).toBe(true);
    expect(evaluateCondition('x is defined', {})).toBe(false);
    expect(() => evaluateCondition('y > 1', {})).toThrow(/'y' is undefined in condition "y > 1"/);
    expect(evaluateCondition("'a' in s", { s: 'abc' })).toBe(true);
    // guarded names may be missing; an unguarded one beside them may not
    expect(evaluateCondition('x is defined and x.enabled', {})).toBe(false);
    expect(evaluateCondition('(port | default(80)) == 80', {})).toBe(true);
    expect(() => evaluateCondition('x is defined or y', {})).toThrow(/'y' is undefined/);
    expect(evaluateCondition('flag == True', { flag: true })).toBe(true);
  });

  it('variables render lazily against each other, and unused broken ones never fail', () => {
    const v = lazyVars({ base: '/usr/local', bin: '{{ base }}/bin', broken: '{{ nowhere }}' });
    expect(renderString('{{ bin }}', v)).toBe('/usr/local/bin');
    expect(() => renderString('{{ broken }}', v)).toThrow(/variable 'broken':1:4: 'nowhere' is undefined/);
  });

  it('a variable that refers to itself is reported', () => {
    const v = lazyVars({ a: '{{ a }}x' });
    expect(() => renderString('{{ a }}', v)).toThrow(/refers to itself/);
  });

  it('the names a template reads: not filter keywords, not names it binds, not guarded ones', () => {
    expect(referencedNames("{{ mounts | map(attribute='mount') | list }}")).toEqual(['mounts']);
    expect(referencedNames("{{ users | selectattr('admin', 'equalto', want) | list }}")).toEqual(['users', 'want']);
    expect(referencedNames('{% for u in users %}{{ u.name }}{{ loop.index }}{% endfor %}')).toEqual(['users']);
    expect(referencedNames('{% set x = 1 %}{{ x }}{{ y }}')).toEqual(['y']);
    expect(referencedNames('{% macro m(a, b=c) %}{{ a }}{{ caller() }}{% endmacro %}{{ m(d) }}')).toEqual(['c', 'd']);
    expect(referencedNames('{% block worker %}{{ workers }}{% endblock %}')).toEqual(['workers']);
    expect(referencedNames("{{ x | default(1) }}{{ z is defined }}{{ lookup('env', 'HOME') }}{{ range(3) }}")).toEqual([]);
    expect(findUndefined('{{ cfg.port }} {{ cfg.items() }}', { cfg: { host: 'a' } })).toBe('cfg.port');
    expect(findUndefined("{{ s.split(',') }}", { s: 'a,b' })).toBeUndefined();
  });
});
