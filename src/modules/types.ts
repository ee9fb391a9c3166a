import type { z } from 'zod';
import type { Vars } from '../config/inventory.js';
import type { SourceLocation } from '../errors.js';

/** What a finished remote command looks like; a failure has the same shape (so ignore_errors can keep it). */
export interface ExecResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Raw stdout, for file contents that are not text. */
  stdoutBytes: Buffer;
}

export type FileType = 'file' | 'directory' | 'link' | 'other';

export type FileState =
  | { exists: false; path: string }
  | {
      exists: true;
      path: string;
      type: FileType;
      /** Octal, four digits: '0644'. */
      mode: string;
      owner: string;
      group: string;
      size: number;
      linkTarget?: string;
      sha256?: string;
      content?: Buffer;
    };

/** Read-only access to a host: the only thing a planner may touch. */
export interface HostReader {
  /** Run a command that changes nothing on the host. */
  read(command: string): Promise<ExecResult>;
  /** Stat a path (no links followed), optionally with its checksum and (small files) its content, in one round trip. */
  fileState(path: string, opts?: { content?: boolean; checksum?: boolean }): Promise<FileState>;
}

/** Files on the controller: `src` of copy and template, relative to the playbook. */
export interface ControllerFiles {
  readText(path: string): string;
  readBytes(path: string): Buffer;
  resolve(path: string): string;
}

export interface FileDiff {
  path: string;
  before: string;
  after: string;
  /** Set for binary or very large content, where a line diff means nothing. */
  summary?: string;
}

/** A change a module wants made. The engine executes it, or in check mode only reports it. */
export type Change =
  | {
      kind: 'exec';
      command: string;
      /** What it does, for output: "install nginx", "restart keepalived". */
      description: string;
      stdin?: Buffer;
      /** Stream output lines to the reporter: long builds must be seen moving. */
      streamOutput?: boolean;
      /** Exit codes that are not a failure. */
      okExitCodes?: number[];
    }
  | {
      kind: 'write';
      path: string;
      /** Produced lazily so that check mode never fetches what it would only report. */
      content: Buffer | (() => Promise<Buffer>);
      mode?: string;
      owner?: string;
      group?: string;
      backup?: boolean;
      /** A command to validate the new file before it replaces the old; %s is the temp path. */
      validate?: string;
      description: string;
    };

export interface Plan {
  changes: Change[];
  diffs?: FileDiff[];
  /** Why nothing changes, or what will: shown with -v. */
  msg?: string;
  /** Extra data for `register` (stdout of a read, a computed value). */
  data?: Record<string, unknown>;
  /** Variables to set on the host (set_fact). */
  facts?: Vars;
  /** The module decided the task fails (assert). */
  failed?: string;
}

export interface PlanContext<A> {
  host: string;
  args: A;
  vars: Vars;
  reader: HostReader;
  files: ControllerFiles;
  /** Render a template string with the host's variables (template module). */
  render(template: string, origin: string): string;
  check: boolean;
}

/** A host as a load-time check sees it: inventory variables and where each was set. */
export interface CheckedHost {
  name: string;
  vars: Vars;
  location: SourceLocation;
  origins: Record<string, SourceLocation>;
}

/** What a load-time check reports; an error stops the run before any connection (exit 7). */
export interface CheckFinding {
  severity: 'error' | 'warning';
  rule: string;
  host?: string;
  message: string;
  hint: string;
  location?: SourceLocation;
}

export interface Module<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  /** `command: ls -l` style: the free-form string goes to this argument. */
  freeForm?: string;
  plan(ctx: PlanContext<z.infer<S>>): Promise<Plan>;
  /**
   * A check the engine runs once per task, over all the hosts of the task's play (before --limit),
   * before any host is contacted: how a job brings its own cross-host checks (a cluster lint).
   */
  loadCheck?(hosts: readonly CheckedHost[]): CheckFinding[];
}

export function defineModule<S extends z.ZodType>(m: Module<S>): Module<S> {
  return m;
}
