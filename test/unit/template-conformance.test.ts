import { describe, expect, it } from 'vitest';
import { provisionCandidate } from '../template-conformance/candidates/provision.js';
import { caseHash, loadCases, type Recording, readExpected } from '../template-conformance/case-set.mjs';
import { judge } from '../template-conformance/compare.js';
import { fidelity, judgeAll } from '../template-conformance/measure.js';

// The template conformance set (issue 15): cases with the output Ansible itself gave. A case edited
// without re-recording (scripts/record-template-conformance.mjs) fails here. Today's engine is run
// over the set and its fidelity reported; mismatches do not fail the suite until the engine changes.
const cases = loadCases();

describe('template conformance set', () => {
  it('has at least 300 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
  });

  it('has a current recording for every case', () => {
    const stale = cases.filter((c) => readExpected(c.id)?.hash !== caseHash(c)).map((c) => c.id);
    expect(stale, 'cases changed since Ansible recorded them: run node scripts/record-template-conformance.mjs').toEqual([]);
  });

  it('judges a recording as matching itself and a changed outcome as not', { timeout: 60_000 }, () => {
    for (const c of cases) {
      const rec = readExpected(c.id) as Recording;
      const same = rec.error ? { error: rec.error } : rec.kind === 'template' ? { output: rec.output } : { value: rec.value };
      expect(judge(rec, same).pass, c.id).toBe(true);
      const other = rec.error ? { output: 'x' } : rec.kind === 'template' ? { output: `${rec.output}x` } : { value: ['not', rec.value] };
      expect(judge(rec, other).pass, c.id).toBe(false);
    }
  });

  // A few seconds on a loaded machine: hundreds of renders.
  it('reports how much of the set the current engine renders as Ansible does', { timeout: 120_000 }, () => {
    const recordings = new Map(cases.map((c) => [c.id, readExpected(c.id) as Recording]));
    const result = judgeAll(provisionCandidate(), cases, recordings);
    console.log(`template conformance, current engine: ${fidelity(result).toFixed(1)} % (${result.passed}/${result.total})`);
    expect(result.total).toBe(cases.length);
  });
});
