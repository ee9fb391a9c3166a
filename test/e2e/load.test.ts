import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastEvent, provision } from './helpers.js';

const COUNT = 200;
/** The tests' own light hosts: 198.18.3.1 onwards (index 254), apart from any others; global-setup.ts removes the same set. */
const LIGHT_FIRST = 254;
const dir = mkdtempSync(join(tmpdir(), 'prov-load-'));
const inv = join(dir, 'light.yaml');

afterAll(async () => {
  await provision(['lab', 'light', 'down', '--first', String(LIGHT_FIRST), '--count', String(COUNT)]);
});

/** provision under GNU time: its exit code, output and peak memory in MB. */
function measured(args: string[]) {
  const memFile = join(dir, 'mem');
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', memFile, 'node', 'bin/provision.js', ...args], { maxBuffer: 256 * 1024 * 1024 });
  return {
    code: r.status,
    stdout: r.stdout.toString(),
    stderr: r.stderr.toString(),
    peakMb: Number(readFileSync(memFile, 'utf8').trim().split('\n').pop()) / 1024,
  };
}

describe(`${COUNT} hosts at once`, () => {
  it('runs a playbook on every host concurrently, without running out of descriptors or memory', async () => {
    const up = await provision(['lab', 'light', 'up', String(COUNT), '--first', String(LIGHT_FIRST), '--inventory', inv]);
    expect(up.code, up.stderr).toBe(0);
    // 200 SSH handshakes at once cost this 2-core machine about 30 s of CPU (measured with plain
    // ssh: 200 parallel logins took 30 s): the test is about descriptors and memory, not latency.
    writeFileSync(inv, readFileSync(inv, 'utf8').replace(/^ {2}vars:\n/m, '  vars:\n    provision_connect_timeout: 90\n'));
    const first = measured(['up', inv, '--playbook', 'bench/scale/site.yaml', '--forks', String(COUNT), '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const recap = lastEvent(first.stdout);
    expect(Object.keys(recap.hosts)).toHaveLength(COUNT);
    for (const s of Object.values(recap.hosts) as { failed: number; unreachable: number; changed: number }[])
      expect(s).toMatchObject({ failed: 0, unreachable: 0, changed: 6 });
    expect(first.peakMb).toBeLessThan(300);

    const again = measured(['up', inv, '--playbook', 'bench/scale/site.yaml', '--forks', String(COUNT), '--json']);
    expect(again.code).toBe(0);
    for (const s of Object.values(lastEvent(again.stdout).hosts) as { changed: number }[]) expect(s.changed).toBe(0);
    expect(again.peakMb).toBeLessThan(300);
  });
});
