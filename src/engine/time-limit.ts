import type { Play, Task } from '../config/playbook.js';
import { renderCount } from '../config/task-limits.js';
import type { ExecResult } from '../core/exec.js';
import type { Vars } from '../core/vars.js';
import { CommandTimeout } from '../transport/kill.js';
import type { ExecOptions, Transport } from '../transport/transport.js';
import { tail } from './results.js';

/** Seconds one try of the task may take: the task's `timeout`, else its play's, else the run's; 0 means none. */
export function taskTimeout(task: Task, play: Play, runDefault: number | undefined, vars: Vars): number | undefined {
  const own = task.limits.timeout ?? play.timeout;
  const s = own === undefined ? runDefault : renderCount('timeout', own, vars, own === task.limits.timeout ? task.location : play.location);
  return s ? s : undefined;
}

/**
 * The host's transport with every command bounded by one deadline: the reads and the changes
 * of a try share its time, as Ansible's `timeout` bounds the whole action. A command started
 * after the deadline fails at once, without reaching the host.
 */
export function withDeadline(t: Transport, deadline: number, limitMs: number): Transport {
  return {
    host: t.host,
    get roundTrips() {
      return t.roundTrips;
    },
    exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
      const left = deadline - Date.now();
      if (left <= 0) return Promise.reject(new CommandTimeout(t.host, command, limitMs, '', ''));
      // The error names the task's limit, not the time that was left for this one command.
      return t.exec(command, { ...opts, timeoutMs: Math.min(left, opts.timeoutMs ?? left) }).catch((err: unknown) => {
        if (!(err instanceof CommandTimeout)) throw err;
        throw new CommandTimeout(t.host, err.command, limitMs, err.stdout, err.stderr, err.killProblem);
      });
    },
    close: () => t.close(),
    destroy: () => t.destroy(),
  };
}

/** What a timed-out try registers and prints: the limit, the command, its last output lines. */
export function timedOutResult(err: CommandTimeout): { msg: string; result: Record<string, unknown> } {
  const output = `${err.stdout}${err.stdout && err.stderr ? '\n' : ''}${err.stderr}`.trim();
  const msg = [
    `${err.message}: its process group was ${err.killProblem ? 'not confirmed killed' : 'killed'}`,
    `  command: ${(err.command.split('\n')[0] ?? '').slice(0, 300)}`,
    ...(output ? [tail(output, 10)] : []),
  ].join('\n');
  return {
    msg,
    result: {
      changed: false,
      failed: true,
      msg,
      stdout: err.stdout.replace(/\n$/, ''),
      stderr: err.stderr.replace(/\n$/, ''),
      stdout_lines: err.stdout.split('\n').filter(Boolean),
      stderr_lines: err.stderr.split('\n').filter(Boolean),
      timedout: { period: err.limitMs / 1000 },
    },
  };
}
