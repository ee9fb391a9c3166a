/** One task's outcome on one host, as both tools report it after normalising. */
export type Status = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable';

export interface TaskRow {
  task: string;
  host: string;
  status: Status;
  /** A loop's items, in order. */
  items?: Status[];
  /** What a debug task printed: its msg, or the value of its var, as JSON. */
  printed?: string;
  /** provision's check run left the task to the applied run: it reads what a command not run yet registers. */
  decided?: true;
}

export interface RunRecord {
  exitCode: number;
  rows: TaskRow[];
}

export interface HostState {
  /** `path type mode owner group sha256-or-link-target`, sorted; `path absent` for a missing path. */
  files: string[];
  /** `name=version` of every installed package. */
  packages: string[];
  /** unit -> `LoadState/ActiveState/UnitFileState`. */
  units: Record<string, string>;
}

export type Phase = 'check' | 'apply' | 'again';
export const PHASES: readonly Phase[] = ['check', 'apply', 'again'];

/** What one tool did with one case: three runs on one fresh twin set, and the hosts' state. */
export interface Recording {
  case: string;
  /** The hash of the case directory this was recorded from (caseHash). */
  hash: string;
  tool: string;
  runs: Record<Phase, RunRecord>;
  /** State after the check run (must equal the fresh host's) and after the second applied run. */
  state: { afterCheck: Record<string, HostState>; final: Record<string, HostState> };
}
