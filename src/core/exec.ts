/** What a finished remote command looks like; a failure has the same shape (so ignore_errors can keep it). */
export interface ExecResult {
  command: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Raw stdout, for file contents that are not text. */
  stdoutBytes: Buffer;
  /** What a change the engine carries out itself (a reboot) reports instead of rc and output. */
  data?: Record<string, unknown>;
}
