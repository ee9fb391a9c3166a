import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/config/inventory.js';
import { pythonLiteral } from '../../src/config/python-literal.js';
import { ExitCode, must, ProvisionError } from '../../src/errors.js';

// Expected values are Ansible's: `ansible-inventory -i test/fixtures/layout/ranges.ini --list` and
// Python's ast.literal_eval (which Ansible's INI plugin applies to every value).

function iniFile(text: string, name = 'hosts.ini'): string {
  const dir = mkdtempSync(join(tmpdir(), 'prov-ini-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function loadError(file: string): ProvisionError {
  try {
    loadInventory(file);
  } catch (e) {
    if (e instanceof ProvisionError) return e;
    throw e;
  }
  throw new Error(`${file} loaded without an error`);
}

describe('Python literals of INI values (ast.literal_eval)', () => {
  const cases: [string, unknown][] = [
    ['0x1F', 31],
    ['1e-2', 0.01],
    ['-0.5', -0.5],
    ['"a\\tb"', 'a\tb'],
    ['{"k": [1, (2, 3)], 2: None}', { k: [1, [2, 3]], 2: null }],
    ['[1, [2, {"a": True}]]', [1, [2, { a: true }]]],
    ['0b101', 5],
    ['1_0.5', 10.5],
    ['"\\x41\\u00e9"', 'Aé'],
    ["'''x'''", 'x'],
    ['r"a\\n"', 'a\\n'],
    ['"a" "b"', 'ab'],
    ['1 # c', 1],
    ['0', 0],
    ['-1e3', -1000],
    ['True', true],
    ['None', null],
  ];
  for (const [text, value] of cases) it(`${text} is ${JSON.stringify(value)}`, () => expect(pythonLiteral(text)).toEqual({ value }));
  for (const text of ['1 if 1 else 2', '[1,2', 'x=1', '007', '"unterminated', 'yes', 'web', 'two words', '1j', ''])
    it(`${JSON.stringify(text)} is no literal: the text is kept`, () => expect(pythonLiteral(text)).toBeUndefined());
});

describe('INI inventories', () => {
  const inv = loadInventory('test/fixtures/layout/ranges.ini');
  const vars = (h: string) => must(inv.hosts.get(h), `host ${h}`).vars;

  it('expands ranges (zero-padded, letters, steps, two ranges) in file order, as ansible-inventory lists them', () => {
    expect(inv.groups.get('web')).toEqual([
      'web01',
      'web02',
      'web03',
      'db-a',
      'db-b',
      'db-c',
      'h1',
      'h4',
      'h7',
      'xa1',
      'xa2',
      'xb1',
      'xb2',
    ]);
    expect(inv.groups.get('v6')).toEqual(['2001:db8::1', '2001:db8::2']);
    expect(inv.groups.get('ungrouped')).toEqual(['lonely']);
  });

  it('host lines: shell-like words, then literal_eval; `#` ends the line even inside a word', () => {
    expect(vars('lonely')).toMatchObject({ x: 1, y: 1, z: '0022', q: 'a', group_names: ['ungrouped'] });
  });

  it(':vars lines: the whole value, literal_eval of it as written (quotes kept, `#` is text)', () => {
    expect(vars('web01')).toMatchObject({ x: '1', y: 'two words', z: '0022', c: 'a # not a comment' });
  });

  it('ports: name:port and [v6]:port set ansible_port; a bare IPv6 address has none', () => {
    expect(vars('h4').ansible_port).toBe(2200);
    expect(vars('db-b').ansible_port).toBe(2201);
    expect(vars('2001:db8::1').ansible_port).toBe(2222);
    expect(vars('2001:db8::2').ansible_port).toBeUndefined();
  });

  it('origins point at the line and column of each value', () => {
    const h = must(inv.hosts.get('db-a'), 'host db-a');
    expect(h.origins.ansible_port).toEqual({ file: 'test/fixtures/layout/ranges.ini', line: 6, col: 10 });
    expect(h.origins.y).toEqual({ file: 'test/fixtures/layout/ranges.ini', line: 14, col: 1 });
  });

  it('children and :vars reach members; a child named before its section is adopted later', () => {
    const i = loadInventory(iniFile('[dc:children]\nweb\n[dc:vars]\nwhere=dc\n[web]\nw1\n'));
    expect(i.groups.get('dc')).toEqual(['w1']);
    expect(must(i.hosts.get('w1'), 'w1').vars).toMatchObject({ where: 'dc', group_names: ['dc', 'web'] });
  });

  it('a file without extension is read as INI when it is not a YAML mapping', () => {
    const i = loadInventory(iniFile('one\ntwo ansible_host=198.18.2.9\n', 'hosts'));
    expect([...i.hosts.keys()]).toEqual(['one', 'two']);
  });

  const bad: [string, string, RegExp, number, number][] = [
    ['unknown section type', '[web:hostz]\nh1\n', /section \[web:hostz\] has an unknown type/, 1, 1],
    ['invalid section', '[web servers]\nh1\n', /invalid section "\[web servers\]"/, 1, 1],
    ['a host word without =', '[web]\nh1 ansible_port 22\n', /expected key=value after the host name, got "ansible_port"/, 2, 4],
    ['a vars line without =', '[web]\nh1\n[web:vars]\n  justaword\n', /expected key=value in \[web:vars\]/, 4, 3],
    ['vars of an undefined group', '[web]\nh1\n[db:vars]\nx=1\n', /\[db:vars\] sets variables of group "db"/, 3, 1],
    ['children naming an undefined group', '[web]\nh1\n[all2:children]\nweb\nnope\n', /lists group "nope"/, 5, 1],
    ['a bad range', '[web]\nw[1:]\n', /has no end value/, 2, 1],
    ['unequal padding', '[web]\nw[01:100]\n', /same number of digits/, 2, 1],
    ['an unclosed quote', '[web]\nh1 x="open\n', /a quote is not closed/, 2, 6],
    ['a YAML document in an INI file', '---\nall: [\n', /"---" is not a host name/, 1, 1],
  ];
  for (const [what, text, message, line, col] of bad) {
    it(`refuses ${what} with file:line:col and exit ${ExitCode.badInput}`, () => {
      const file = iniFile(text);
      const e = loadError(file);
      expect(e.message).toMatch(message);
      expect(e.location).toEqual({ file, line, col });
      expect(e.exitCode).toBe(ExitCode.badInput);
      expect(e.hint).toBeTruthy();
    });
  }
});

describe('INI group cycles', () => {
  it('a cycle of groups no other group reaches is bad input, not a crash', () => {
    const file = iniFile('[a]\nh1\n[b]\nh2\n[a:children]\nb\n[b:children]\na\n');
    expect(loadError(file).message).toMatch(/group "[ab]" contains itself/);
  });
});
