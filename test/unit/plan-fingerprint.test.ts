import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/core/reads.js';
import { readFingerprint } from '../../src/plan/changes.js';
import { fileTimes } from '../../src/reads/file-times.js';
import { hostFacts } from '../../src/reads/host-facts.js';
import { pathStat } from '../../src/reads/path-stat.js';

/** provision's gathering as recorded on a lab host (scripts/record-facts.mjs). */
const GATHERED = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/facts/provision-gather.json'), 'utf8')) as {
    variants: { gather_subset: string[]; stdout: string }[];
  }
).variants[0];

describe('what a plan fingerprints of a read: its state, not time', () => {
  it('host facts: free memory, the time and addresses (a VIP moving) do not count; the release does', () => {
    const q = ask(hostFacts, { gather_subset: GATHERED?.gather_subset ?? ['all'] });
    const fp = (stdout: string) => readFingerprint(q, q.parse({ exitCode: 0, stdout, stdoutBytes: Buffer.from(stdout), stderr: '' }));
    const facts = GATHERED?.stdout ?? '';
    const base = fp(facts);
    expect(fp(facts.replace(/^MemFree:.*$/m, 'MemFree: 1000 kB'))).toBe(base);
    expect(fp(facts.replace(/^now=\d{4}/m, 'now=2031'))).toBe(base);
    const vip = '2: host0    inet 198.18.1.25/22 scope global secondary host0\\       valid_lft forever preferred_lft forever';
    expect(fp(facts.replace('::addrs\n', `::addrs\n${vip}\n`))).toBe(base);
    expect(fp(facts.replace('VERSION_ID="12"', 'VERSION_ID="13"'))).not.toBe(base);
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
