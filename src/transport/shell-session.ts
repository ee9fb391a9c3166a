import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { ExecResult } from '../core/exec.js';
import { ProvisionError } from '../errors.js';
import { grouped } from '../shell/command-group.js';
import { Limiter } from '../util/limiter.js';
import { announceGroup, CommandTimeout, GroupAnnouncement, KILL_WAIT_MS } from './kill.js';

/** Kills a process group on the host (through the shell's own `become`); says why when it could not. */
export type GroupKiller = (pgid: number) => Promise<string | undefined>;

/**
 * One long-lived `sh` on the host that runs read-only commands one after another. Opening an
 * SSH channel costs a round trip and a new login session on the host (PAM, logind) for every
 * command; a no-op run is nearly all reads, so they share this shell instead.
 *
 * Framing: each command runs in a subshell (or, for an inline read, in the shell itself) with stdin
 * from /dev/null (the shell's own stdin is this protocol), followed by a marker line carrying its exit code on stdout and a marker line
 * on stderr. The marker holds a random nonce, so no output can fake it.
 *
 * A read past its time limit cannot be stopped inside the protocol: its subshell shares the
 * shell's process group (no job control), so the whole group is killed and the next read opens
 * a new shell. The shell announces its group first thing, in the same packet as the first read.
 */
export class ShellSession {
  private readonly marker = `__provision_${randomBytes(8).toString('hex')}__`;
  private readonly queue = new Limiter(1);
  private readonly group = new GroupAnnouncement(`${this.marker}pg`);
  private out: Buffer[] = [];
  private err: Buffer[] = [];
  private waiting: { resolve: (r: { stdout: Buffer; stderr: string; exitCode: number }) => void; reject: (e: Error) => void } | undefined;
  private dead: Error | undefined;
  private ended = false;

  constructor(
    private readonly stream: ClientChannel,
    private readonly host: string,
    private readonly kill?: GroupKiller,
    /** Takes what the become program said (su's prompt) out of the shell's stderr. */
    unprompt: (chunk: Buffer) => Buffer = (c) => c,
    /** Ansible's words for a become program that refused the shell (a wrong password), from what it said. */
    refusal: (stderr: string) => string | undefined = () => undefined,
  ) {
    stream.on('data', (d: Buffer) => {
      this.out.push(d);
      this.check();
    });
    stream.stderr.on('data', (d: Buffer) => {
      const passed = this.group.feed(unprompt(d));
      if (passed) this.err.push(Buffer.from(passed));
      this.check();
    });
    // The shell ending on a live connection is the command's problem (a refused sudo password,
    // say), not the host's: it fails the task, with what the shell said.
    stream.on('close', () => {
      this.ended = true;
      const stderr = Buffer.concat(this.err).toString('utf8');
      const said = stderr.trim().split('\n').slice(-3).join(' | ');
      this.fail(new ProvisionError('command', refusal(stderr) ?? `the remote shell ended${said ? `: ${said}` : ''}`, { host }));
    });
    stream.write(`${announceGroup(`${this.marker}pg`)}\n`);
  }

  get alive(): boolean {
    return !this.dead;
  }

  /**
   * Run one read; with `timeoutMs`, a read still running at the limit is killed with this shell.
   * `inline`: the read may run in this shell itself (Read.inline), not in a subshell.
   */
  run(command: string, timeoutMs?: number, inline = false): Promise<ExecResult> {
    return this.queue.run(async () => {
      if (this.dead) throw this.dead;
      const done = new Promise<{ stdout: Buffer; stderr: string; exitCode: number }>(
        (resolve, reject) => (this.waiting = { resolve, reject }),
      );
      this.stream.write(`${grouped({ command, inline })}; printf '\\n${this.marker} %s\\n' "$?"; printf '\\n${this.marker}\\n' >&2\n`);
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => void this.expire(command, timeoutMs), timeoutMs);
      try {
        const r = await done;
        return { command, exitCode: r.exitCode, stdout: r.stdout.toString('utf8'), stderr: r.stderr, stdoutBytes: r.stdout };
      } finally {
        clearTimeout(timer);
      }
    });
  }

  fail(err: Error): void {
    this.dead ??= err;
    this.waiting?.reject(this.dead);
    this.waiting = undefined;
  }

  close(): void {
    // A dead shell's channel is closed or closing already.
    if (!this.ended && !this.dead) this.stream.end('exit\n');
  }

  /** The read in progress ran past its limit: kill the shell's process group, fail the read, retire the shell. */
  private async expire(command: string, limitMs: number): Promise<void> {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    this.dead ??= new ProvisionError('command', 'this remote shell was stopped: a read ran past its time limit', { host: this.host });
    const stdout = Buffer.concat(this.out).toString('utf8');
    const stderr = Buffer.concat(this.err).toString('utf8');
    const pgid = this.kill ? await this.group.known(KILL_WAIT_MS) : undefined;
    const problem =
      pgid === undefined || !this.kill ? 'the shell did not say its process group; only its channel was closed' : await this.kill(pgid);
    if (!this.ended) this.stream.close();
    w.reject(new CommandTimeout(this.host, command, limitMs, stdout, stderr, problem));
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
