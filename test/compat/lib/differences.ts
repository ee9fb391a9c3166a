import type { HostState, RunRecord, TaskRow } from './types.js';

/**
 * The differences from Ansible provision makes on purpose, as rules a case can declare for a phase.
 * A rule never silences a phase: it rewrites only the rows it explains into what Ansible reports
 * there, and whatever else differs still fails the case.
 */
export interface DifferenceRule {
  /** Why provision differs, in one line. */
  about: string;
  /** provision's run as Ansible would have reported it where the rule applies, and a line per row it rewrote. */
  explain(want: RunRecord, got: RunRecord, ansibleApplied: RunRecord): { run: RunRecord; explained: string[] };
  /** The same for the hosts' state after the phase, for a rule about what a run leaves on the host. */
  explainState?(want: Record<string, HostState>, got: Record<string, HostState>): { state: Record<string, HostState>; explained: string[] };
}

function rowsOf(rows: TaskRow[], host: string): TaskRow[] {
  return rows.filter((r) => r.host === host);
}

function hostsOf(rows: TaskRow[]): string[] {
  return [...new Set(rows.map((r) => r.host))];
}

/**
 * Ansible's check run fails on what an earlier task of the same run would create (a unit file, an
 * archive, a link's target, a directory to run in) and stops the host; provision previews the task
 * as the applied run will find it. Explains, per host, the first task Ansible failed and provision
 * showed as would change, when it is Ansible's last row for that host; provision's rows after it are
 * the rest of the preview.
 */
const previewCreated: DifferenceRule = {
  about: 'a check run previews a task on what an earlier task of the run creates, where Ansible fails on it and stops the host',
  explain(want, got) {
    const explained: string[] = [];
    const rows: TaskRow[] = [];
    for (const host of hostsOf(got.rows)) {
      const w = rowsOf(want.rows, host);
      const g = rowsOf(got.rows, host);
      const i = w.findIndex((r) => r.status === 'failed');
      const at = g[i];
      if (i < 0 || i !== w.length - 1 || at?.task !== w[i]?.task || at?.status !== 'changed') {
        rows.push(...g);
        continue;
      }
      rows.push(...g.slice(0, i), { ...at, status: 'failed' });
      explained.push(
        `${host} "${at.task}": Ansible failed, provision would change${g.length > i + 1 ? ` and ran ${g.length - i - 1} more` : ''}`,
      );
    }
    const exitCode = explained.length && want.exitCode !== 0 && got.exitCode === 0 ? want.exitCode : got.exitCode;
    return { run: { exitCode, rows }, explained };
  },
};

/**
 * A check run does not run a command without creates/removes (both tools skip it). Ansible then
 * decides the tasks that read what it registered on its empty output (and may show a change the
 * applied run will not make); provision reports them decided at apply. Explains exactly the rows
 * provision marked so, taking Ansible's status and printed value for them.
 */
const decidedAtApply: DifferenceRule = {
  about: 'a check run does not decide a task on the output of a command it did not run (Ansible decides on an empty stdout)',
  explain(want, got) {
    const explained: string[] = [];
    const rows: TaskRow[] = [];
    for (const host of hostsOf(got.rows)) {
      const w = rowsOf(want.rows, host);
      for (const [i, g] of rowsOf(got.rows, host).entries()) {
        const a = w[i];
        if (!g.decided || a?.task !== g.task) {
          rows.push(g);
          continue;
        }
        const { printed: _mine, items: _items, ...rest } = g;
        rows.push({
          ...rest,
          status: a.status,
          ...(a.printed !== undefined ? { printed: a.printed } : {}),
          ...(a.items ? { items: a.items } : {}),
        });
        explained.push(
          `${host} "${g.task}": decided at apply, Ansible ${a.status}${a.printed !== undefined ? ` printing ${JSON.stringify(a.printed)}` : ''}`,
        );
      }
    }
    return { run: { exitCode: got.exitCode, rows }, explained };
  },
};

/**
 * A check run never writes to a host. Some of Ansible's modules do (community.general.pam_limits
 * creates its missing dest, empty, in check mode). Both twins start from the same reset state, so in
 * the check phase a path Ansible's run left where provision's left none was written by Ansible's
 * dry run. Explains exactly those paths; any other state difference still fails the case.
 */
const checkModeWrite: DifferenceRule = {
  about: "a check run writes nothing, where one of Ansible's modules writes in check mode",
  explain: (_want, got) => ({ run: got, explained: [] }),
  explainState(want, got) {
    const explained: string[] = [];
    const state = Object.fromEntries(
      Object.entries(got).map(([host, g]) => {
        const files = [...g.files];
        for (const entry of want[host]?.files ?? []) {
          const path = entry.split(' ')[0] ?? '';
          const absent = files.indexOf(`${path} absent`);
          if (files.includes(entry) || absent < 0) continue;
          files[absent] = entry;
          explained.push(`${host} ${path}: written by Ansible's check run, not by provision's`);
        }
        return [host, { ...g, files: files.sort() }];
      }),
    );
    return { state, explained };
  },
};

/**
 * Ansible's check run says a task would change where its own applied run, from the same start,
 * changes nothing (community.general.ufw's default policies in check mode): provision's dry run
 * says ok, as the applied run of both tools does. Explains exactly the check rows Ansible reports
 * changed and provision ok whose row in Ansible's applied run is ok, items included.
 */
const checkOverstates: DifferenceRule = {
  about: "a check run says ok where Ansible's says changed and its own applied run then changes nothing",
  explain(want, got, ansibleApplied) {
    const explained: string[] = [];
    const rows: TaskRow[] = [];
    for (const host of hostsOf(got.rows)) {
      const w = rowsOf(want.rows, host);
      const applied = rowsOf(ansibleApplied.rows, host);
      for (const [i, g] of rowsOf(got.rows, host).entries()) {
        const a = w[i];
        const overstated =
          a?.task === g.task && a.status === 'changed' && g.status === 'ok' && applied[i]?.task === g.task && applied[i]?.status === 'ok';
        if (!overstated) {
          rows.push(g);
          continue;
        }
        rows.push({ ...g, status: a.status, ...(a.items ? { items: a.items } : {}) });
        explained.push(`${host} "${g.task}": ok, Ansible's check changed and its applied run ok`);
      }
    }
    return { run: { exitCode: got.exitCode, rows }, explained };
  },
};

export const DIFFERENCE_RULES = {
  'preview-created': previewCreated,
  'decided-at-apply': decidedAtApply,
  'check-mode-write': checkModeWrite,
  'check-overstates': checkOverstates,
} as const;

export type DifferenceRuleId = keyof typeof DIFFERENCE_RULES;
