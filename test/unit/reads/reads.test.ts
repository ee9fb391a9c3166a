import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromJson, toJson } from '../../../src/core/read-value.js';
import type { Json, ReadArgs, ReadOutput } from '../../../src/core/reads.js';
import { stableJson } from '../../../src/core/reads.js';
import { aptPackages } from '../../../src/reads/apt-packages.js';
import { allReads } from '../../../src/reads/registry.js';

/** One recorded case: what the read sent, what a real host printed, what the parser must make of it. */
interface ReadCase {
  name: string;
  args: ReadArgs;
  command: string;
  output: { exitCode: number; stdout?: string; stdoutBase64?: string; stderr: string };
  value?: Json;
  error?: string;
}

function casesOf(read: string): ReadCase[] {
  const file = join(import.meta.dirname, `${read}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ReadCase[]) : [];
}

function outputOf(c: ReadCase): ReadOutput {
  const stdoutBytes =
    c.output.stdoutBase64 !== undefined ? Buffer.from(c.output.stdoutBase64, 'base64') : Buffer.from(c.output.stdout ?? '');
  return { exitCode: c.output.exitCode, stdoutBytes, stdout: stdoutBytes.toString('utf8'), stderr: c.output.stderr };
}

describe('reads (cases recorded on a lab host with scripts/record-read-fixtures.mjs)', () => {
  it('every read has recorded cases', () => {
    for (const read of allReads) expect(casesOf(read.name).length, read.name).toBeGreaterThan(0);
  });

  const all = allReads.flatMap((read) => casesOf(read.name).map((c) => ({ read, c, label: `${read.name}: ${c.name}` })));
  it.each(all)('$label', ({ read, c }) => {
    expect(read.command(c.args as never)).toBe(c.command);
    if (c.error !== undefined) {
      expect(() => read.parse(outputOf(c), c.args as never)).toThrow(c.error);
      return;
    }
    const value = read.parse(outputOf(c), c.args as never);
    expect(toJson(value) ?? null).toEqual(c.value);
    // Identity and value survive serialisation: a saved plan can hold what a decision read.
    expect(fromJson(toJson(value))).toEqual(value);
    expect(JSON.parse(stableJson(c.args))).toEqual(c.args);
  });

  it('read names are unique', () => {
    const names = allReads.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('apt_packages: the age of the package lists', () => {
  const age = (stdout: string) =>
    aptPackages.parse({ exitCode: 0, stdout, stdoutBytes: Buffer.from(stdout), stderr: '' }, { names: [], latest: false }).cacheAge;
  it('counts from the update stamp when it is there (stat prints it first)', () =>
    expect(age('@now 100\n@mtime 70\n@mtime 40\n')).toBe(30));
  it('counts from the lists folder without a stamp', () => expect(age('@now 100\n@mtime 40\n')).toBe(60));
  it('counts from the epoch when neither is there', () => expect(age('@now 100\n')).toBe(100));
});
