/** Ansible's tests on a registered task result: failed, succeeded, changed, skipped, finished, started, reachable. */
import type { Test } from '../../extension.js';
import { defined } from '../../extension.js';
import { isMapping, type Mapping, pyTruthy } from '../../value.js';
import { pluginError } from '../shared.js';

function result(name: string, v: unknown): Mapping {
  const r = defined(v);
  if (!isMapping(r)) throw pluginError(`The '${name}' test expects a dictionary`);
  return r;
}

const field =
  (name: string, key: string, negate = false): Test =>
  (_ctx, v) =>
    pyTruthy(result(name, v)[key] ?? false) !== negate;

const changed: Test = (_ctx, v) => {
  const r = result('changed', v);
  if (Object.hasOwn(r, 'changed')) return pyTruthy(r.changed);
  const results = r.results;
  if (Array.isArray(results)) {
    if (results.length === 0) throw pluginError('list index out of range');
    if (isMapping(results[0])) return results.some((x) => isMapping(x) && pyTruthy(x.changed ?? false));
  }
  return false;
};

/** finished/started: `== 1` on an async result, true (with Ansible's warning) for a task that was not async. */
const asyncState =
  (name: string): Test =>
  (_ctx, v) => {
    const r = result(name, v);
    if (!Object.hasOwn(r, name)) return true;
    return r[name] === 1 || r[name] === true;
  };

export const resultTests: Record<string, Test> = {
  failed: field('failed', 'failed'),
  failure: field('failed', 'failed'),
  succeeded: field('failed', 'failed', true),
  success: field('failed', 'failed', true),
  successful: field('failed', 'failed', true),
  unreachable: field('unreachable', 'unreachable'),
  reachable: field('unreachable', 'unreachable', true),
  changed,
  change: changed,
  skipped: field('skipped', 'skipped'),
  skip: field('skipped', 'skipped'),
  finished: asyncState('finished'),
  started: asyncState('started'),
};
