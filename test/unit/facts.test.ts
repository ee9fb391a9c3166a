import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { serialBatches } from '../../src/engine/serial.js';
import { fileState } from '../../src/reads/file-state.js';
import { moduleReference } from '../../src/registry/reference.js';

const output = (stdout: string | Buffer, exitCode = 0) => {
  const stdoutBytes = Buffer.from(stdout);
  return { exitCode, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: '' };
};

describe('facts', () => {
  it('parses file state with content', () => {
    // A small file comes back whole and the controller digests it; a larger one brings sha256sum's line.
    const out = Buffer.from('regular file|600|root|root|6\n\n@whole\nhello\n');
    expect(fileState.parse(output(out), { path: '/f', content: true })).toMatchObject({
      exists: true,
      type: 'file',
      mode: '0600',
      sha256: createHash('sha256').update('hello\n').digest('hex'),
      content: Buffer.from('hello\n'),
    });
    const big = fileState.parse(output(`regular file|600|root|root|2000000\n\n${'a'.repeat(64)}  /f\n`), { path: '/f', content: true });
    expect(big).toMatchObject({ sha256: 'a'.repeat(64) });
    expect(big).not.toHaveProperty('content');
    expect(fileState.parse(output('absent\n'), { path: '/f', content: true })).toEqual({
      exists: false,
      path: '/f',
    });
    expect(fileState.parse(output('symbolic link|777|root|root|3\n/x\n\n'), { path: '/l' })).toMatchObject({
      type: 'link',
      linkTarget: '/x',
    });
  });

  it('serial: numbers, percentages, lists whose last size repeats', () => {
    const h = ['a', 'b', 'c', 'd', 'e'];
    expect(serialBatches(h, undefined)).toEqual([h]);
    expect(serialBatches(h, [2])).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(serialBatches(h, ['40%'])).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(serialBatches(h, [1, 3])).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
  });
});

describe('module reference', () => {
  // Imported with the file, not in the test: loading every module takes seconds on a busy machine.
  it('is generated from the schemas: every module and its arguments', () => {
    const text = moduleReference();
    for (const m of [
      'copy',
      'template',
      'file',
      'lineinfile',
      'apt',
      'get_url',
      'unarchive',
      'command',
      'shell',
      'systemd',
      'assert',
      'wait_for',
    ])
      expect(text).toContain(`## ${m}\n`);
    expect(text).toContain('| checksum | string |  |  | ALGORITHM:HEX, verified before the file is put in place |');
    expect(text).toContain('| state | present, absent, latest |  | "present" |');
    expect(text).toContain('| pkg | string or list of string |  |  | alias of name |');
    expect(text).toContain('Also named `ansible.posix.sysctl`.');
  });
});
