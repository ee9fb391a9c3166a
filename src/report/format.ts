import type { HostStats, RunEvent } from '../core/events.js';
import { retryLine } from '../engine/retry.js';
import { DECIDED_AT_APPLY } from '../engine/unknown-until-apply.js';
import { secrets } from '../secrets.js';
import { unifiedDiff } from './diff.js';

/** Every line that leaves the process passes here: secrets never reach a terminal, log or pipe. */
export function safe(text: string): string {
  return secrets.mask(text);
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

type TaskResult = Extract<RunEvent, { event: 'task_result' }>;

/** The lines for one task result, as both the plain and the TTY renderer print them. */
export function formatResult(e: TaskResult, opts: { verbose: boolean; diff: boolean }): string[] {
  const status = e.decidedAtApply ? DECIDED_AT_APPLY : e.check && e.status === 'changed' ? 'would change' : e.status;
  const tries = e.attempts && e.attempts > 1 ? `, ${e.attempts} tries` : '';
  const head = `${status}${e.ignored ? ' (ignored)' : ''}: [${e.host}${e.delegatedTo ? ` -> ${e.delegatedTo}` : ''}] ${e.handler ? 'handler: ' : ''}${e.task} (${formatDuration(e.durationMs)}${tries})`;
  const lines = [head];
  // Ansible's per-item lines: `ok: (item=label)`, the label being loop_control.label when set.
  for (const item of e.items ?? [])
    lines.push(`    ${e.check && item.status === 'changed' ? 'would change' : item.status}: (item=${item.label})`);
  // A check run's skipped command still says what it would run.
  if (e.changes?.length && (e.status === 'changed' || e.status === 'failed' || (e.check && e.status === 'skipped') || opts.verbose))
    e.changes.forEach((c) => {
      lines.push(`    - ${c}`);
    });
  if (e.msg && (e.status === 'failed' || e.status === 'unreachable' || e.decidedAtApply || opts.verbose))
    lines.push(...e.msg.split('\n').map((l) => `    ${l}`));
  if (opts.diff && e.diffs?.length) for (const d of e.diffs) lines.push(...unifiedDiff(d).trimEnd().split('\n'));
  return lines.map(safe);
}

/** A try that `until` will repeat: Ansible's line, and with -v why the try did not do. */
export function formatRetry(e: Extract<RunEvent, { event: 'task_retry' }>, opts: { verbose: boolean }): string[] {
  const item = e.item === undefined ? '' : ` (item=${typeof e.item === 'string' ? e.item : JSON.stringify(e.item)})`;
  const lines = [`${retryLine(e.host, `${e.task}${item}`, e.retriesLeft)}${e.timedOut ? ' (timed out)' : ''}`];
  if (opts.verbose && e.msg) lines.push(...e.msg.split('\n').map((l) => `    ${l}`));
  return lines.map(safe);
}

/** The run's last lines: the PLAY RECAP and, when hosts failed, how to retry them. */
export function formatRunEnd(e: Extract<RunEvent, { event: 'recap' }>): string[] {
  return ['', ...formatRecap(e.hosts, e.durationMs), ...(e.retryFile ? [`to retry the failed hosts: --limit @${e.retryFile}`] : [])];
}

/** What Ctrl-C stopped. */
export function formatInterrupted(e: Extract<RunEvent, { event: 'interrupted' }>): string {
  return `INTERRUPTED: no new tasks start; running: ${e.running.map((r) => `[${r.host}] ${r.task}`).join(', ') || 'nothing'}`;
}

export function formatRecap(hosts: Record<string, HostStats>, durationMs: number): string[] {
  const names = Object.keys(hosts);
  const width = Math.max(10, ...names.map((n) => n.length));
  const lines = [`PLAY RECAP ${'*'.repeat(60)}`];
  for (const [n, s] of Object.entries(hosts)) {
    lines.push(
      `${n.padEnd(width)} : ok=${String(s.ok).padEnd(4)} changed=${String(s.changed).padEnd(4)} unreachable=${String(s.unreachable).padEnd(4)} failed=${String(s.failed).padEnd(4)} skipped=${s.skipped}${s.rescued ? ` rescued=${s.rescued}` : ''}${s.ignored ? ` ignored=${s.ignored}` : ''}`,
    );
  }
  lines.push(`finished in ${formatDuration(durationMs)}`);
  return lines;
}
