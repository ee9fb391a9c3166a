import type { ExecResult } from '../core/exec.js';

export interface BecomeOptions {
  user: string;
  password?: string;
}

export interface ExecOptions {
  stdin?: Buffer;
  become?: BecomeOptions;
  /** Called with each complete line of output as it arrives. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
  /** A read-only command without stdin: it may run in the host's long-lived shell. */
  read?: boolean;
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

/**
 * Wrap a command for sudo. `-k` forces sudo to ask for the password every time, so the password
 * line we send first is always consumed by sudo and never reaches the command's stdin.
 */
export function becomeCommand(
  command: string,
  become: BecomeOptions | undefined,
  loginUser: string,
  q: (s: string) => string,
): { command: string; stdinPrefix?: string } {
  if (!become || become.user === loginUser) return { command };
  const inner = `sh -c ${q(command)}`;
  if (become.password === undefined) return { command: `sudo -n -H -u ${q(become.user)} -- ${inner}` };
  return { command: `sudo -k -S -p '' -H -u ${q(become.user)} -- ${inner}`, stdinPrefix: `${become.password}\n` };
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
