import type { ExecResult } from '../core/exec.js';
import type { Change } from '../core/plan.js';
import { ProvisionError } from '../errors.js';
import { TemplateError } from '../template/render.js';

/** What `register` stores: Ansible's shape (changed, failed, rc, stdout, stdout_lines, ...). */
export function resultOf(changed: boolean, r: ExecResult | undefined, extra: Record<string, unknown>): Record<string, unknown> {
  const base: Record<string, unknown> = { changed, failed: false, ...extra };
  if (r?.data) Object.assign(base, r.data);
  else if (r) {
    Object.assign(base, {
      rc: r.exitCode,
      stdout: r.stdout.replace(/\n$/, ''),
      stderr: r.stderr.replace(/\n$/, ''),
      stdout_lines: r.stdout.split('\n').filter((l, i, a) => l !== '' || i < a.length - 1),
      stderr_lines: r.stderr.split('\n').filter(Boolean),
    });
  }
  return base;
}

/**
 * Whether a task's changes make it changed, as Ansible reports it. A module that fails says it
 * changed nothing (its fail_json), except the command family, whose failed result is changed; an
 * exec marked unreported runs without counting.
 */
export function reportsChanged(changes: Change[], failed: boolean): boolean {
  if (failed) return changes.some((c) => c.kind === 'exec' && c.registersOutput === true);
  return changes.some((c) => !(c.kind === 'exec' && c.unreported === true));
}

export function tail(text: string, lines = 15): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((l) => `  | ${l}`)
    .join('\n');
}

export function describeTaskError(err: unknown): string {
  if (err instanceof TemplateError) return err.message;
  if (err instanceof ProvisionError) return err.hint ? `${err.message} (${err.hint})` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
