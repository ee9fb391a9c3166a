/** Ansible's math filters: log, pow, root, human_readable, human_to_bytes. */
import type { Filter } from '../../extension.js';
import { defined } from '../../extension.js';
import { isNumber, pyFloat, pyStr, pyTypeName, toNumber } from '../../value.js';
import { bind, formatFixed, pluginError, roundHalfEven } from '../shared.js';

/** A float argument, or Python's TypeError words for what it is instead. */
function real(v: unknown): number {
  const d = defined(v);
  const n = typeof d === 'boolean' ? undefined : toNumber(d);
  if (n === undefined) throw new TypeError(`must be real number, not ${pyTypeName(d)}`);
  return n;
}

function mathFilter(name: string, compute: (x: number, args: unknown[], kwargs: Record<string, unknown>) => number): Filter {
  return (_ctx, value, args, kwargs) => {
    let result: number;
    try {
      result = compute(real(value), args, kwargs);
    } catch (err) {
      if (err instanceof TypeError) throw pluginError(`${name}() can only be used on numbers: ${err.message}`);
      throw err;
    }
    if (Number.isNaN(result)) throw pluginError('math domain error');
    return pyFloat(result);
  };
}

const log = mathFilter('log', (x, args, kwargs) => {
  const [base] = bind('log', ['base'], [Math.E] as [unknown], args, kwargs);
  const b = real(base);
  if (x <= 0 || b <= 0) throw pluginError('math domain error');
  return b === 10 ? Math.log10(x) : Math.log(x) / Math.log(b);
});

const pow = mathFilter('pow', (x, args, kwargs) => {
  const [y] = bind('pow', ['y'], [undefined] as [unknown], args, kwargs);
  return x ** real(y);
});

const root = mathFilter('root', (x, args, kwargs) => {
  const [base] = bind('root', ['base'], [2] as [unknown], args, kwargs);
  const b = real(base);
  if (x < 0) throw pluginError('root() can only be used on numbers: math domain error');
  return b === 2 ? Math.sqrt(x) : x ** (1 / b);
});

const SIZE_RANGES: [string, number][] = [
  ['Y', 2 ** 80],
  ['Z', 2 ** 70],
  ['E', 2 ** 60],
  ['P', 2 ** 50],
  ['T', 2 ** 40],
  ['G', 2 ** 30],
  ['M', 2 ** 20],
  ['K', 2 ** 10],
  ['B', 1],
];

/** Ansible's bytes_to_human. */
export function bytesToHuman(size: number, isbits: boolean, unit: string | null): string {
  const base = isbits ? 'bits' : 'Bytes';
  let suffix = 'B';
  let limit = 1;
  for ([suffix, limit] of SIZE_RANGES) {
    if ((unit === null && size >= limit) || (unit !== null && unit.toUpperCase() === suffix.charAt(0))) break;
  }
  const label = limit !== 1 ? suffix + base.charAt(0) : base;
  return `${formatFixed(size / limit, 2)} ${label}`;
}

const humanReadable: Filter = (_ctx, value, args, kwargs) => {
  const [isbits, unit] = bind('human_readable', ['isbits', 'unit'], [false, null] as [unknown, unknown], args, kwargs);
  const size = defined(value);
  if (!isNumber(size) && typeof size !== 'boolean') {
    throw pluginError(`human_readable() failed on bad input: '>=' not supported between instances of '${pyTypeName(size)}' and 'int'`);
  }
  return bytesToHuman(toNumber(size) ?? 0, Boolean(isbits), unit === null ? null : pyStr(unit));
};

/** Ansible's human_to_bytes: a number with an optional unit (K, MB, Mb with isbits...), in bytes or bits. */
export function humanToBytes(input: unknown, defaultUnit: string | null, isbits: boolean): number {
  const text = pyStr(input);
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?/.exec(text);
  const numText = m?.[1] ?? '';
  if (!m || numText === '' || numText === '.') throw pluginError(`human_to_bytes() can't interpret following string: ${text}`);
  const num = Number(numText);
  const unit = m[2] ?? defaultUnit;
  if (unit === null) return roundHalfEven(num);
  const rangeKey = unit.charAt(0).toUpperCase();
  const limit = SIZE_RANGES.find(([k]) => k === rangeKey)?.[1];
  if (limit === undefined) throw pluginError(`human_to_bytes() can't interpret following string: ${text}`);
  const unitClass = isbits ? 'b' : 'B';
  const unitClassName = isbits ? 'bit' : 'byte';
  if (unit.length > 1 && !unit.toLowerCase().includes(unitClassName) && unit.charAt(1) !== unitClass) {
    throw pluginError(`human_to_bytes() can't interpret following string: ${text}`);
  }
  return roundHalfEven(num * limit);
}

const humanToBytesFilter: Filter = (_ctx, value, args, kwargs) => {
  const [defaultUnit, isbits] = bind('human_to_bytes', ['default_unit', 'isbits'], [null, false] as [unknown, unknown], args, kwargs);
  return humanToBytes(defined(value), defaultUnit === null ? null : pyStr(defaultUnit), Boolean(isbits));
};

export const mathFilters: Record<string, Filter> = {
  log,
  pow,
  root,
  human_readable: humanReadable,
  human_to_bytes: humanToBytesFilter,
};
