import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ansibleExtensions } from '../../../../src/jinja/ansible/index.js';
import type { CallContext } from '../../../../src/jinja/extension.js';
import { Undefined } from '../../../../src/jinja/value.js';

// Where Ansible's value is not the same from one run to the next (no seed, a generated password,
// the controller's environment), the properties it keeps: shape, stability, same result per seed.

const work = mkdtempSync(join(tmpdir(), 'jfilters-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ctx: CallContext = {
  resolve: (n) => new Undefined(n),
  render: (s) => s,
  searchPaths: [work],
  readFile: (p) => readFileSync(p, 'utf8'),
};
const { filters, lookups } = ansibleExtensions;
const must = <T>(v: T | undefined): T => {
  if (v === undefined) throw new Error('not registered');
  return v;
};
const filter = (name: string) => must(filters[name]);
const lookup = (name: string) => must(lookups[name]);

describe('password lookup', () => {
  it('generates once, stores the password in the file and gives it back on the next run', () => {
    const file = join(work, 'creds', 'db');
    const [first] = lookup('password')(ctx, [`creds/db length=16`], {}) as string[];
    expect(first).toMatch(/^[A-Za-z0-9.,:\-_]{16}$/);
    expect(readFileSync(file, 'utf8')).toBe(`${first}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(lookup('password')(ctx, ['creds/db length=16'], {})).toEqual([first]);
  });

  it('keeps a salt beside the password when asked to encrypt, and hashes the same way each run', () => {
    // MD5-crypt: the same file handling as SHA-512 without its 656000 rounds in a unit test.
    const one = lookup('password')(ctx, ['enc'], { encrypt: 'md5_crypt' }) as string[];
    const content = readFileSync(join(work, 'enc'), 'utf8');
    expect(content).toMatch(/^[A-Za-z0-9.,:\-_]{20} salt=[A-Za-z0-9./]{8}\n$/);
    expect(one[0]).toMatch(/^\$1\$[A-Za-z0-9./]{8}\$[A-Za-z0-9./]{22}$/);
    expect(lookup('password')(ctx, ['enc'], { encrypt: 'md5_crypt' })).toEqual(one);
  });

  it('reads a password file written by Ansible (password, then salt=)', () => {
    writeFileSync(join(work, 'from-ansible'), 'kept-secret salt=abcdefgh\n');
    expect(lookup('password')(ctx, ['from-ansible'], {})).toEqual(['kept-secret']);
  });

  it('stores nothing for /dev/null and draws a new password each time', () => {
    const a = lookup('password')(ctx, ['/dev/null'], {});
    const b = lookup('password')(ctx, ['/dev/null'], {});
    expect(a).not.toEqual(b);
  });
});

describe('random and shuffle without a seed', () => {
  it('random picks within the range and from the list', () => {
    for (let i = 0; i < 50; i++) {
      const n = filter('random')(ctx, 10, [2, 3], {}) as number;
      expect([2, 5, 8]).toContain(n);
      expect(['a', 'b']).toContain(filter('random')(ctx, ['a', 'b'], [], {}));
    }
  });

  it('shuffle keeps the items and, with a seed, the order', () => {
    const list = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = filter('shuffle')(ctx, list, [], {}) as number[];
    expect([...shuffled].sort((a, b) => a - b)).toEqual(list);
    expect(filter('shuffle')(ctx, list, [], { seed: 'h1' })).toEqual(filter('shuffle')(ctx, list, [], { seed: 'h1' }));
  });
});

describe('controller environment', () => {
  it('env reads the environment, expanduser the home directory', () => {
    process.env.JFILTERS_TEST_VAR = 'value 1';
    expect(lookup('env')(ctx, ['JFILTERS_TEST_VAR'], {})).toEqual(['value 1']);
    expect(filter('expanduser')(ctx, '~/x', [], {})).toBe(`${process.env.HOME}/x`);
  });

  it('pipe and lines run a command on the controller in the playbook directory', () => {
    writeFileSync(join(work, 'marker'), '');
    expect(lookup('pipe')(ctx, ['ls marker; echo done'], {})).toEqual(['marker\ndone']);
    expect(lookup('lines')(ctx, ['printf "a\\nb\\n"'], {})).toEqual(['a', 'b']);
    expect(() => lookup('pipe')(ctx, ['exit 3'], {})).toThrow('lookup_plugin.pipe(exit 3) returned 3');
  });
});

describe('registration', () => {
  it('offers every filter, test and lookup under its ansible.builtin name too', () => {
    for (const family of [filters, ansibleExtensions.tests, lookups] as Record<string, unknown>[]) {
      const short = Object.keys(family).filter((n) => !n.startsWith('ansible.builtin.'));
      expect(short.length).toBeGreaterThan(5);
      for (const name of short) expect(family[`ansible.builtin.${name}`], name).toBe(family[name]);
    }
  });
});
