import type { CaseSpec } from './cases.js';
import { DIFFERENCE_RULES } from './differences.js';
import { type HostState, PHASES, type Phase, type Recording, type TaskRow } from './types.js';

/** How one phase of provision's run compares with Ansible's. */
export interface PhaseVerdict {
  phase: Phase;
  /** Rows compared (Ansible's count). */
  rows: number;
  /** Changed results (rows) of each tool: a second run must be 0 where Ansible's is. */
  changed: { ansible: number; provision: number };
  statusDiffs: string[];
  printedDiffs: string[];
  stateDiffs: string[];
  /** The rule the case declares for this phase and why (test/compat/lib/differences.ts). */
  deliberate?: string;
  /** The differences that rule explains (they do not fail the case). */
  declared: string[];
}

export interface CaseVerdict {
  id: string;
  phases: PhaseVerdict[];
  /** Equal to Ansible, or different only where the case declares it. */
  identical: boolean;
}

const rowLabel = (r: TaskRow) => `${r.host} "${r.task}"`;

function byHost(rows: TaskRow[]): Map<string, TaskRow[]> {
  const m = new Map<string, TaskRow[]>();
  for (const r of rows) m.set(r.host, [...(m.get(r.host) ?? []), r]);
  return m;
}

/**
 * Per host, the sequence of tasks and their statuses must be Ansible's (across hosts the order
 * depends on the strategy, and what it changes shows in the values printed and the state).
 */
export function compareRows(want: TaskRow[], got: TaskRow[]): { status: string[]; printed: string[] } {
  const status: string[] = [];
  const printed: string[] = [];
  const gotBy = byHost(got);
  for (const [host, rows] of byHost(want)) {
    const mine = gotBy.get(host) ?? [];
    for (const [i, w] of rows.entries()) {
      const g = mine[i];
      if (!g) {
        status.push(`${rowLabel(w)}: Ansible ${w.status}, provision has no result`);
        continue;
      }
      if (g.task !== w.task) {
        status.push(`${host} task ${i + 1}: Ansible ran "${w.task}", provision "${g.task}"`);
        continue;
      }
      if (g.status !== w.status) status.push(`${rowLabel(w)}: Ansible ${w.status}, provision ${g.status}`);
      if (w.items && g.items && w.items.join() !== g.items.join())
        status.push(`${rowLabel(w)} items: Ansible ${w.items.join(' ')}, provision ${g.items.join(' ')}`);
      if (w.printed !== undefined && g.printed !== w.printed)
        printed.push(`${rowLabel(w)} printed: Ansible ${JSON.stringify(w.printed)}, provision ${JSON.stringify(g.printed)}`);
    }
    for (const extra of mine.slice(rows.length)) status.push(`${rowLabel(extra)}: provision ${extra.status}, Ansible did not run it`);
  }
  for (const host of gotBy.keys()) if (!want.some((r) => r.host === host)) status.push(`${host}: provision ran tasks, Ansible none`);
  return { status, printed };
}

function listDiff(what: string, want: string[], got: string[]): string[] {
  const g = new Set(got);
  const w = new Set(want);
  return [
    ...want.filter((x) => !g.has(x)).map((x) => `${what}: Ansible has ${x}, provision not`),
    ...got.filter((x) => !w.has(x)).map((x) => `${what}: provision has ${x}, Ansible not`),
  ];
}

export function compareState(want: Record<string, HostState>, got: Record<string, HostState>): string[] {
  return Object.entries(want).flatMap(([host, w]) => {
    const g = got[host];
    if (!g) return [`${host}: no state read from provision's twin`];
    const units = Object.entries(w.units).flatMap(([u, s]) =>
      g.units[u] === s ? [] : [`${host} unit ${u}: Ansible ${s}, provision ${g.units[u] ?? 'not read'}`],
    );
    return [...listDiff(`${host} file`, w.files, g.files), ...listDiff(`${host} package`, w.packages, g.packages), ...units];
  });
}

const countChanged = (rows: TaskRow[]) => rows.filter((r) => r.status === 'changed').length;

/** Ansible's recording against provision's, phase by phase. */
export function compareRecordings(spec: CaseSpec, want: Recording, got: Recording): CaseVerdict {
  const phases = PHASES.map((phase): PhaseVerdict => {
    const w = want.runs[phase];
    const declaration = spec.deliberate_difference?.[phase];
    const { run: g, explained } = declaration
      ? DIFFERENCE_RULES[declaration.rule].explain(w, got.runs[phase], want.runs.apply)
      : { run: got.runs[phase], explained: [] };
    const rows = compareRows(w.rows, g.rows);
    if ((w.exitCode === 0) !== (g.exitCode === 0)) rows.status.unshift(`exit code: Ansible ${w.exitCode}, provision ${g.exitCode}`);
    const rule = declaration ? DIFFERENCE_RULES[declaration.rule] : undefined;
    const stateOf = (w: Record<string, HostState>, g: Record<string, HostState>) => {
      const mine = rule?.explainState?.(w, g);
      if (mine) explained.push(...mine.explained);
      return compareState(w, mine?.state ?? g);
    };
    const stateDiffs =
      phase === 'check'
        ? stateOf(want.state.afterCheck, got.state.afterCheck)
        : phase === 'again'
          ? stateOf(want.state.final, got.state.final)
          : [];
    if (declaration && explained.length === 0)
      rows.status.push(`the declared ${declaration.rule} explains no difference: remove the declaration`);
    const changed = { ansible: countChanged(w.rows), provision: countChanged(got.runs[phase].rows) };
    const v: PhaseVerdict = {
      phase,
      rows: w.rows.length,
      changed,
      statusDiffs: rows.status,
      printedDiffs: rows.printed,
      stateDiffs,
      declared: explained,
    };
    if (declaration) v.deliberate = `${declaration.rule}: ${declaration.why}`;
    return v;
  });
  const identical = phases.every((p) => p.stateDiffs.length === 0 && p.printedDiffs.length === 0 && p.statusDiffs.length === 0);
  return { id: want.case, phases, identical };
}

const cell = (diffs: string[]) => (diffs.length ? `${diffs.length} differ` : 'same');

/** A case's table: one line per phase, then the differences (the first few of each kind). */
export function verdictTable(v: CaseVerdict, note = ''): string[] {
  const head = `${v.id}: ${v.identical ? 'identical to Ansible' : 'DIFFERS from Ansible'}${note ? ` (${note})` : ''}`;
  const lines = [
    head,
    `  ${'phase'.padEnd(6)} ${'rows'.padStart(4)}  ${'changed A/P'.padEnd(11)}  ${'statuses'.padEnd(22)} ${'printed'.padEnd(10)} state`,
  ];
  for (const p of v.phases) {
    const declared = p.declared.length ? `${p.declared.length} declared` : '';
    const statuses = p.statusDiffs.length ? cell(p.statusDiffs) + (declared && ` + ${declared}`) : declared || 'same';
    const state = p.phase === 'apply' ? '-' : cell(p.stateDiffs);
    const changed = `${p.changed.ansible}/${p.changed.provision}`;
    lines.push(
      `  ${p.phase.padEnd(6)} ${String(p.rows).padStart(4)}  ${changed.padEnd(11)}  ${statuses.padEnd(22)} ${cell(p.printedDiffs).padEnd(10)} ${state}`,
    );
  }
  for (const p of v.phases) {
    if (p.deliberate !== undefined && p.declared.length) {
      lines.push(`    ${p.phase}: declared difference, ${p.deliberate}`);
      for (const d of p.declared.slice(0, 8)) lines.push(`    ${p.phase}:   ${d}`);
    }
    for (const d of [...p.statusDiffs, ...p.printedDiffs, ...p.stateDiffs].slice(0, 8)) lines.push(`    ${p.phase}: ${d}`);
  }
  return lines;
}
