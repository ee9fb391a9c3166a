// The differential harness's corpus (test/compat/): its cases parse, each recording of Ansible's
// run is of the case as it is now, and the construct matrix (constructs.yaml) is what the cases say.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMPAT_DIR, loadCases, readExpected } from '../compat/lib/cases.js';
import { DIFFERENCE_RULES } from '../compat/lib/differences.js';

const MATRIX = join(COMPAT_DIR, 'constructs.yaml');
const cases = loadCases('');
const matrixText = readFileSync(MATRIX, 'utf8');
const matrix = parse(matrixText) as Record<string, { issue: number; cases: string[] }>;

/** construct -> the cases whose case.yaml names it, in case order. */
function casesByConstruct(): Map<string, string[]> {
  const m = new Map<string, string[]>(Object.keys(matrix).map((k) => [k, []]));
  for (const c of cases) for (const k of c.spec.constructs) m.set(k, [...(m.get(k) ?? []), c.id]);
  return m;
}

/** constructs.yaml with its `cases` lists rewritten from the cases (one line per construct). */
function rewrittenMatrix(): string {
  const derived = casesByConstruct();
  return matrixText.replace(/^([\w.-]+): \{ issue: (\d+), cases: \[[^\]]*\] \}$/gm, (_, name: string, issue: string) => {
    return `${name}: { issue: ${issue}, cases: [${(derived.get(name) ?? []).join(', ')}] }`;
  });
}

describe('compat corpus', () => {
  it('has at least 25 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  // A case declares a difference only by one of four rules, and the harness lets a rule explain
  // nothing but the rows or paths it describes (test/compat/lib/differences.ts): a dry run previews
  // what an earlier task of the run creates where Ansible's check run fails, does not decide a task
  // on the output of a command it did not run, writes nothing where one of Ansible's modules writes
  // in check mode, and says ok where Ansible's check says changed and its own applied run changes
  // nothing. A fifth rule would be a new difference to argue for.
  it('declares differences from Ansible by at most four rules', () => {
    expect(Object.keys(DIFFERENCE_RULES).length).toBeLessThanOrEqual(4);
    const used = new Set(cases.flatMap((c) => Object.values(c.spec.deliberate_difference ?? {}).map((d) => d.rule)));
    expect(used.size).toBeLessThanOrEqual(4);
  });

  // A pending case may wait for its recording (nothing of provision's can match it yet); any other
  // case needs one, and no recording may be of an older version of its case.
  it.each(cases.map((c) => [c.id, c] as const))('%s: Ansible was recorded on this version of the case', (id, c) => {
    const rec = readExpected(id);
    if (rec === undefined && c.spec.pending !== undefined) return;
    expect(rec, `no recording for ${id}: npm run compat:record`).toBeDefined();
    expect(rec?.hash, `${id} changed since Ansible's run was recorded: npm run compat:record`).toBe(c.hash);
  });

  it('names only constructs the matrix knows', () => {
    const unknown = cases.flatMap((c) => c.spec.constructs.filter((k) => !(k in matrix)).map((k) => `${c.id}: ${k}`));
    expect(unknown).toEqual([]);
  });

  it('matrix lists exactly the cases that name each construct', () => {
    if (process.env.COMPAT_WRITE_MATRIX === '1') writeFileSync(MATRIX, rewrittenMatrix());
    expect(
      readFileSync(MATRIX, 'utf8'),
      'constructs.yaml is stale: COMPAT_WRITE_MATRIX=1 npx vitest run --project unit test/unit/compat-corpus.test.ts',
    ).toBe(rewrittenMatrix());
  });

  // Issue 11 wants every construct covered; until the corpus is complete this is expected to fail
  // (it.fails), and the count of uncovered constructs is printed. It fails for real once nothing is left.
  it.fails('has a case for every construct of issues 11, 12 and 15', () => {
    const uncovered = [...casesByConstruct()].filter(([, ids]) => ids.length === 0).map(([k]) => k);
    console.log(`constructs without a case: ${uncovered.length} of ${Object.keys(matrix).length}`);
    expect(uncovered).toEqual([]);
  });
});
