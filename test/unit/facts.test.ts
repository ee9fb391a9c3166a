import { describe, expect, it } from 'vitest';
import { factVars } from '../../src/engine/facts.js';
import { serialBatches } from '../../src/engine/serial.js';
import { fileState } from '../../src/reads/file-state.js';
import { hostFacts } from '../../src/reads/host-facts.js';
import { moduleReference } from '../../src/registry/reference.js';

const output = (stdout: string | Buffer, exitCode = 0) => {
  const stdoutBytes = Buffer.from(stdout);
  return { exitCode, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: '' };
};

describe('facts', () => {
  it('parses the one-round-trip gather output', () => {
    const f = hostFacts.parse(
      output(
        [
          'id=debian',
          'version=12',
          'codename=bookworm',
          'pretty=Debian GNU/Linux 12 (bookworm)',
          'arch=x86_64',
          'kernel=6.1',
          'hostname=MASTER',
          'nproc=2',
          'addr=lo 127.0.0.1/8',
          'addr=host0 198.18.0.29/22',
          'addr=host0 198.18.1.25/22',
          'route= ',
        ].join('\n'),
      ),
      {},
    );
    expect(f).toMatchObject({
      distribution: 'Debian',
      distribution_major_version: '12',
      distribution_release: 'bookworm',
      hostname: 'MASTER',
      interfaces: ['lo', 'host0'],
      all_ipv4_addresses: ['198.18.0.29', '198.18.1.25'],
      default_ipv4: { interface: 'host0', address: '198.18.0.29', prefix: '22' },
    });
    expect(factVars(f).ansible_distribution_release).toBe('bookworm');
  });

  it('parses file state with content', () => {
    const out = Buffer.from('regular file|600|root|root|6\n\nabc\nhello\n');
    expect(fileState.parse(output(out), { path: '/f', content: true })).toMatchObject({
      exists: true,
      type: 'file',
      mode: '0600',
      sha256: 'abc',
      content: Buffer.from('hello\n'),
    });
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
