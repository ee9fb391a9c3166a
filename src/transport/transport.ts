import type { ExecResult } from '../core/exec.js';
import type { BecomeOptions } from './become.js';

export { type BecomeOptions, becomeCommand } from './become.js';

export interface ExecOptions {
  stdin?: Buffer;
  become?: BecomeOptions;
  /** Called with each complete line of output as it arrives. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
  /** A read-only command without stdin: it may run in the host's long-lived shell. */
  read?: boolean;
  /** That read may run in the long-lived shell itself, not a subshell of it (Read.inline). */
  inline?: boolean;
}

/** One open connection to a host. Everything a run does to a host goes through this. */
export interface Transport {
  readonly host: string;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Round trips made so far: the bench reports them per task. */
  readonly roundTrips: number;
  /** Cut the connection at once, failing what is in flight (Ctrl-C, fault tests). */
  destroy(): void;
  close(): Promise<void>;
}

/** Splits a byte stream into lines for live output; keeps the unfinished tail. */
export function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let tail = '';
  return (chunk) => {
    const text = tail + chunk.toString('utf8');
    const parts = text.split(/\r?\n|\r/);
    tail = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) onLine(p);
  };
}
