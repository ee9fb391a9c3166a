import type { Vars } from '../config/inventory.js';
import { inputError, ProvisionError, type SourceLocation } from '../errors.js';
import { isTemplated, renderValue } from '../template/render.js';

/**
 * The keywords that bound a task in time and let it try again: `timeout` (also a play keyword),
 * `until`, `retries`, `delay`. Numbers are checked where they are written; a template is
 * checked when it is rendered, per host, with the same message.
 */

/** A whole number as written: a number, or a template rendered per host at run time. */
export type Count = number | string;

export interface TaskLimits {
  /** Seconds one attempt of the task may take; 0 or absent: no limit. */
  timeout?: Count;
  /** Conditions that must all hold for the task to stop trying; empty: try once. */
  until: (string | boolean)[];
  retries?: Count;
  delay?: Count;
}

const HINTS: Record<string, string> = {
  timeout: 'write timeout: 300 (seconds one attempt may take; 0 for no limit), or a "{{ variable }}"',
  retries: 'write retries: 3 (tries after the first one), or a "{{ variable }}"',
  delay: 'write delay: 5 (seconds between tries), or a "{{ variable }}"',
};

/** Why a value is not a whole number of at least 0, or undefined when it is one. */
function countProblem(keyword: string, value: unknown): string | undefined {
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return undefined;
  if (typeof value === 'number' && value < 0) return `${keyword} must not be negative, got ${shown}`;
  return `${keyword} must be a whole number${keyword === 'retries' ? '' : ' of seconds'}, got ${shown}`;
}

/** Check one count keyword where it is written; numeric strings ("30") are numbers, as Ansible reads them. */
export function parseCount(keyword: string, value: unknown, location: SourceLocation): Count {
  if (typeof value === 'string' && isTemplated(value)) return value;
  const v = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  const problem = countProblem(keyword, v);
  if (problem) throw inputError(problem, location, HINTS[keyword]);
  return v as number;
}

/** The task's limits, from its raw keyword values; `locate` points at a keyword's value. */
export function parseTaskLimits(
  raw: { timeout?: unknown; until?: (string | boolean) | (string | boolean)[]; retries?: unknown; delay?: unknown },
  locate: (keyword: string) => SourceLocation,
): TaskLimits {
  const count = (k: 'timeout' | 'retries' | 'delay') =>
    raw[k] === undefined || raw[k] === null ? undefined : parseCount(k, raw[k], locate(k));
  return {
    timeout: count('timeout'),
    until: raw.until === undefined ? [] : Array.isArray(raw.until) ? raw.until : [raw.until],
    retries: count('retries'),
    delay: count('delay'),
  };
}

/** A count's value for one host: its template rendered and checked. */
export function renderCount(keyword: string, value: Count, vars: Vars, location: SourceLocation): number {
  if (typeof value === 'number') return value;
  const rendered = renderValue(value, vars);
  const v = typeof rendered === 'string' && /^\s*-?\d+\s*$/.test(rendered) ? Number(rendered) : rendered;
  const problem = countProblem(keyword, v);
  if (problem) throw new ProvisionError('input', `${problem} (from ${value})`, { location, hint: HINTS[keyword] });
  return v as number;
}
