import type { ReadOutput } from '../core/reads.js';
import { type GroupedCommand, grouped } from '../shell/command-group.js';

/**
 * Several read commands as one shell command, one round trip; the batch itself is inline-safe.
 * After each command, a marker line carrying its exit code goes to stdout and a marker line to
 * stderr. The marker holds a random nonce, so no output can fake it.
 */
export function batchCommand(commands: readonly GroupedCommand[], marker: string): string {
  return commands.map((c) => `${grouped(c)}; printf '\\n${marker} %s\\n' "$?"; printf '\\n${marker}\\n' >&2`).join('\n');
}

/** Cut a batch's output back into one output per command; throws if the batch ended early. */
export function splitBatch(result: ReadOutput, marker: string, count: number): ReadOutput[] {
  const out = result.stdoutBytes;
  const err = result.stderr;
  const outputs: ReadOutput[] = [];
  let o = 0;
  let e = 0;
  for (let i = 0; i < count; i++) {
    const at = out.indexOf(`\n${marker} `, o);
    const lineEnd = at < 0 ? -1 : out.indexOf('\n', at + 1);
    const errAt = err.indexOf(`\n${marker}\n`, e);
    if (lineEnd < 0 || errAt < 0) {
      const said = err.slice(e).trim().split('\n').slice(-3).join(' | ');
      throw new Error(`a batch of reads ended after ${i} of ${count} (exit ${result.exitCode})${said ? `: ${said}` : ''}`);
    }
    const stdoutBytes = out.subarray(o, at);
    outputs.push({
      exitCode: Number(out.toString('utf8', at + marker.length + 2, lineEnd)),
      stdoutBytes,
      stdout: stdoutBytes.toString('utf8'),
      stderr: err.slice(e, errAt),
    });
    o = lineEnd + 1;
    e = errAt + marker.length + 2;
  }
  return outputs;
}
