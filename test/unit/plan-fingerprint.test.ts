import { describe, expect, it } from 'vitest';
import { ask } from '../../src/core/reads.js';
import { readFingerprint } from '../../src/plan/changes.js';
import { fileTimes } from '../../src/reads/file-times.js';
import { hostFacts } from '../../src/reads/host-facts.js';
import { pathStat } from '../../src/reads/path-stat.js';

const FACTS = [
  'id=debian',
  'version=12',
  'codename=bookworm',
  'arch=x86_64',
  'hostname=web1',
  'memtotal=2048000',
  'memfree=1000000',
  'addr=host0 198.18.0.29/22',
].join('\n');

describe('what a plan fingerprints of a read: its state, not time', () => {
  it('host facts: free memory and addresses (a VIP moving) do not count; the release does', () => {
    const q = ask(hostFacts, {});
    const fp = (stdout: string) => readFingerprint(q, q.parse({ exitCode: 0, stdout, stdoutBytes: Buffer.from(stdout), stderr: '' }));
    const base = fp(FACTS);
    expect(fp(FACTS.replace('memfree=1000000', 'memfree=900000'))).toBe(base);
    expect(fp(`${FACTS}\naddr=host0 198.18.1.25/22`)).toBe(base);
    expect(fp(FACTS.replace('version=12', 'version=13'))).not.toBe(base);
  });

  it('path_stat and file_times: an access time does not count, a modification time does', () => {
    const line = (mtime: string, atime: string) =>
      `regular file|644|0|0|root|root|5|${mtime}|${atime}|1700000000.000000000|12|34|1|8|4096|0|0\naccess=rw\n`;
    const q = ask(pathStat, { path: '/etc/x' });
    const fp = (stdout: string) => readFingerprint(q, q.parse({ exitCode: 0, stdout, stdoutBytes: Buffer.from(stdout), stderr: '' }));
    const base = fp(line('1700000000.000000000', '1700000000.000000000'));
    expect(fp(line('1700000000.000000000', '1700000999.000000000'))).toBe(base);
    expect(fp(line('1700000500.000000000', '1700000000.000000000'))).not.toBe(base);

    const t = ask(fileTimes, { path: '/etc/x' });
    const ft = (stdout: string) => readFingerprint(t, t.parse({ exitCode: 0, stdout, stdoutBytes: Buffer.from(stdout), stderr: '' }));
    expect(ft('202601010000.00\n202601020000.00\n')).toBe(ft('202601010000.00\n202601030000.00\n'));
    expect(ft('202601010000.00\n202601020000.00\n')).not.toBe(ft('202601010500.00\n202601020000.00\n'));
  });
});
