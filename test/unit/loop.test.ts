import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoopSource } from '../../src/config/loop.js';
import { parseLoop, parseLoopControl } from '../../src/config/loop.js';
import { itemLabel, itemVars, loopItems, loopResult, loopSettings, SKIPPED_ITEM } from '../../src/engine/loop.js';
import { lazyVars } from '../../src/engine/vars.js';
import { ProvisionError } from '../../src/errors.js';

// Every expected value below was printed by ansible-core 2.14.18 here (a playbook against localhost
// registering each loop and dumping the results as JSON).

const at = { file: 'site.yml', line: 3, col: 7 };
const dir = mkdtempSync(join(tmpdir(), 'prov-loop-'));
mkdirSync(join(dir, 'files'));
writeFileSync(join(dir, 'files', 'a.conf'), '');
writeFileSync(join(dir, 'files', 'b.conf'), '');
writeFileSync(join(dir, 'lines.txt'), 'l1\nl2\n');

const vars = {
  playbook_dir: dir,
  users: [{ name: 'alice', keys: ['k1', 'k2'] }, { name: 'bob', keys: ['k3'] }, { name: 'carol' }],
  dict1: { b: 2, a: 1 },
  xs: [1, 2, 3],
};
const lookup = (name: string, terms: unknown): LoopSource => ({ kind: 'lookup', lookup: name, terms });
/** Tuples and lists compare alike, as in the JSON Ansible printed. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('loop items, as Ansible computes them', () => {
  it.each<[string, LoopSource, unknown[]]>([
    ['loop', { kind: 'list', value: '{{ xs }}' }, [1, 2, 3]],
    ['with_items flattens one level', lookup('items', [[1, 2], 3, [[4]]]), [1, 2, 3, [4]]],
    ['with_list keeps the list', lookup('list', [[1, 2], 3]), [[1, 2], 3]],
    [
      'with_dict',
      lookup('dict', '{{ dict1 }}'),
      [
        { key: 'b', value: 2 },
        { key: 'a', value: 1 },
      ],
    ],
    [
      'with_subelements, skip_missing',
      lookup('subelements', ['{{ users }}', 'keys', { skip_missing: true }]),
      [
        [{ name: 'alice' }, 'k1'],
        [{ name: 'alice' }, 'k2'],
        [{ name: 'bob' }, 'k3'],
      ],
    ],
    [
      'with_nested',
      lookup('nested', [
        ['a', 'b'],
        [1, 2],
      ]),
      [
        ['a', 1],
        ['a', 2],
        ['b', 1],
        ['b', 2],
      ],
    ],
    [
      'with_cartesian',
      lookup('cartesian', [
        ['a', 'b'],
        [1, 2],
      ]),
      [
        ['a', 1],
        ['a', 2],
        ['b', 1],
        ['b', 2],
      ],
    ],
    [
      'with_together',
      lookup('together', [
        ['a', 'b', 'c'],
        [1, 2],
      ]),
      [
        ['a', 1],
        ['b', 2],
        ['c', null],
      ],
    ],
    ['with_sequence', lookup('sequence', 'start=1 end=5 stride=2 format=n%02d'), ['n01', 'n03', 'n05']],
    [
      'with_indexed_items',
      lookup('indexed_items', ['x', 'y']),
      [
        [0, 'x'],
        [1, 'y'],
      ],
    ],
    ['with_lines', lookup('lines', 'cat lines.txt'), ['l1', 'l2']],
    ['with_items of a string: one item', lookup('items', 'abc'), ['abc']],
  ])('%s', (_, source, expected) => {
    expect(plain(loopItems(source, vars, 'debug', at))).toEqual(expected);
  });

  it('with_fileglob: the matching files of files/, as absolute paths', () => {
    const items = loopItems(lookup('fileglob', ['*.conf']), vars, 'debug', at);
    expect([...(items as string[])].sort()).toEqual([join(dir, 'files/a.conf'), join(dir, 'files/b.conf')]);
  });

  it('with_first_found: the first file that exists, in the subdirectory the action names; undefined terms dropped', () => {
    mkdirSync(join(dir, 'vars'), { recursive: true });
    writeFileSync(join(dir, 'vars', 'default.yml'), 'a: 1\n');
    const terms = ['{{ nope }}.yml', 'missing.yml', 'default.yml'];
    expect(loopItems(lookup('first_found', terms), vars, 'include_vars', at)).toEqual([join(dir, 'vars/default.yml')]);
    expect(loopItems(lookup('first_found', [{ files: ['missing.yml'], skip: true }]), vars, 'copy', at)).toEqual([]);
  });

  it('with_random_choice: one of the terms', () => {
    const items = loopItems(lookup('random_choice', ['a', 'b', 'c']), vars, 'debug', at);
    expect(items).toHaveLength(1);
    expect(['a', 'b', 'c']).toContain(items[0]);
  });

  it.each([
    ['abc', 'abc'],
    ["{{ {'a': 1} }}", "{'a': 1}"],
  ])("loop over %s is Ansible's error, with the task's place", (value, shown) => {
    expect.assertions(3);
    try {
      loopItems({ kind: 'list', value }, vars, 'debug', at);
    } catch (err) {
      expect(err).toBeInstanceOf(ProvisionError);
      expect((err as ProvisionError).message).toBe(
        `site.yml:3:7: Invalid data passed to 'loop', it requires a list, got this instead: ${shown}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`,
      );
      expect((err as ProvisionError).location).toEqual(at);
    }
  });

  it("an undefined variable in the loop is Jinja's undefined error; with_dict of a list is the lookup's", () => {
    expect(() => loopItems({ kind: 'list', value: '{{ nope }}' }, vars, 'debug', at)).toThrow("site.yml:3:7: loop: 'nope' is undefined");
    expect(() => loopItems(lookup('items', '{{ nope }}'), vars, 'debug', at)).toThrow("site.yml:3:7: with_items: 'nope' is undefined");
    expect(() => loopItems(lookup('dict', [1, 2]), vars, 'debug', at)).toThrow('site.yml:3:7: with_dict: with_dict expects a dict');
  });
});

describe('loop keywords', () => {
  const locate = (k: string) => ({ file: 'site.yml', line: 1, col: k.length });
  it('loop or one with_ keyword; two loops are "duplicate loop in task"', () => {
    expect(parseLoop({ loop: [1] }, locate)).toEqual({ kind: 'list', value: [1] });
    expect(parseLoop({ with_dict: '{{ d }}' }, locate)).toEqual({ kind: 'lookup', lookup: 'dict', terms: '{{ d }}' });
    expect(parseLoop({ name: 'x' }, locate)).toBeUndefined();
    expect(() => parseLoop({ loop: [1], with_items: [2] }, locate)).toThrow('duplicate loop in task: items');
  });
});

describe('per-item variables and results', () => {
  it('index_var and extended: ansible_loop as Ansible sets it, allitems by default', () => {
    const { loopVar, loopControl } = parseLoopControl({ loop_var: 'x', index_var: 'i', extended: true, label: 'L{{ x }}' });
    const s = loopSettings(loopVar, loopControl, {});
    const items = ['p', 'q', 'r'];
    expect(itemVars(s, items, 0)).toEqual({
      ansible_index_var: 'i',
      ansible_loop: {
        allitems: ['p', 'q', 'r'],
        first: true,
        index: 1,
        index0: 0,
        last: false,
        length: 3,
        nextitem: 'q',
        revindex: 3,
        revindex0: 2,
      },
      ansible_loop_var: 'x',
      i: 0,
      x: 'p',
    });
    expect(itemVars(s, items, 2)).toEqual({
      ansible_index_var: 'i',
      ansible_loop: {
        allitems: ['p', 'q', 'r'],
        first: false,
        index: 3,
        index0: 2,
        last: true,
        length: 3,
        previtem: 'q',
        revindex: 1,
        revindex0: 0,
      },
      ansible_loop_var: 'x',
      i: 2,
      x: 'r',
    });
    expect(itemLabel(s, lazyVars(itemVars(s, items, 1)))).toEqual({ label: 'Lq' });
  });

  it('extended_allitems: false leaves allitems out; the label defaults to the item', () => {
    const { loopVar, loopControl } = parseLoopControl({ extended: '{{ true }}', extended_allitems: false });
    const s = loopSettings(loopVar, loopControl, {});
    expect(itemVars(s, ['p', 'q'], 1)).toEqual({
      ansible_loop: { first: false, index: 2, index0: 1, last: true, length: 2, previtem: 'p', revindex: 1, revindex0: 0 },
      ansible_loop_var: 'item',
      item: 'q',
    });
    expect(itemLabel(s, lazyVars({ item: { key: 'b', value: 2 } }))).toEqual({ label: "{'key': 'b', 'value': 2}" });
  });

  it("a label that cannot render fails the item with Ansible's words", () => {
    const { loopVar, loopControl } = parseLoopControl({ label: '{{ nope }}' });
    expect(itemLabel(loopSettings(loopVar, loopControl, {}), lazyVars({ item: 1 }))).toEqual({
      error: "Failed to template loop_control.label: 'nope' is undefined",
    });
  });

  it("the task's result from its items: Ansible's keys", () => {
    const ok = { changed: false, failed: false, msg: 1, item: 1, ansible_loop_var: 'item' };
    const skipped = { ...SKIPPED_ITEM, item: 2, ansible_loop_var: 'item' };
    const changed = { ...ok, changed: true };
    const failed = { changed: false, failed: true, msg: 'bad 2', item: 2, ansible_loop_var: 'item' };
    expect(loopResult([ok, skipped])).toEqual({ changed: false, msg: 'All items completed', skipped: false, results: [ok, skipped] });
    expect(loopResult([ok, changed])).toMatchObject({ changed: true, msg: 'All items completed', skipped: false });
    expect(loopResult([skipped])).toEqual({ changed: false, msg: 'All items skipped', skipped: true, results: [skipped] });
    expect(loopResult([skipped, failed])).toEqual({
      changed: false,
      failed: true,
      msg: 'One or more items failed',
      skipped: false,
      results: [skipped, failed],
    });
    expect(loopResult([])).toEqual({ changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] });
  });
});
