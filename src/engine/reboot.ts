import type { ExecResult } from '../core/exec.js';
import type { RebootRequest } from '../core/plan.js';
import { ProvisionError } from '../errors.js';
import type { BecomeOptions, Transport } from '../transport/transport.js';
import { sleep } from '../util/limiter.js';

export interface RebootDeps {
  /** A new connection to the host; `connectTimeoutS` bounds one attempt. */
  connect(connectTimeoutS: number | undefined): Promise<Transport>;
  signal?: AbortSignal;
  now?: () => number;
}

/** How long to wait between two looks at a host that is not back yet. */
const POLL_MS = 1000;

/**
 * Reboot through `old`, then wait until a new connection shows another boot and the test command
 * succeeds, as Ansible's reboot module does. Resolves with the new connection (the old one is
 * closed) and Ansible's result (`rebooted`, `elapsed` in whole seconds).
 */
export async function rebootHost(
  old: Transport,
  req: RebootRequest,
  become: BecomeOptions | undefined,
  deps: RebootDeps,
): Promise<{ transport: Transport; result: ExecResult }> {
  const now = deps.now ?? Date.now;
  const t0 = now();
  const run = (t: Transport, command: string) => t.exec(command, { become });
  const before = await run(old, req.bootIdCommand);
  if (before.exitCode !== 0) throw failure(old.host, `cannot read the boot id (${req.bootIdCommand}): exit ${before.exitCode}`, before);
  try {
    const r = await run(old, req.command);
    if (r.exitCode !== 0) throw failure(old.host, `the reboot command failed (exit ${r.exitCode}): ${req.command}`, r);
  } catch (err) {
    // The host may go down before the command's channel closes: a lost connection is the reboot working.
    if (!(err instanceof ProvisionError && err.kind === 'connect')) throw err;
  }
  old.destroy();
  await sleep(req.postRebootDelayS * 1000, deps.signal);
  const deadline = t0 + req.rebootTimeoutS * 1000;
  let last = 'the host did not answer';
  while (now() < deadline) {
    if (deps.signal?.aborted) throw new ProvisionError('connect', 'interrupted while waiting for the host to reboot', { host: old.host });
    let t: Transport | undefined;
    try {
      t = await deps.connect(req.connectTimeoutS);
      const after = await run(t, req.bootIdCommand);
      if (after.exitCode === 0 && after.stdout !== before.stdout) {
        const test = await run(t, req.testCommand);
        if (test.exitCode === 0) return { transport: t, result: rebooted(req.command, Math.round((now() - t0) / 1000)) };
        last = `test command ${req.testCommand} failed (exit ${test.exitCode})`;
      } else last = after.exitCode === 0 ? 'the host has not gone down yet' : `cannot read the boot id: exit ${after.exitCode}`;
    } catch (err) {
      if (!(err instanceof ProvisionError)) throw err;
      last = err.message;
    }
    t?.destroy();
    await sleep(POLL_MS, deps.signal);
  }
  throw new ProvisionError('module', `timed out after ${req.rebootTimeoutS} s waiting for the host to come back from the reboot: ${last}`, {
    host: old.host,
    hint: 'raise reboot_timeout, or check the host console',
  });
}

function rebooted(command: string, elapsed: number): ExecResult {
  return { command, exitCode: 0, stdout: '', stderr: '', stdoutBytes: Buffer.alloc(0), data: { rebooted: true, elapsed } };
}

function failure(host: string, msg: string, r: ExecResult): ProvisionError {
  const said = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');
  return new ProvisionError('module', said ? `${msg}: ${said}` : msg, { host });
}
