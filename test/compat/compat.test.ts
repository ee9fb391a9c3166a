// The differential harness (test/compat/README.md): every case run by provision on fresh twins
// (check, apply, apply again) and compared with Ansible's recording of the same case
// (test/compat/expected/), or, with COMPAT_LIVE=1 (`npm run compat`), with Ansible run live on
// twins of its own. A case marked `pending` is expected to differ (it.fails): when it starts to
// match, its test fails until the mark is removed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCases, readExpected } from './lib/cases.js';
import { type CaseVerdict, compareRecordings, verdictTable } from './lib/compare.js';
import { runSessions, type Session, toolVersion } from './lib/session.js';
import { labDown, prepareTwins, twinHosts } from './lib/twin-hosts.js';
import type { Recording } from './lib/types.js';

// Overridable so that people adding cases at once each record and compare on twins of their own.
const PROVISION_LAB = process.env.COMPAT_PROVISION_LAB ?? 'test/compat/lab/provision.yaml';
const ANSIBLE_LAB = process.env.COMPAT_ANSIBLE_LAB ?? 'test/compat/lab/ansible.yaml';
const live = process.env.COMPAT_LIVE === '1';
const saveDir = process.env.COMPAT_SAVE_DIR;
const fromDir = process.env.COMPAT_FROM_DIR;

const cases = loadCases();
const provisionRuns = new Map<string, Session | Error>();
const liveAnsible = new Map<string, Recording | Error>();
const verdicts = new Map<string, CaseVerdict>();
const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
let sessionsMs = 0;

async function runSide(tool: 'provision' | 'ansible', lab: string, out: (id: string, s: Session | Error) => void): Promise<void> {
  await prepareTwins(lab, console.log);
  await runSessions(cases, tool, twinHosts(lab), toolVersion(tool), (c, s) => out(c.id, s));
}

function keep(id: string, s: Session | Error): void {
  provisionRuns.set(id, s);
  if (saveDir === undefined || s instanceof Error) return;
  mkdirSync(saveDir, { recursive: true });
  writeFileSync(join(saveDir, `${id}.json`), JSON.stringify(s));
}

function savedRuns(dir: string): void {
  for (const c of cases) {
    const f = join(dir, `${c.id}.json`);
    if (existsSync(f)) provisionRuns.set(c.id, JSON.parse(readFileSync(f, 'utf8')) as Session);
  }
}

beforeAll(async () => {
  const t0 = Date.now();
  if (fromDir !== undefined) return savedRuns(fromDir);
  await Promise.all([
    runSide('provision', PROVISION_LAB, keep),
    live ? runSide('ansible', ANSIBLE_LAB, (id, s) => liveAnsible.set(id, s instanceof Error ? s : s.recording)) : undefined,
  ]);
  sessionsMs = Date.now() - t0;
});

afterAll(async () => {
  const lines: string[] = [];
  for (const c of cases) {
    const v = verdicts.get(c.id);
    if (v) lines.push(...verdictTable(v, c.spec.pending ? `not yet: ${c.spec.pending}` : ''), '');
  }
  const identical = [...verdicts.values()].filter((v) => v.identical);
  const declared = identical.filter((v) => v.phases.some((p) => p.declared.length > 0)).length;
  const pending = cases.filter((c) => c.spec.pending).length;
  lines.push(
    `${identical.length}/${cases.length} cases identical to Ansible (${declared} of them with a declared difference; ${pending} marked not yet; ${live ? 'Ansible run live' : 'against recordings'}; ${seconds(sessionsMs)} on the twins)`,
  );
  console.log(lines.join('\n'));
  if (!process.env.PROVISION_KEEP_LAB && fromDir === undefined)
    await Promise.all([labDown(PROVISION_LAB), live ? labDown(ANSIBLE_LAB) : undefined]);
});

for (const c of cases) {
  const title = c.spec.pending ? `${c.id} (not yet: ${c.spec.pending})` : c.id;
  (c.spec.pending ? it.fails : it)(title, () => {
    const want = live ? liveAnsible.get(c.id) : readExpected(c.id);
    if (want === undefined) throw new Error(`${c.id}: no recording of Ansible's run: npm run compat:record`);
    if (want instanceof Error) throw want;
    const got = provisionRuns.get(c.id);
    if (got === undefined) throw new Error(`${c.id}: provision's run did not happen`);
    if (got instanceof Error) throw got;
    const v = compareRecordings(c.spec, want, got.recording);
    verdicts.set(c.id, v);
    expect(v.identical, [...verdictTable(v), ...Object.values(got.logs)].join('\n')).toBe(true);
  });
}
