/**
 * Ansible's random and shuffle filters. With a seed they reproduce Python's random.Random(seed)
 * (py-random.ts): the same number, choice and order as Ansible gives for the same seed. Without
 * one they draw from a Mersenne Twister seeded from the system's randomness, as SystemRandom would.
 */
import { randomBytes } from 'node:crypto';
import type { Filter } from '../../extension.js';
import { defined } from '../../extension.js';
import { isInt, isMapping, PyFloat, pyTruthy } from '../../value.js';
import { PyRandom } from '../py-random.js';
import { bind, pluginError, pyList } from '../shared.js';

/** random.Random(seed), or a generator seeded from the system when seed is None. */
export function pyRandom(seed: unknown): PyRandom {
  if (seed === null || seed === undefined) return new PyRandom(BigInt(`0x${randomBytes(32).toString('hex')}`));
  if (typeof seed === 'boolean') return new PyRandom(seed ? 1 : 0);
  if (typeof seed === 'number' && Number.isInteger(seed)) return new PyRandom(seed);
  if (seed instanceof PyFloat) return new PyRandom(seed.value);
  if (typeof seed === 'string') return new PyRandom(seed);
  throw pluginError('The only supported seed types are: None,\nint, float, str, bytes, and bytearray.');
}

const random: Filter = (_ctx, value, args, kwargs) => {
  const [start, step, seed] = bind('random', ['start', 'step', 'seed'], [null, null, null] as unknown[], args, kwargs);
  const end = defined(value);
  const r = pyRandom(seed);
  if (isInt(end) || typeof end === 'boolean') {
    const s = pyTruthy(start) ? Number(start) : 0;
    const st = pyTruthy(step) ? Number(step) : 1;
    try {
      return r.randrange(s, Number(end), st);
    } catch (err) {
      throw pluginError((err as Error).message);
    }
  }
  if (typeof end === 'string' || Array.isArray(end) || isMapping(end)) {
    if (pyTruthy(start) || pyTruthy(step)) throw pluginError('start and step can only be used with integer values');
    // random.choice indexes a dict by position: Python's KeyError, whose message is that number.
    if (isMapping(end)) {
      const n = Object.keys(end).length;
      throw pluginError(n ? String(r.randbelow(n)) : 'Cannot choose from an empty sequence');
    }
    try {
      return r.choice(pyList(end));
    } catch (err) {
      throw pluginError((err as Error).message);
    }
  }
  throw pluginError('random can only be used on sequences and integers');
};

const shuffle: Filter = (_ctx, value, args, kwargs) => {
  const [seed] = bind('shuffle', ['seed'], [null] as [unknown], args, kwargs);
  const v = defined(value);
  let list: unknown[];
  try {
    list = pyList(v);
  } catch {
    return v; // Ansible returns what it cannot shuffle unchanged
  }
  pyRandom(pyTruthy(seed) ? seed : null).shuffle(list);
  return list;
};

export const randomFilters: Record<string, Filter> = { random, shuffle };
