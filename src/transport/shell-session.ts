import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { ExecResult } from '../core/exec.js';
import { ProvisionError } from '../errors.js';
import { Limiter } from '../util/limiter.js';

/**
 * One long-lived `sh` on the host that runs read-only commands one after another. Opening an
 * SSH channel costs a round trip and a new login session on the host (PAM, logind) for every
 * command; a no-op run is nearly all reads, so they share this shell instead.
 *
 * Framing: each command runs in a subshell with stdin from /dev/null (the shell's own stdin is
 * this protocol), followed by a marker line carrying its exit code on stdout and a marker line
 * on stderr. The marker holds a random nonce, so no output can fake it.
 */
export class ShellSession {
  private readonly marker = `__provision_${randomBytes(8).toString('hex')}__`;
  private readonly queue = new Limiter(1);
  private out: Buffer[] = [];
  private err: Buffer[] = [];
  private waiting: { resolve: (r: { stdout: Buffer; stderr: string; exitCode: number }) => void; reject: (e: Error) => void } | undefined;
  private dead: Error | undefined;

  constructor(
    private readonly stream: ClientChannel,
    host: string,
  ) {
    stream.on('data', (d: Buffer) => {
      this.out.push(d);
      this.check();
    });
    stream.stderr.on('data', (d: Buffer) => {
      this.err.push(d);
      this.check();
    });
    // The shell ending on a live connection is the command's problem (a refused sudo password,
    // say), not the host's: it fails the task, with what the shell said.
    stream.on('close', () => {
      const said = Buffer.concat(this.err).toString('utf8').trim().split('\n').slice(-3).join(' | ');
      this.fail(new ProvisionError('command', `the remote shell ended${said ? `: ${said}` : ''}`, { host }));
    });
  }

  get alive(): boolean {
    return !this.dead;
  }

  run(command: string): Promise<ExecResult> {
    return this.queue.run(async () => {
      if (this.dead) throw this.dead;
      const done = new Promise<{ stdout: Buffer; stderr: string; exitCode: number }>(
        (resolve, reject) => (this.waiting = { resolve, reject }),
      );
      this.stream.write(`(\n${command}\n) </dev/null; printf '\\n${this.marker} %s\\n' "$?"; printf '\\n${this.marker}\\n' >&2\n`);
      const r = await done;
      return { command, exitCode: r.exitCode, stdout: r.stdout.toString('utf8'), stderr: r.stderr, stdoutBytes: r.stdout };
    });
  }

  fail(err: Error): void {
    this.dead ??= err;
    this.waiting?.reject(this.dead);
    this.waiting = undefined;
  }

  close(): void {
    this.stream.end('exit\n');
  }

  private check(): void {
    if (!this.waiting) return;
    const out = Buffer.concat(this.out);
    const err = Buffer.concat(this.err);
    const outAt = out.indexOf(`\n${this.marker} `);
    const errAt = err.indexOf(`\n${this.marker}\n`);
    if (outAt < 0 || errAt < 0) {
      this.out = [out];
      this.err = [err];
      return;
    }
    const lineEnd = out.indexOf('\n', outAt + 1 + this.marker.length);
    if (lineEnd < 0) return;
    const exitCode = Number(out.toString('utf8', outAt + this.marker.length + 2, lineEnd));
    this.out = [out.subarray(lineEnd + 1)];
    this.err = [err.subarray(errAt + this.marker.length + 2)];
    const w = this.waiting;
    this.waiting = undefined;
    w.resolve({ stdout: out.subarray(0, outAt), stderr: err.toString('utf8', 0, errAt), exitCode });
  }
}
