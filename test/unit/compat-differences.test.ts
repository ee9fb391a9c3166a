// The harness's declared differences (test/compat/lib/differences.ts): each rule explains only the
// rows it describes, and a case that declares one still fails on anything else.
import { describe, expect, it } from 'vitest';
import type { CaseSpec } from '../compat/lib/cases.js';
import { compareRecordings } from '../compat/lib/compare.js';
import { DIFFERENCE_RULES } from '../compat/lib/differences.js';
import type { HostState, Recording, RunRecord, TaskRow } from '../compat/lib/types.js';

const row = (task: string, status: TaskRow['status'], extra: Partial<TaskRow> = {}): TaskRow => ({ task, host: 'node1', status, ...extra });
const run = (exitCode: number, rows: TaskRow[]): RunRecord => ({ exitCode, rows });

function recording(check: RunRecord, afterCheck: Record<string, HostState> = {}, apply = run(0, [row('a', 'ok')])): Recording {
  const same = run(0, [row('a', 'ok')]);
  return { case: 'c', hash: 'h', tool: 't', runs: { check, apply, again: same }, state: { afterCheck, final: {} } };
}

function spec(rule?: keyof typeof DIFFERENCE_RULES): CaseSpec {
  return {
    about: '',
    constructs: ['x'],
    hosts: 1,
    args: [],
    snapshot: { paths: [], units: [] },
    ...(rule ? { deliberate_difference: { check: { rule, why: 'because' } } } : {}),
  };
}

describe('declared differences', () => {
  const ansiblePreview = run(2, [row('unit file', 'changed'), row('start it', 'failed')]);
  const provisionPreview = run(0, [row('unit file', 'changed'), row('start it', 'changed'), row('restart handler', 'skipped')]);

  it('preview-created explains the task Ansible failed on and the rest of the preview, nothing before it', () => {
    const { run: r, explained } = DIFFERENCE_RULES['preview-created'].explain(ansiblePreview, provisionPreview, run(0, []));
    expect(r).toEqual(ansiblePreview);
    expect(explained).toEqual(['node1 "start it": Ansible failed, provision would change and ran 1 more']);
    expect(compareRecordings(spec('preview-created'), recording(ansiblePreview), recording(provisionPreview)).identical).toBe(true);
    expect(compareRecordings(spec(), recording(ansiblePreview), recording(provisionPreview)).identical).toBe(false);
    // A difference before the failing task is not the rule's.
    const earlier = run(0, [row('unit file', 'ok'), row('start it', 'changed')]);
    expect(compareRecordings(spec('preview-created'), recording(ansiblePreview), recording(earlier)).identical).toBe(false);
    // Nor is provision failing too, or Ansible going on after its failure.
    const failedToo = run(2, [row('unit file', 'changed'), row('start it', 'failed')]);
    expect(DIFFERENCE_RULES['preview-created'].explain(ansiblePreview, failedToo, run(0, [])).explained).toEqual([]);
    const goesOn = run(0, [row('unit file', 'changed'), row('start it', 'failed'), row('next', 'ok')]);
    expect(DIFFERENCE_RULES['preview-created'].explain(goesOn, provisionPreview, run(0, [])).explained).toEqual([]);
  });

  it('decided-at-apply explains only the rows provision marked decided at apply', () => {
    const ansible = run(0, [
      row('read', 'skipped'),
      row('print', 'ok', { printed: 'v = ' }),
      row('note old', 'changed'),
      row('other', 'ok'),
    ]);
    const provision = run(0, [
      row('read', 'skipped'),
      row('print', 'skipped', { decided: true, printed: 'decided at apply: depends on v' }),
      row('note old', 'skipped', { decided: true }),
      row('other', 'ok'),
    ]);
    const v = compareRecordings(spec('decided-at-apply'), recording(ansible), recording(provision));
    expect(v.identical).toBe(true);
    expect(v.phases[0]?.declared).toHaveLength(2);
    const otherDiffers = run(0, [...(provision.rows.slice(0, 3) as TaskRow[]), row('other', 'changed')]);
    expect(compareRecordings(spec('decided-at-apply'), recording(ansible), recording(otherDiffers)).identical).toBe(false);
  });

  it('a declaration that explains nothing fails the case, so it is removed once provision matches', () => {
    const same = run(0, [row('a', 'ok')]);
    const v = compareRecordings(spec('decided-at-apply'), recording(same), recording(same));
    expect(v.identical).toBe(false);
    expect(v.phases[0]?.statusDiffs[0]).toContain('explains no difference');
  });

  it("check-mode-write explains only the paths Ansible's check run left where provision's left none", () => {
    const files = (...f: string[]): Record<string, HostState> => ({ node1: { files: f, packages: [], units: {} } });
    const checked = run(0, [row('limits', 'changed')]);
    const written = '/etc/limits.conf f 0644 root:root e3b0c442';
    const v = compareRecordings(
      spec('check-mode-write'),
      recording(checked, files('/etc/a absent', written)),
      recording(checked, files('/etc/a absent', '/etc/limits.conf absent')),
    );
    expect(v.identical).toBe(true);
    expect(v.phases[0]?.declared).toEqual(["node1 /etc/limits.conf: written by Ansible's check run, not by provision's"]);
    // A file both have, but with other content, is not the rule's; nor is one provision wrote and Ansible did not.
    const other = recording(checked, files('/etc/a absent', '/etc/limits.conf f 0600 root:root e3b0c442'));
    expect(compareRecordings(spec('check-mode-write'), recording(checked, files('/etc/a absent', written)), other).identical).toBe(false);
    const provisionWrote = recording(checked, files('/etc/a f 0644 root:root 00', '/etc/limits.conf absent'));
    expect(
      compareRecordings(spec('check-mode-write'), recording(checked, files('/etc/a absent', '/etc/limits.conf absent')), provisionWrote)
        .identical,
    ).toBe(false);
  });

  it('check-overstates explains only a check row Ansible says changed and its own applied run found ok', () => {
    const ansibleCheck = run(0, [row('policy', 'changed', { items: ['changed', 'changed'] }), row('rule', 'changed')]);
    const provisionCheck = run(0, [row('policy', 'ok', { items: ['ok', 'ok'] }), row('rule', 'changed')]);
    const appliedOk = run(0, [row('policy', 'ok'), row('rule', 'changed')]);
    const v = compareRecordings(spec('check-overstates'), recording(ansibleCheck, {}, appliedOk), recording(provisionCheck, {}, appliedOk));
    expect(v.identical).toBe(true);
    expect(v.phases[0]?.declared).toEqual(['node1 "policy": ok, Ansible\'s check changed and its applied run ok']);
    // Where Ansible's applied run did change it, provision's ok in the check run is a real difference.
    const appliedChanged = run(0, [row('policy', 'changed'), row('rule', 'changed')]);
    expect(
      compareRecordings(
        spec('check-overstates'),
        recording(ansibleCheck, {}, appliedChanged),
        recording(provisionCheck, {}, appliedChanged),
      ).identical,
    ).toBe(false);
  });
});
