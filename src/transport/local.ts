import { userInfo } from 'node:os';
import { execa } from 'execa';
import type { ExecResult } from '../core/exec.js';
import { quote } from '../shell/quote.js';
import { becomeCommand, type ExecOptions, lineSplitter, type Transport } from './transport.js';

/** `ansible_connection: local`: the controller itself, through the same command contract. */
export class LocalTransport implements Transport {
  roundTrips = 0;
  constructor(readonly host: string) {}

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.roundTrips++;
    const wrapped = becomeCommand(command, opts.become, userInfo().username, quote);
    const stdin = Buffer.concat([Buffer.from(wrapped.stdinPrefix ?? ''), opts.stdin ?? Buffer.alloc(0)]);
    const child = execa('sh', ['-c', wrapped.command], {
      input: stdin,
      reject: false,
      encoding: 'buffer',
      stripFinalNewline: false,
      timeout: opts.timeoutMs,
    });
    if (opts.onLine) {
      const feed = lineSplitter(opts.onLine);
      child.stdout?.on('data', feed);
      child.stderr?.on('data', feed);
    }
    const r = await child;
    const stdoutBytes = Buffer.from(r.stdout as Uint8Array);
    return {
      command,
      exitCode: r.exitCode ?? 128 + 9,
      stdout: stdoutBytes.toString('utf8'),
      stderr: Buffer.from(r.stderr as Uint8Array).toString('utf8'),
      stdoutBytes,
    };
  }

  /** Nothing stays open between commands; a running child ends on its own. */
  destroy(): void {}

  async close(): Promise<void> {}
}
