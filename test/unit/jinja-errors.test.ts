import { describe, expect, it } from 'vitest';
import { JinjaError } from '../../src/jinja/extension.js';
import { Templar } from '../../src/jinja/templar.js';

// Broken templates: each error is a JinjaError of the kind Ansible reports, names the template and
// line:col, and says what is wrong in Jinja's words, never JavaScript's.
const templar = new Templar();

function failure(source: string, vars: Record<string, unknown> = {}): JinjaError {
  try {
    templar.renderTemplate(source, vars, 'roles/web/templates/site.conf.j2');
  } catch (err) {
    if (err instanceof JinjaError) return err;
    throw err;
  }
  throw new Error(`rendered without an error: ${source}`);
}

const JAVASCRIPT_WORDS = /SyntaxError|TypeError|ReferenceError|Cannot read|is not a function|undefined is not|\[object Object\]/;

describe('template errors', () => {
  const cases: { what: string; source: string; vars?: Record<string, unknown>; kind: JinjaError['kind']; at: string; words: RegExp }[] = [
    {
      what: 'undefined variable',
      source: 'server {\n  listen {{ listen_port }};\n}\n',
      kind: 'undefined',
      at: ':2:13:',
      words: /'listen_port' is undefined/,
    },
    {
      what: 'missing attribute',
      source: '{{ cfg.missing_key }}\n',
      vars: { cfg: { present: 1 } },
      kind: 'undefined',
      at: ':1:4:',
      words: /'dict object' has no attribute 'missing_key'/,
    },
    {
      what: 'extra token',
      source: 'a\n{{ foo bar }}\n',
      vars: { foo: 1 },
      kind: 'syntax',
      at: ':2:8:',
      words: /expected token 'end of print statement', got 'bar'/,
    },
    {
      what: 'unclosed block',
      source: '{% for i in l %}\n{{ i }}\n',
      vars: { l: [1] },
      kind: 'syntax',
      at: ':',
      words:
        /Unexpected end of template\. Jinja was looking for the following tags: 'endfor' or 'else'\. The innermost block that needs to be closed is 'for'\./,
    },
    {
      what: 'mismatched end tag',
      source: '{% if true %}x{% endfor %}\n',
      kind: 'syntax',
      at: ':1:18:',
      words: /Encountered unknown tag 'endfor'\. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'/,
    },
    {
      what: 'unknown filter',
      source: "{{ 'x' | no_such_filter }}\n",
      kind: 'syntax',
      at: ':1:10:',
      words: /no filter named 'no_such_filter'/,
    },
    { what: 'unknown test', source: "{{ 'x' is no_such_test }}\n", kind: 'syntax', at: ':1:8:', words: /no test named 'no_such_test'/ },
    {
      what: 'division by zero',
      source: 'ratio {{ 1 / zero }}\n',
      vars: { zero: 0 },
      kind: 'runtime',
      at: ':1:10:',
      words: /division by zero/,
    },
    { what: 'str + int', source: "{{ 'a' + 1 }}\n", kind: 'runtime', at: ':1:4:', words: /can only concatenate str \(not "int"\) to str/ },
    {
      what: 'calling a string',
      source: '{{ name_str() }}\n',
      vars: { name_str: 'abc' },
      kind: 'runtime',
      at: ':1:4:',
      words: /'str' object is not callable/,
    },
    {
      what: 'missing include',
      source: "{% include 'no-such.j2' %}\n",
      kind: 'runtime',
      at: ':1:1:',
      words: /the template file no-such\.j2 could not be found/,
    },
  ];

  for (const c of cases) {
    it(`${c.what}: ${c.kind}, with the place and Jinja's words`, () => {
      const err = failure(c.source, c.vars);
      expect(err.kind).toBe(c.kind);
      expect(err.message.startsWith(`roles/web/templates/site.conf.j2${c.at}`), err.message).toBe(true);
      expect(err.message).toMatch(c.words);
      expect(err.message).not.toMatch(JAVASCRIPT_WORDS);
    });
  }

  it('an undefined error names the variable', () => {
    expect(failure('{{ nope }}').variable).toBe('nope');
  });
});
