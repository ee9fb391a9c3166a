// Runs candidates over the conformance set: fidelity against Ansible's recordings, render time per
// case, and the failing cases grouped by cause. Pure apart from the clock.
import { performance } from 'node:perf_hooks';
import { must } from '../../src/errors.js';
import type { Candidate } from './candidates/types.js';
import type { Case, Recording } from './case-set.mjs';
import { judge } from './compare.js';

export interface CandidateResult {
  name: string;
  notes: string;
  total: number;
  passed: number;
  /** Median over cases of each case's median render time, in microseconds. */
  medianMicros?: number;
  /** Mean over cases of each case's median render time, in microseconds. */
  meanMicros?: number;
  failures: Map<string, string[]>;
}

/** Cases about Jinja itself and Ansible's templating, not about Ansible's filter and lookup plug-ins. */
export function needsNoAnsiblePlugin(c: Case): boolean {
  return !/^(af|lk)-/.test(c.id);
}

export function fidelity(r: CandidateResult): number {
  return (100 * r.passed) / r.total;
}

export function judgeAll(candidate: Candidate, cases: Case[], recordings: Map<string, Recording>): CandidateResult {
  const failures = new Map<string, string[]>();
  let passed = 0;
  for (const c of cases) {
    const rec = recordings.get(c.id);
    if (!rec) throw new Error(`case ${c.id} has no recording: run scripts/record-template-conformance.mjs`);
    const v = judge(rec, candidate.run(c));
    if (v.pass) passed++;
    else {
      const cause = v.cause ?? 'unknown';
      failures.set(cause, [...(failures.get(cause) ?? []), c.id]);
    }
  }
  return { name: candidate.name, notes: candidate.notes, total: cases.length, passed, failures };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  // An empty list has no median: NaN, as the arithmetic on missing elements gave.
  const at = (k: number) => s[k] ?? Number.NaN;
  return s.length % 2 ? at(m) : (at(m - 1) + at(m)) / 2;
};

/**
 * Render time per case for each candidate: warm-up rounds first, then `rounds` timed rounds with the
 * candidates interleaved, so that load from elsewhere on the machine hits them alike.
 */
export function timeAll(candidates: Candidate[], cases: Case[], rounds = 5, warmup = 1): Map<string, { median: number; mean: number }> {
  for (let w = 0; w < warmup; w++) for (const cand of candidates) for (const c of cases) cand.run(c);
  const samples = new Map(candidates.map((cand) => [cand.name, cases.map(() => [] as number[])]));
  for (let r = 0; r < rounds; r++)
    for (const cand of candidates) {
      const perCase = samples.get(cand.name) ?? [];
      cases.forEach((c, i) => {
        const t0 = performance.now();
        cand.run(c);
        must(perCase[i], `the samples of case ${i}`).push((performance.now() - t0) * 1000);
      });
    }
  const out = new Map<string, { median: number; mean: number }>();
  for (const [name, perCase] of samples) {
    const medians = perCase.map(median);
    out.set(name, { median: median(medians), mean: medians.reduce((a, b) => a + b, 0) / medians.length });
  }
  return out;
}
