/**
 * Ansible's `version` test (alias `version_compare`): LooseVersion by default, StrictVersion with
 * strict=True, SemanticVersion with version_type='semver', PEP 440 with 'pep440', as ansible-core
 * 2.14 compares them.
 */
import type { Test } from '../../extension.js';
import { pyRepr, pyStr, pyTruthy } from '../../value.js';
import { bind, pluginError } from '../shared.js';

const OPERATORS: Record<string, string> = {
  '==': 'eq',
  '=': 'eq',
  eq: 'eq',
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
  '!=': 'ne',
  '<>': 'ne',
  ne: 'ne',
};

const VERSION_TYPES = ['loose', 'strict', 'semver', 'semantic', 'pep440'];

type Cmp = (a: string, b: string) => number;

/** LooseVersion: numbers and letter runs, compared as Python compares lists (int vs str is a TypeError). */
function looseParts(v: string): (number | string)[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

const compareLoose: Cmp = (a, b) => {
  const pa = looseParts(a);
  const pb = looseParts(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as number | string;
    const y = pb[i] as number | string;
    if (x === y) continue;
    if (typeof x !== typeof y) {
      throw new TypeError(
        `'<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`,
      );
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
};

const compareStrict: Cmp = (a, b) => {
  const parse = (v: string) => {
    const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
    if (!m) throw new TypeError(`invalid version number '${v}'`);
    return { nums: [Number(m[1]), Number(m[2]), Number(m[4] ?? 0)], pre: m[5] ? ([m[5].charAt(0), Number(m[6])] as const) : null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return (x.nums[i] ?? 0) < (y.nums[i] ?? 0) ? -1 : 1;
  if (!x.pre && !y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  if (x.pre[0] !== y.pre[0]) return x.pre[0] < y.pre[0] ? -1 : 1;
  return Math.sign(x.pre[1] - y.pre[1]);
};

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const compareSemver: Cmp = (a, b) => {
  const parse = (v: string) => {
    const m = SEMVER.exec(v);
    if (!m) throw new TypeError(`invalid semantic version '${v}'`);
    return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] ? m[4].split('.') : [] };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if (x.core[i] !== y.core[i]) return (x.core[i] ?? 0) < (y.core[i] ?? 0) ? -1 : 1;
  if (!x.pre.length || !y.pre.length) return x.pre.length === y.pre.length ? 0 : x.pre.length ? -1 : 1;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i] ?? '';
    const q = y.pre[i] ?? '';
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) < Number(q) ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return Math.sign(x.pre.length - y.pre.length);
};

const PEP440 =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

/** A PEP 440 version as a list of sort keys (packaging's _cmpkey): epoch, release, pre, post, dev, local. */
function pep440Key(v: string): number[][] {
  const m = PEP440.exec(v);
  if (!m) throw new TypeError(`Invalid version: '${v}'`);
  const release = (m[2] ?? '').split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const preLetter = m[3]?.toLowerCase();
  const preRank = preLetter === undefined ? undefined : ({ a: 0, alpha: 0, b: 1, beta: 1 }[preLetter] ?? 2);
  const hasPost = m[5] !== undefined || m[6] !== undefined;
  const hasDev = m[8] !== undefined;
  const INF = Number.POSITIVE_INFINITY;
  const pre = preRank === undefined ? (!hasPost && hasDev ? [-INF] : [INF]) : [preRank, Number(m[4] ?? 0)];
  const post = hasPost ? [Number(m[5] ?? m[7] ?? 0)] : [-INF];
  const dev = hasDev ? [Number(m[9] ?? 0)] : [INF];
  // Local labels: numbers sort after words; compared only as far as this model needs.
  const local = m[10] === undefined ? [-INF] : m[10].split(/[-_.]/).map((x) => (/^\d+$/.test(x) ? 1e6 + Number(x) : 0));
  return [[Number(m[1] ?? 0)], release, pre, post, dev, local];
}

const comparePep440: Cmp = (a, b) => {
  const x = pep440Key(a);
  const y = pep440Key(b);
  for (let i = 0; i < x.length; i++) {
    const p = x[i] ?? [];
    const q = y[i] ?? [];
    for (let j = 0; j < Math.max(p.length, q.length); j++) {
      if (j >= p.length) return -1;
      if (j >= q.length) return 1;
      if (p[j] !== q[j]) return (p[j] ?? 0) < (q[j] ?? 0) ? -1 : 1;
    }
  }
  return 0;
};

const COMPARATORS: Record<string, Cmp> = {
  loose: compareLoose,
  strict: compareStrict,
  semver: compareSemver,
  semantic: compareSemver,
  pep440: comparePep440,
};

const versionCompare: Test = (_ctx, value, args, kwargs) => {
  const [version, operator, strict, versionType] = bind(
    'version_compare',
    ['version', 'operator', 'strict', 'version_type'],
    [undefined, 'eq', null, null] as unknown[],
    args,
    kwargs,
  );
  if (strict !== null && versionType !== null) throw pluginError("Cannot specify both 'strict' and 'version_type'");
  if (!pyTruthy(value)) throw pluginError('Input version value cannot be empty');
  if (!pyTruthy(version)) throw pluginError('Version parameter to compare against cannot be empty');
  let cmp = compareLoose;
  if (pyTruthy(strict)) cmp = compareStrict;
  else if (pyTruthy(versionType)) {
    const t = pyStr(versionType);
    const chosen = COMPARATORS[t];
    if (!chosen) throw pluginError(`Invalid version type (${t}). Must be one of ${VERSION_TYPES.map((x) => pyRepr(x)).join(', ')}`);
    cmp = chosen;
  }
  const op = OPERATORS[pyStr(operator)];
  if (!op)
    throw pluginError(
      `Invalid operator type (${pyStr(operator)}). Must be one of ${Object.keys(OPERATORS)
        .map((x) => pyRepr(x))
        .join(', ')}`,
    );
  let c: number;
  try {
    c = cmp(pyStr(value), pyStr(version));
  } catch (err) {
    throw pluginError(`Version comparison failed: ${(err as Error).message}`);
  }
  return { eq: c === 0, ne: c !== 0, lt: c < 0, le: c <= 0, gt: c > 0, ge: c >= 0 }[op] ?? false;
};

export const versionTests: Record<string, Test> = { version: versionCompare, version_compare: versionCompare };
