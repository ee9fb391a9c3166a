import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { ExecResult } from '../core/exec.js';
import { must, ProvisionError } from '../errors.js';
import { quote } from '../shell/quote.js';
import { Limiter, sleep } from '../util/limiter.js';
import { connectErrorFacts, isRetryableConnectError } from './connect-retry.js';
import { announceGroup, CommandTimeout, GroupAnnouncement, KILL_WAIT_MS, killGroupCommand } from './kill.js';
import { fingerprint, hostKeyName, KnownHostsFile, verifyHostKey } from './known-hosts.js';
import { ShellSession } from './shell-session.js';
import { type BecomeOptions, becomeCommand, type ExecOptions, lineSplitter, type Transport } from './transport.js';

export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

export interface SshOptions {
  /** The inventory name, for messages. */
  name: string;
  address: string;
  port: number;
  user: string;
  privateKeyFile?: string;
  password?: string;
  knownHostsFile: string;
  hostKeyPolicy: HostKeyPolicy;
  connectTimeoutMs: number;
  /** Connect attempts for refused or timed-out connections (a host still booting). */
  attempts: number;
  /** Aborted on Ctrl-C: stops connecting and waiting between attempts. */
  signal?: AbortSignal;
}

export function defaultKnownHostsFile(): string {
  return `${homedir()}/.ssh/known_hosts`;
}

/** sshd allows 10 sessions per connection by default; stay under it (a kill at a time limit may use one more). */
const CHANNELS_PER_CONNECTION = 8;

export class SshTransport implements Transport {
  readonly host: string;
  roundTrips = 0;
  private readonly channels = new Limiter(CHANNELS_PER_CONNECTION);
  private closed = false;
  private lost: ProvisionError | undefined;
  /** Rejecters of the commands in flight: a destroyed connection fails them at once. */
  private readonly inFlight = new Set<(err: ProvisionError) => void>();

  private constructor(
    private readonly client: Client,
    private readonly opts: SshOptions,
  ) {
    this.host = opts.name;
    client.on('close', () => {
      if (!this.closed) this.lost = new ProvisionError('connect', `connection to ${opts.address}:${opts.port} lost`, { host: opts.name });
    });
    // After connect, errors show up as a lost connection on the next exec; nothing to do here.
    client.on('error', (err) => {
      this.lost ??= new ProvisionError('connect', `connection to ${opts.address}:${opts.port} failed: ${err.message}`, {
        host: opts.name,
        cause: err,
      });
    });
  }

  static async connect(opts: SshOptions): Promise<SshTransport> {
    let lastError: ProvisionError | undefined;
    for (let attempt = 1; attempt <= opts.attempts; attempt++) {
      if (opts.signal?.aborted) throw new ProvisionError('connect', 'interrupted before connecting', { host: opts.name });
      try {
        return new SshTransport(await connectOnce(opts), opts);
      } catch (err) {
        if (!(err instanceof ProvisionError)) throw err;
        lastError = err;
        // Only a host that is not (yet) answering is worth another try; a key or auth problem is final.
        if (!retryable(err) || attempt === opts.attempts) break;
        await sleep(Math.min(4000, 500 * 2 ** (attempt - 1)), opts.signal);
      }
    }
    throw must(lastError, `the error of the last attempt to connect to ${opts.address}`);
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (opts.read && !opts.stdin && !opts.onLine) return this.readInShell(command, opts);
    return this.channels.run(() => this.execNow(command, opts));
  }

  /** Long-lived shells, one per become user: reads skip a channel and a login session each. */
  private readonly shells = new Map<string, Promise<ShellSession>>();

  private async readInShell(command: string, opts: ExecOptions): Promise<ExecResult> {
    if (this.lost) throw this.lost;
    const key = opts.become ? `${opts.become.user}` : '';
    let session = this.shells.get(key);
    if (!session || !(await session).alive) {
      session = this.openShell(opts);
      this.shells.set(key, session);
    }
    this.roundTrips++;
    return (await session).run(command, opts.timeoutMs);
  }

  private openShell(opts: ExecOptions): Promise<ShellSession> {
    const wrapped = becomeCommand('exec sh', opts.become, this.opts.user, quote);
    return this.channels.run(() =>
      this.openChannel(wrapped.command, (stream) => {
        // sudo reads its password before the shell reads anything.
        if (wrapped.stdinPrefix) stream.write(wrapped.stdinPrefix);
        const session = new ShellSession(stream, this.host, (pgid) => this.killGroup(pgid, opts.become));
        this.inFlight.add((e) => session.fail(e));
        return session;
      }),
    );
  }

  /**
   * Kill a process group from a channel of its own, as the same `become` user, outside the
   * channel limit (the timed-out command still holds its slot). Resolves with why it failed, if
   * it did; never waits more than KILL_WAIT_MS.
   */
  private killGroup(pgid: number, become: BecomeOptions | undefined): Promise<string | undefined> {
    if (this.lost) return Promise.resolve(`could not kill process group ${pgid}: ${this.lost.message}`);
    const wrapped = becomeCommand(killGroupCommand(pgid), become, this.opts.user, quote);
    this.roundTrips++;
    const killed = this.openChannel(wrapped.command, (stream) => this.collect(stream, wrapped.command, {}, wrapped.stdinPrefix)).then(
      (r) => (r.exitCode === 0 ? undefined : `killing process group ${pgid} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 200)}`),
      (e: Error) => `could not kill process group ${pgid}: ${e.message}`,
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`killing process group ${pgid} did not finish within ${KILL_WAIT_MS / 1000} s`), KILL_WAIT_MS);
    });
    return Promise.race([killed, late]).finally(() => clearTimeout(timer));
  }

  /**
   * One exec channel running `command`; a refusal is a connection problem of this host.
   * `onOpen` runs inside ssh2's callback, before anything else is read: a quick command's data,
   * exit status and close can arrive in the same packet batch as the channel's opening, and a
   * listener attached a tick later would miss them.
   */
  private openChannel<T>(command: string, onOpen: (stream: ClientChannel) => T): Promise<Awaited<T>> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) reject(new ProvisionError('connect', `cannot open a channel: ${err.message}`, { host: this.host, cause: err }));
        else Promise.resolve(onOpen(stream)).then(resolve, reject);
      });
    });
  }

  private async execNow(command: string, opts: ExecOptions): Promise<ExecResult> {
    if (this.lost) throw this.lost;
    // A command with a time limit says its process group first, so that the limit can kill all of it.
    const token = opts.timeoutMs ? `__provision_pg_${randomBytes(6).toString('hex')}__` : undefined;
    const script = token ? `${announceGroup(token)}\n${command}` : command;
    const wrapped = becomeCommand(script, opts.become, this.opts.user, quote);
    this.roundTrips++;
    return this.openChannel(wrapped.command, (stream) =>
      this.collect(stream, command, opts, wrapped.stdinPrefix, token ? new GroupAnnouncement(token) : undefined),
    );
  }

  /** Gather a channel's output and exit status into a result; attached as soon as the channel opens. */
  private collect(
    stream: ClientChannel,
    command: string,
    opts: ExecOptions,
    stdinPrefix: string | undefined,
    group?: GroupAnnouncement,
  ): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      /** Set at the time limit: settles once the process group is dead (or could not be killed). */
      let killing: { limitMs: number; problem: Promise<string | undefined> } | undefined;
      const fail = (e: ProvisionError) => {
        if (timer) clearTimeout(timer);
        reject(e);
      };
      this.inFlight.add(fail);
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      const feed = opts.onLine ? lineSplitter(opts.onLine) : undefined;
      let exitCode: number | null = null;
      if (opts.timeoutMs) {
        const limitMs = opts.timeoutMs;
        timer = setTimeout(() => {
          if (exitCode !== null) return;
          killing = { limitMs, problem: this.stopChannel(stream, group, opts.become) };
        }, limitMs);
      }
      const onErr = (d: Buffer) => {
        const text = group ? group.feed(d) : d;
        if (!text.length) return;
        const b = typeof text === 'string' ? Buffer.from(text) : text;
        errOut.push(b);
        feed?.(b);
      };
      stream.on('data', (d: Buffer) => {
        out.push(d);
        feed?.(d);
      });
      stream.stderr.on('data', onErr);
      stream.on('exit', (code: number | null, signal?: string) => {
        exitCode = code ?? (signal ? 128 + 9 : 255);
      });
      stream.on('close', () => {
        if (timer) clearTimeout(timer);
        this.inFlight.delete(fail);
        if (group) onErr(Buffer.from(group.flush()));
        if (killing) {
          const { limitMs, problem } = killing;
          const stdout = Buffer.concat(out).toString('utf8');
          const stderr = Buffer.concat(errOut).toString('utf8');
          problem.then((why) => reject(new CommandTimeout(this.host, command, limitMs, stdout, stderr, why)));
          return;
        }
        if (exitCode === null) {
          reject(
            this.lost ?? new ProvisionError('connect', `connection lost while running: ${command.slice(0, 200)}`, { host: this.host }),
          );
          return;
        }
        const stdoutBytes = Buffer.concat(out);
        resolve({ command, exitCode, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'), stdoutBytes });
      });
      if (stdinPrefix) stream.write(stdinPrefix);
      stream.end(opts.stdin ?? undefined);
    });
  }

  /** At a time limit: kill the command's process group, then close its channel. */
  private async stopChannel(
    stream: ClientChannel,
    group: GroupAnnouncement | undefined,
    become: BecomeOptions | undefined,
  ): Promise<string | undefined> {
    const pgid = await group?.known(KILL_WAIT_MS);
    const problem =
      pgid === undefined
        ? `the command did not say its process group within ${KILL_WAIT_MS / 1000} s; only its channel was closed`
        : await this.killGroup(pgid, become);
    if (problem) stream.signal?.('KILL');
    stream.close();
    return problem;
  }

  /** Cut the connection at once, as a dying network would: used by fault tests and Ctrl-C. */
  destroy(): void {
    this.closed = true;
    this.lost = new ProvisionError('connect', 'connection closed (interrupted)', { host: this.host });
    for (const fail of this.inFlight) fail(this.lost);
    this.inFlight.clear();
    this.client.destroy();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.lost) {
      // Nothing left to close politely, but a socket that errored may still be open: a half-dead
      // peer would hold the event loop (and so the whole run) until TCP gives up, minutes later.
      this.client.destroy();
      return;
    }
    for (const s of this.shells.values()) (await s).close();
    await new Promise<void>((resolve) => {
      // A peer that never answers the goodbye must not hold the run open.
      const timer = setTimeout(() => {
        this.client.destroy();
        resolve();
      }, 1000);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
  }
}

function retryable(err: ProvisionError): boolean {
  return err.kind === 'connect' && isRetryableConnectError(err.cause);
}

/** Our own connect timer: the same stage and verdict as ssh2's handshake timeout. */
function connectTimeout(): Error {
  return Object.assign(new Error('timed out'), { level: 'client-timeout' });
}

function connectOnce(opts: SshOptions): Promise<Client> {
  const known = new KnownHostsFile(opts.knownHostsFile);
  const name = hostKeyName(opts.address, opts.port);
  let keyError: ProvisionError | undefined;

  const config: ConnectConfig = {
    host: opts.address,
    port: opts.port,
    username: opts.user,
    readyTimeout: opts.connectTimeoutMs,
    keepaliveInterval: 5000,
    keepaliveCountMax: 3,
    hostVerifier: (key: Buffer) => {
      if (opts.hostKeyPolicy === 'off') return true;
      const verdict = verifyHostKey(known.entries(), name, key);
      if (verdict.status === 'match') return true;
      if (verdict.status === 'unknown' && opts.hostKeyPolicy === 'accept-new') {
        known.add(name, key);
        return true;
      }
      keyError = hostKeyError(opts, name, key, verdict.status, 'line' in verdict ? verdict.line : undefined);
      return false;
    },
  };
  if (opts.privateKeyFile) {
    try {
      config.privateKey = readFileSync(opts.privateKeyFile);
    } catch (err) {
      return Promise.reject(
        new ProvisionError('connect', `cannot read private key ${opts.privateKeyFile}: ${(err as NodeJS.ErrnoException).code}`, {
          host: opts.name,
          hint: 'check ansible_ssh_private_key_file',
        }),
      );
    }
  }
  if (process.env.SSH_AUTH_SOCK) config.agent = process.env.SSH_AUTH_SOCK;
  if (opts.password !== undefined) config.password = opts.password;

  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    // ssh2's readyTimeout covers the handshake only; a silent network can stall the TCP connect.
    const timer = setTimeout(() => fail(connectTimeout()), opts.connectTimeoutMs + 1000);
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.destroy();
      reject(
        keyError ??
          new ProvisionError('connect', `cannot connect to ${opts.user}@${opts.address}:${opts.port}: ${describeConnectError(err)}`, {
            host: opts.name,
            cause: err,
            hint:
              connectErrorFacts(err).level === 'client-authentication'
                ? 'check ansible_user and ansible_ssh_private_key_file'
                : 'check that the host is up and sshd listens',
          }),
      );
    };
    client.once('ready', () => {
      settled = true;
      clearTimeout(timer);
      resolve(client);
    });
    client.once('error', fail);
    client.once('close', () => fail(new Error('connection closed during handshake')));
    opts.signal?.addEventListener('abort', () => fail(new Error('interrupted')), { once: true });
    client.connect(config);
  });
}

function describeConnectError(err: Error): string {
  const { code, level } = connectErrorFacts(err);
  if (level === 'client-timeout') return 'timed out';
  if (level === 'client-authentication') return 'authentication failed';
  return typeof code === 'string' ? `${code} ${err.message}` : err.message;
}

function hostKeyError(opts: SshOptions, name: string, key: Buffer, status: string, line: number | undefined): ProvisionError {
  const fp = fingerprint(key);
  if (status === 'unknown') {
    return new ProvisionError('hostkey', `unknown host key for ${name} (${fp}); refusing to connect`, {
      host: opts.name,
      hint: `verify the fingerprint, then accept it with: provision up ... --host-key-checking accept-new  (or: ssh-keyscan -p ${opts.port} ${opts.address} >> ${opts.knownHostsFile})`,
    });
  }
  const what = status === 'revoked' ? 'is REVOKED' : 'HAS CHANGED';
  return new ProvisionError(
    'hostkey',
    `@@@ WARNING: THE HOST KEY FOR ${name} ${what} @@@ it now presents ${fp}, which does not match ${opts.knownHostsFile}:${line}. Someone could be intercepting the connection; refusing to connect`,
    {
      host: opts.name,
      hint: `if the host was really reinstalled, remove the old key with: ssh-keygen -f ${opts.knownHostsFile} -R '${name}'`,
    },
  );
}
