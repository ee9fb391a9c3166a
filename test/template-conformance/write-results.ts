// Writes RESULTS.md: every candidate over the whole set, fidelity and render time, failures by
// cause. Run with scripts/template-conformance-results.sh (vitest runs the TypeScript).
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { huggingfaceCandidate } from './candidates/huggingface.js';
import { minijinjaCandidate } from './candidates/minijinja.js';
import { nunjucksCandidate } from './candidates/nunjucks.js';
import { provisionCandidate } from './candidates/provision.js';
import { provisionJinjaCandidate } from './candidates/provision-jinja.js';
import { loadCases, type Recording, readExpected, SET_DIR } from './case-set.mjs';
import { type CandidateResult, fidelity, judgeAll, needsNoAnsiblePlugin, timeAll } from './measure.js';

function table(results: CandidateResult[], plain: CandidateResult[]): string {
  const rows = results.map((r, i) => {
    const p = plain[i] as CandidateResult;
    return `| ${r.name} | ${fidelity(r).toFixed(1)} % (${r.passed}/${r.total}) | ${fidelity(p).toFixed(1)} % (${p.passed}/${p.total}) | ${r.medianMicros?.toFixed(1)} | ${r.meanMicros?.toFixed(1)} |`;
  });
  return [
    '| candidate | fidelity | fidelity without af-/lk- cases | µs per case (median) | µs per case (mean) |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function failures(r: CandidateResult): string {
  const groups = [...r.failures].sort((a, b) => b[1].length - a[1].length);
  const lines = groups.map(([cause, ids]) => `- **${cause}** (${ids.length}): ${ids.join(', ')}`);
  return [`### ${r.name}`, '', r.notes, '', ...lines, ''].join('\n');
}

it('measures every candidate on the conformance set and writes RESULTS.md', () => {
  const cases = loadCases();
  const recordings = new Map<string, Recording>();
  for (const c of cases) {
    const rec = readExpected(c.id);
    if (rec) recordings.set(c.id, rec);
  }
  expect(recordings.size).toBe(cases.length);
  const candidates = [provisionJinjaCandidate(), provisionCandidate(), minijinjaCandidate(), nunjucksCandidate(), huggingfaceCandidate()];
  const results = candidates.map((cand) => judgeAll(cand, cases, recordings));
  const plain = cases.filter(needsNoAnsiblePlugin);
  const plainResults = candidates.map((cand) => judgeAll(cand, plain, recordings));
  const times = timeAll(candidates, cases);
  for (const r of results) {
    r.medianMicros = times.get(r.name)?.median;
    r.meanMicros = times.get(r.name)?.mean;
  }
  const kinds = `${cases.filter((c) => c.kind === 'template').length} templates, ${cases.filter((c) => c.kind === 'expression').length} expressions`;
  const errors = [...recordings.values()].filter((r) => r.error).length;
  const md = [
    '# Template conformance: candidates measured against Ansible',
    '',
    `${cases.length} cases (${kinds}; ${errors} where Ansible reports an error), recorded with Debian's ansible-core 2.14.18`,
    '(Jinja2 3.1.2) by `scripts/record-template-conformance.mjs`. Regenerate this file with',
    '`scripts/template-conformance-results.sh`.',
    '',
    'A case passes when the template output is byte for byte the same as the `template` module wrote, an expression',
    "gives the same value as `set_fact` stored (compared as JSON: Ansible's int/float distinction is not), or both",
    'fail with the same kind of error (undefined, syntax, unknown-name, runtime: the words differ between engines).',
    `Times: each case rendered once to warm up, then 5 timed rounds, candidates interleaved; the per-case median,`,
    `then the median and mean over cases. Measured on ${cpus().length} cores shared with other work (numbers are noisy).`,
    '',
    table(results, plainResults),
    '',
    "The af-* and lk-* cases test Ansible's own filters and lookups; the second fidelity column leaves them out.",
    '',
    '## Failing cases by cause',
    '',
    ...results.map(failures),
  ].join('\n');
  writeFileSync(join(SET_DIR, 'RESULTS.md'), md);
});
