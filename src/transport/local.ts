import { userInfo } from 'node:os';
import { execa } from 'execa';
import type { ExecResult } from '../core/exec.js';
import { ProvisionError } from '../errors.js';
import { quote } from '../shell/quote.js';
import { becomeRefusal, promptFilter } from './become.js';
import { CommandTimeout, killGroupCommand } from './kill.js';
import { type BecomeOptions, becomeCommand, type ExecOptions, lineSplitter, type Transport } from './transport.js';

/** `ansible_connection: local`: the controller itself, through the same command contract. */
export class LocalTransport implements Transport {
  roundTrips = 0;
  constructor(readonly host: string) {}

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.roundTrips++;
    const login = userInfo().username;
    const wrapped = becomeCommand(command, opts.become, login, quote);
    const stdin = Buffer.concat([Buffer.from(wrapped.stdinPrefix ?? ''), opts.stdin ?? Buffer.alloc(0)]);
    // Its own process group (detached), so that a time limit can kill the command and all it started.
    const child = execa('sh', ['-c', wrapped.command], {
      input: stdin,
      reject: false,
      encoding: 'buffer',
      stripFinalNewline: false,
      detached: opts.timeoutMs !== undefined,
    });
    if (opts.onLine) {
      const feed = lineSplitter(opts.onLine);
      child.stdout?.on('data', feed);
      child.stderr?.on('data', feed);
    }
    let killing: { limitMs: number; problem: Promise<string | undefined> } | undefined;
    const { timeoutMs } = opts;
    const { pid } = child;
    const timer =
      timeoutMs === undefined || pid === undefined
        ? undefined
        : setTimeout(() => {
            killing = { limitMs: timeoutMs, problem: killLocalGroup(pid, opts.become, login) };
          }, timeoutMs);
    const r = await child;
    clearTimeout(timer);
    const stdoutBytes = Buffer.from(r.stdout as Uint8Array);
    const stderr = promptFilter(wrapped.prompt)(Buffer.from(r.stderr as Uint8Array)).toString('utf8');
    if (killing) throw new CommandTimeout(this.host, command, killing.limitMs, stdoutBytes.toString('utf8'), stderr, await killing.problem);
    const exitCode = r.exitCode ?? 128 + 9;
    const refused = becomeRefusal(wrapped, exitCode, stderr);
    if (refused) throw new ProvisionError('command', refused, { host: this.host });
    return { command, exitCode, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes };
  }

  /** Nothing stays open between commands; a running child ends on its own. */
  destroy(): void {}

  async close(): Promise<void> {}
}

/** Kill the group as the user who runs the command (through sudo when that is another user). */
async function killLocalGroup(pgid: number, become: BecomeOptions | undefined, login: string): Promise<string | undefined> {
  if (!become || become.user === login) {
    try {
      process.kill(-pgid, 'SIGKILL');
      return undefined;
    } catch (err) {
      return `could not kill process group ${pgid}: ${(err as NodeJS.ErrnoException).code}`;
    }
  }
  const wrapped = becomeCommand(killGroupCommand(pgid), become, login, quote);
  const r = await execa('sh', ['-c', wrapped.command], { input: wrapped.stdinPrefix ?? '', reject: false });
  return r.exitCode === 0 ? undefined : `killing process group ${pgid} failed (exit ${r.exitCode}): ${String(r.stderr).slice(0, 200)}`;
}
