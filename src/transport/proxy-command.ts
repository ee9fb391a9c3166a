import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { Duplex } from 'node:stream';

/** How much of a ProxyCommand's stderr is kept for an error message: its last lines say why. */
const STDERR_KEPT = 2000;
/** How long a failed connection waits for its ProxyCommand to exit, so the message can say how it ended. */
const EXIT_WAIT_MS = 1000;

/**
 * A ProxyCommand's standard input and output as one stream: what ssh2 speaks SSH over (its
 * `sock`). Ending or destroying the stream ends the command, as ssh hangs up on its proxy.
 */
export class ProxyCommandStream extends Duplex {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderrTail = '';
  private exit: string | undefined;
  private readonly exited: Promise<void>;

  /** `command` is run as ssh runs it: `exec COMMAND` in the user's shell, in provision's environment. */
  constructor(readonly command: string) {
    super();
    const shell = process.env.SHELL || '/bin/sh';
    this.child = spawn(shell, ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      // close, not exit: by then its stderr has been read to the end.
      this.child.once('close', (code, signal) => {
        this.exit = signal ? `was killed by ${signal}` : `exited with status ${code}`;
        resolve();
      });
      // spawn failed (no such shell): the stream errors below; nothing will exit.
      this.child.once('error', () => resolve());
    });
    this.child.once('error', (err) => this.destroy(err));
    this.child.stdout.on('data', (d: Buffer) => {
      if (!this.push(d)) this.child.stdout.pause();
    });
    this.child.stdout.once('end', () => this.push(null));
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-STDERR_KEPT);
    });
    // The command going away while ssh2 still writes is a closed connection, reported as the command's exit.
    this.child.stdin.on('error', () => {});
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.child.stdin.writable) this.child.stdin.write(chunk, () => done());
    else done();
  }

  override _final(done: (err?: Error | null) => void): void {
    this.child.stdin.end(() => done());
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    // ssh sends its proxy SIGHUP when it is done with it.
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGHUP');
    done(err);
  }

  /** How the command ended and the last of what it wrote on stderr, once it has exited (or a second has passed). */
  async outcome(): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, EXIT_WAIT_MS)))]);
    clearTimeout(timer);
    const said = this.stderrTail.trim().split('\n').slice(-5).join(' | ');
    return `${this.exit ?? 'is still running'}${said ? `: ${said}` : ''}`;
  }
}

/** OpenSSH's tokens of ProxyCommand (ssh_config(5) TOKENS): %% %h %n %p %r. */
export interface ProxyTokens {
  hostname: string;
  originalHost: string;
  port: number;
  user: string;
}

/** Expand a ProxyCommand's tokens; an unknown one is named, as ssh refuses it. */
export function expandProxyCommand(command: string, t: ProxyTokens): { command: string } | { unknownToken: string } {
  let unknown: string | undefined;
  const expanded = command.replace(/%(.?)/g, (whole, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'h':
        return t.hostname;
      case 'n':
        return t.originalHost;
      case 'p':
        return String(t.port);
      case 'r':
        return t.user;
      default:
        unknown ??= whole;
        return whole;
    }
  });
  return unknown === undefined ? { command: expanded } : { unknownToken: unknown };
}
