import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { type AnyAuthMethod, type AuthMethod, Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { ExecResult } from '../core/exec.js';
import { must, ProvisionError } from '../errors.js';
import { quote } from '../shell/quote.js';
import { Limiter, sleep } from '../util/limiter.js';
import type { BecomeWrapped } from './become.js';
import { becomeRefusal, promptFilter } from './become.js';
import { connectErrorFacts, isRetryableConnectError } from './connect-retry.js';
import { type JumpHop, type JumpLease, jumpPool } from './jump-pool.js';
import { announceGroup, CommandTimeout, GroupAnnouncement, KILL_WAIT_MS, killGroupCommand } from './kill.js';
import { fingerprint, hostKeyName, KnownHostsFile, verifyHostKey } from './known-hosts.js';
import { ProxyCommandStream } from './proxy-command.js';
import { ShellSession } from './shell-session.js';
import { type BecomeOptions, becomeCommand, type ExecOptions, lineSplitter, type Transport } from './transport.js';

export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

/** Where one SSH server is and how to log in and know it: a target or a jump host. */
export interface SshEndpoint {
  address: string;
  port: number;
  user: string;
  /** ansible_ssh_private_key_file: must be readable. */
  privateKeyFile?: string;
  /** ssh_config's IdentityFile list (paths expanded): tried in order, missing ones skipped, as ssh does. */
  identityFiles?: string[];
  /** IdentitiesOnly: no agent keys, only the files. */
  identitiesOnly?: boolean;
  password?: string;
  knownHostsFile: string;
  hostKeyPolicy: HostKeyPolicy;
  connectTimeoutMs: number;
  /** ServerAliveInterval; 5 s when not set. */
  keepaliveIntervalMs?: number;
  /** ProxyCommand with its tokens expanded: SSH runs over its stdin and stdout instead of a TCP connection. */
  proxyCommand?: string;
}

/** A jump host of a chain: `label` names it in messages, `identity` tells apart two logins to one address. */
export interface SshJump extends SshEndpoint, JumpHop {}

export interface SshOptions extends SshEndpoint {
  /** The inventory name, for messages. */
  name: string;
  /** Connect attempts for refused or timed-out connections (a host still booting). */
  attempts: number;
  /** Aborted on Ctrl-C: stops connecting and waiting between attempts. */
  signal?: AbortSignal;
  /** ProxyJump, first hop first: the target is reached through the last one. */
  jumps?: SshJump[];
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
    private readonly lease?: JumpLease,
  ) {
    this.host = opts.name;
    client.on('close', () => {
      void this.lease?.release();
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
    const jumps = opts.jumps ?? [];
    if (jumps.length === 0) return new SshTransport(await withRetries(opts, () => connectOnce(opts, opts.name, opts.signal)), opts);
    const lease = await jumpPool.lease(jumps, opts.name, (hop, openSock) =>
      withRetries(opts, async () => connectOnce(hop, opts.name, opts.signal, await openSock?.(), hop.label)),
    );
    try {
      // Each attempt needs its own forwarded connection: a refused one is closed by the bastion.
      const client = await withRetries(opts, async () =>
        connectOnce(opts, opts.name, opts.signal, await lease.forward(opts.address, opts.port, opts.name, opts.name)),
      );
      return new SshTransport(client, opts, lease);
    } catch (err) {
      await lease.release();
      throw err;
    }
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (opts.read && !opts.stdin && !opts.onLine) return this.readInShell(command, opts);
    return this.channels.run(() => this.execNow(command, opts));
  }

  /** Long-lived shells, one per become user: reads skip a channel and a login session each. */
  private readonly shells = new Map<string, Promise<ShellSession>>();

  private async readInShell(command: string, opts: ExecOptions): Promise<ExecResult> {
    if (this.lost) throw this.lost;
    const key = opts.become ? JSON.stringify([opts.become.method, opts.become.exe, opts.become.flags, opts.become.user]) : '';
    let session = this.shells.get(key);
    if (!session || !(await session).alive) {
      session = this.openShell(opts);
      this.shells.set(key, session);
    }
    this.roundTrips++;
    return (await session).run(command, opts.timeoutMs, opts.inline);
  }

  private openShell(opts: ExecOptions): Promise<ShellSession> {
    const wrapped = becomeCommand('exec sh', opts.become, this.opts.user, quote);
    return this.channels.run(() =>
      this.openChannel(wrapped.command, (stream) => {
        // sudo reads its password before the shell reads anything.
        if (wrapped.stdinPrefix) stream.write(wrapped.stdinPrefix);
        const session = new ShellSession(
          stream,
          this.host,
          (pgid) => this.killGroup(pgid, opts.become),
          promptFilter(wrapped.prompt),
          (stderr) => becomeRefusal(wrapped, undefined, stderr),
        );
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
    const killed = this.openChannel(wrapped.command, (stream) => this.collect(stream, wrapped.command, {}, wrapped)).then(
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
      this.collect(stream, command, opts, wrapped, token ? new GroupAnnouncement(token) : undefined),
    );
  }

  /** Gather a channel's output and exit status into a result; attached as soon as the channel opens. */
  private collect(
    stream: ClientChannel,
    command: string,
    opts: ExecOptions,
    wrapped: BecomeWrapped,
    group?: GroupAnnouncement,
  ): Promise<ExecResult> {
    const unprompt = promptFilter(wrapped.prompt);
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
      const onErr = (raw: Buffer) => {
        const d = unprompt(raw);
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
        const stderr = Buffer.concat(errOut).toString('utf8');
        const refused = becomeRefusal(wrapped, exitCode, stderr);
        if (refused) {
          reject(new ProvisionError('command', refused, { host: this.host }));
          return;
        }
        resolve({ command, exitCode, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes });
      });
      if (wrapped.stdinPrefix) stream.write(wrapped.stdinPrefix);
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
    void this.lease?.release();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.lost) {
      // Nothing left to close politely, but a socket that errored may still be open: a half-dead
      // peer would hold the event loop (and so the whole run) until TCP gives up, minutes later.
      this.client.destroy();
      await this.lease?.release();
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
    await this.lease?.release();
  }
}

/** Connect attempts, for refused or timed-out connections only (a host still booting); a key or auth problem is final. */
async function withRetries(opts: SshOptions, attempt: () => Promise<Client>): Promise<Client> {
  let lastError: ProvisionError | undefined;
  for (let n = 1; n <= opts.attempts; n++) {
    if (opts.signal?.aborted) throw new ProvisionError('connect', 'interrupted before connecting', { host: opts.name });
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof ProvisionError)) throw err;
      lastError = err;
      if (!retryable(err) || n === opts.attempts) break;
      await sleep(Math.min(4000, 500 * 2 ** (n - 1)), opts.signal);
    }
  }
  throw must(lastError, `the error of the last attempt to connect to ${opts.address}`);
}

function retryable(err: ProvisionError): boolean {
  return err.kind === 'connect' && isRetryableConnectError(err.cause);
}

/** Our own connect timer: the same stage and verdict as ssh2's handshake timeout. */
function connectTimeout(): Error {
  return Object.assign(new Error('timed out'), { level: 'client-timeout' });
}

/**
 * What to offer, in ssh2's own order when it was given one key (none, password, the key, the
 * agent): then each readable IdentityFile from ssh_config; the agent only without IdentitiesOnly.
 */
function authMethods(ep: SshEndpoint, where: string, hostName: string): AuthMethod[] | ProvisionError {
  const methods: AnyAuthMethod[] = [{ type: 'none', username: ep.user }];
  if (ep.password !== undefined) methods.push({ type: 'password', username: ep.user, password: ep.password });
  if (ep.privateKeyFile) {
    try {
      methods.push({ type: 'publickey', username: ep.user, key: readFileSync(ep.privateKeyFile) });
    } catch (err) {
      return new ProvisionError('connect', `${where}cannot read private key ${ep.privateKeyFile}: ${(err as NodeJS.ErrnoException).code}`, {
        hint: 'check ansible_ssh_private_key_file',
        host: hostName,
      });
    }
  }
  for (const file of ep.identityFiles ?? []) {
    // As ssh: a configured identity that does not exist is skipped (the defaults rarely all exist).
    if (!existsSync(file) || file === ep.privateKeyFile) continue;
    methods.push({ type: 'publickey', username: ep.user, key: readFileSync(file) });
  }
  const agent = process.env.SSH_AUTH_SOCK;
  if (agent && !ep.identitiesOnly) methods.push({ type: 'agent', username: ep.user, agent });
  return methods;
}

/**
 * One SSH login to `ep`, over `sock` when a jump host forwards it, else over its ProxyCommand or
 * TCP. `bastion` names the hop when this is a jump host, so that an error says which hop of the chain failed.
 */
function connectOnce(ep: SshEndpoint, hostName: string, signal: AbortSignal | undefined, sock?: Duplex, bastion?: string): Promise<Client> {
  const known = new KnownHostsFile(ep.knownHostsFile);
  const name = hostKeyName(ep.address, ep.port);
  const where = bastion ? `bastion ${bastion} (${ep.address}:${ep.port}): ` : '';
  let keyError: ProvisionError | undefined;
  // Each attempt runs the command afresh, as each ssh run does; the host key is checked under HostName all the same.
  const proxy = sock || ep.proxyCommand === undefined ? undefined : new ProxyCommandStream(ep.proxyCommand);

  const config: ConnectConfig = {
    host: ep.address,
    port: ep.port,
    username: ep.user,
    readyTimeout: ep.connectTimeoutMs,
    keepaliveInterval: ep.keepaliveIntervalMs || 5000,
    keepaliveCountMax: 3,
    hostVerifier: (key: Buffer) => {
      if (ep.hostKeyPolicy === 'off') return true;
      const verdict = verifyHostKey(known.entries(), name, key);
      if (verdict.status === 'match') return true;
      if (verdict.status === 'unknown' && ep.hostKeyPolicy === 'accept-new') {
        known.add(name, key);
        return true;
      }
      keyError = hostKeyError(ep, hostName, where, name, key, verdict.status, 'line' in verdict ? verdict.line : undefined);
      return false;
    },
  };
  const stream = sock ?? proxy;
  if (stream) config.sock = stream;
  const methods = authMethods(ep, where, hostName);
  if (methods instanceof ProvisionError) {
    proxy?.destroy();
    return Promise.reject(methods);
  }
  config.authHandler = methods;

  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    // ssh2's readyTimeout covers the handshake only; a silent network can stall the TCP connect.
    const timer = setTimeout(() => fail(connectTimeout()), ep.connectTimeoutMs + 1000);
    const connectError = (err: Error, through: string) => {
      const why = `${through}${describeConnectError(err)}`;
      const auth = connectErrorFacts(err).level === 'client-authentication';
      return new ProvisionError('connect', bastion ? `${where}${why}` : `cannot connect to ${ep.user}@${ep.address}:${ep.port}${why}`, {
        host: hostName,
        cause: err,
        hint: auth
          ? `check ${bastion ? "the bastion's User and IdentityFile in ssh_config" : 'ansible_user and ansible_ssh_private_key_file'}`
          : proxy
            ? 'run the ProxyCommand by hand: it must connect to the host and carry SSH on its standard input and output'
            : `check that the ${bastion ? 'bastion' : 'host'} is up and sshd listens`,
      });
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (keyError || !proxy) {
        client.destroy();
        reject(keyError ?? connectError(err, bastion ? '' : ': '));
        return;
      }
      // What the command said (its exit status, the tail of its stderr) is why; ask before hanging up on it.
      void proxy.outcome().then((outcome) => {
        client.destroy();
        const via = `through ProxyCommand "${proxy.command}" (it ${outcome}): `;
        reject(connectError(err, bastion ? via : ` ${via}`));
      });
    };
    client.once('ready', () => {
      settled = true;
      clearTimeout(timer);
      // The command lives as long as the connection: ssh hangs up on its proxy when it is done.
      if (proxy) client.once('close', () => proxy.destroy());
      resolve(client);
    });
    // on, not once: a host going down can fail the handshake twice (reset, then lost), and an unheard error kills the process.
    client.on('error', fail);
    client.once('close', () => fail(new Error('connection closed during handshake')));
    signal?.addEventListener('abort', () => fail(new Error('interrupted')), { once: true });
    client.connect(config);
  });
}

function describeConnectError(err: Error): string {
  const { code, level } = connectErrorFacts(err);
  if (level === 'client-timeout') return 'timed out';
  if (level === 'client-authentication') return 'authentication failed';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'EHOSTUNREACH') return 'host unreachable';
  return typeof code === 'string' ? `${code} ${err.message}` : err.message;
}

function hostKeyError(
  opts: SshEndpoint,
  hostName: string,
  where: string,
  name: string,
  key: Buffer,
  status: string,
  line: number | undefined,
): ProvisionError {
  const fp = fingerprint(key);
  if (status === 'unknown') {
    return new ProvisionError('hostkey', `${where}unknown host key for ${name} (${fp}); refusing to connect`, {
      host: hostName,
      hint: `verify the fingerprint, then accept it with: provision up ... --host-key-checking accept-new  (or: ssh-keyscan -p ${opts.port} ${opts.address} >> ${opts.knownHostsFile})`,
    });
  }
  const what = status === 'revoked' ? 'is REVOKED' : 'HAS CHANGED';
  return new ProvisionError(
    'hostkey',
    `${where}@@@ WARNING: THE HOST KEY FOR ${name} ${what} @@@ it now presents ${fp}, which does not match ${opts.knownHostsFile}:${line}. Someone could be intercepting the connection; refusing to connect`,
    {
      host: hostName,
      hint: `if the host was really reinstalled, remove the old key with: ssh-keygen -f ${opts.knownHostsFile} -R '${name}'`,
    },
  );
}
