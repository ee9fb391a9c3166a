// `npm run compat:record`: runs Ansible on every case whose recording is missing or stale (its
// hash differs from the case's; COMPAT_RERECORD=1 records all; COMPAT_CASES=a,b only those) on
// the Ansible twins, and writes test/compat/expected/<id>.json. Run through vitest
// (vitest.record.config.ts) so that it shares the TypeScript harness with the comparison.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { EXPECTED_DIR, expectedFile, loadCases, readExpected } from './lib/cases.js';
import { runSessions, toolVersion } from './lib/session.js';
import { labDown, prepareTwins, twinHosts } from './lib/twin-hosts.js';

const ANSIBLE_LAB = process.env.COMPAT_ANSIBLE_LAB ?? 'test/compat/lab/ansible.yaml';

const all = process.env.COMPAT_RERECORD === '1';
const cases = loadCases().filter((c) => all || readExpected(c.id)?.hash !== c.hash);

afterAll(async () => {
  if (!process.env.PROVISION_KEEP_LAB) await labDown(ANSIBLE_LAB);
});

it.skipIf(cases.length === 0)(`records ${cases.length} case(s) with Ansible`, async () => {
  const t0 = Date.now();
  await prepareTwins(ANSIBLE_LAB, console.log);
  const version = toolVersion('ansible');
  console.log(`Ansible twins ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; recording ${cases.length} case(s) with ${version}`);
  const failed: string[] = [];
  mkdirSync(EXPECTED_DIR, { recursive: true });
  await runSessions(cases, 'ansible', twinHosts(ANSIBLE_LAB), version, (c, s) => {
    if (s instanceof Error) {
      failed.push(`${c.id}: ${s.message}`);
      return void console.log(`${c.id}: NOT RECORDED: ${s.message}`);
    }
    writeFileSync(expectedFile(c.id), `${JSON.stringify(s.recording, null, 2)}\n`);
    const codes = Object.entries(s.recording.runs).map(([p, r]) => `${p} exit ${r.exitCode}`);
    console.log(`${c.id}: reset ${(s.ms.reset / 1000).toFixed(1)} s, runs ${(s.ms.runs / 1000).toFixed(1)} s; ${codes.join(', ')}`);
    for (const [p, log] of Object.entries(s.logs)) if (!log.startsWith('exit 0')) console.log(`${c.id} ${p}: ${log}`);
  });
  console.log(`recorded ${cases.length - failed.length}/${cases.length} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  expect(failed).toEqual([]);
});
