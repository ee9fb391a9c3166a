import { isDeepStrictEqual } from 'node:util';
import type { ReadValue } from '../../../src/core/reads.js';
import type { HostFacts } from '../../../src/reads/host-facts.js';

/**
 * How each fact of Ansible's setup is compared with provision's, on the same host: equal unless
 * a rule below says why not. The reasons are the documented differences (README, "Facts").
 */
export type FactRule =
  /** A list whose order Ansible does not fix (a Python set). */
  | { kind: 'set' }
  /** A value that changes between two gatherings: compared by shape, and by `check` where something holds still. */
  | { kind: 'moves'; why: string; check?: (ansible: ReadValue, provision: ReadValue) => string | undefined }
  /** A value that differs on purpose or by circumstance: `check` says what still holds. */
  | { kind: 'differs'; why: string; check: (ansible: ReadValue, provision: ReadValue) => string | undefined }
  /** A fact provision does not gather. */
  | { kind: 'not-gathered'; why: string };

/** The facts issue 12 lists, as patterns over fact names: each must be gathered and pass its comparison. */
export const LISTED: readonly RegExp[] = [
  /^os_family$/,
  /^distribution/,
  /^lsb$/,
  /^service_mgr$/,
  /^pkg_mgr$/,
  /^fqdn$/,
  /^hostname$/,
  /^nodename$/,
  /^domain$/,
  /^default_ipv4$/,
  /^default_ipv6$/,
  /^all_ipv4_addresses$/,
  /^interfaces$/,
  /^mounts$/,
  /^memtotal_mb$/,
  /^processor/,
  /^architecture$/,
  /^kernel$/,
  /^machine_id$/,
  /^selinux$/,
  /^apparmor$/,
  /^user_/,
  /^env$/,
  /^date_time$/,
  /^virtualization_/,
  /^python$/,
];

type Obj = { readonly [k: string]: ReadValue | undefined };
const isObj = (v: ReadValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

/** A value's shape: its JSON types, keys and element shapes (a list: the set of its elements' shapes). */
export function shapeOf(v: ReadValue | undefined): unknown {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return { list: [...new Set(v.map((e) => JSON.stringify(shapeOf(e))))].sort() };
  if (isObj(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shapeOf(v[k])]),
    );
  return typeof v;
}

const sameShape = (a: ReadValue, p: ReadValue) =>
  isDeepStrictEqual(shapeOf(a), shapeOf(p))
    ? undefined
    : `shape ${JSON.stringify(shapeOf(p))} is not Ansible's ${JSON.stringify(shapeOf(a))}`;

/** Mount sizes move with every write; what the file system is does not. */
function mountsCheck(a: ReadValue, p: ReadValue): string | undefined {
  if (!Array.isArray(a) || !Array.isArray(p)) return 'mounts is not a list';
  const key = (m: ReadValue) => (isObj(m) ? String(m.mount) : '');
  const still = (m: ReadValue) =>
    isObj(m) ? [m.mount, m.device, m.fstype, m.options, m.uuid, m.block_size, m.block_total, m.inode_total, m.size_total, m.note] : m;
  const ours = new Map(p.map((m) => [key(m), m]));
  for (const m of a) {
    const o = ours.get(key(m));
    if (!o) return `mount ${key(m)} missing`;
    if (!isDeepStrictEqual(still(m), still(o)))
      return `mount ${key(m)}: ${JSON.stringify(still(o))} is not Ansible's ${JSON.stringify(still(m))}`;
    const s = sameShape(m, o);
    if (s) return `mount ${key(m)}: ${s}`;
  }
  return p.length === a.length ? undefined : `${p.length} mounts, Ansible has ${a.length}`;
}

/** The date is taken seconds apart; the zone and the format are the same. */
function dateTimeCheck(a: ReadValue, p: ReadValue): string | undefined {
  if (!isObj(a) || !isObj(p)) return 'date_time is not a mapping';
  for (const k of ['tz', 'tz_dst', 'tz_offset'] as const) if (a[k] !== p[k]) return `date_time.${k} ${String(p[k])} is not ${String(a[k])}`;
  const gap = Math.abs(Number(p.epoch) - Number(a.epoch));
  if (!(gap < 600)) return `date_time.epoch ${String(p.epoch)} is ${gap} s from Ansible's`;
  const formatOf = (v: ReadValue | undefined) => String(v).replace(/[0-9]/g, '9');
  for (const k of Object.keys(a))
    if (k !== 'weekday' && formatOf(a[k]) !== formatOf(p[k]))
      return `date_time.${k} "${String(p[k])}" is not in the form of "${String(a[k])}"`;
  return undefined;
}

/**
 * The environment is the process's. Ansible's module runs under its own /bin/sh (`_`), and
 * OpenSSH passes the controller's LANG and LC_* (Debian's SendEnv); provision's SSH client passes
 * none. The session's source port differs between two connections. The rest must be equal.
 */
const ANSIBLE_ONLY_ENV = /^(_|LANG|LC_.*)$/;
function envCheck(a: ReadValue, p: ReadValue): string | undefined {
  if (!isObj(a) || !isObj(p)) return 'env is not a mapping';
  const portless = (k: string, v: ReadValue | undefined) =>
    k === 'SSH_CLIENT' || k === 'SSH_CONNECTION' ? String(v).replace(/^(\S+) \d+/, '$1 PORT') : v;
  const keys = (o: Obj) =>
    Object.keys(o)
      .filter((k) => !ANSIBLE_ONLY_ENV.test(k))
      .sort();
  if (!isDeepStrictEqual(keys(a), keys(p))) return `env has ${keys(p).join(' ')}, Ansible's ${keys(a).join(' ')}`;
  for (const k of keys(a))
    if (portless(k, a[k]) !== portless(k, p[k])) return `env.${k} ${JSON.stringify(p[k])} is not Ansible's ${JSON.stringify(a[k])}`;
  return undefined;
}

const RULES: Record<string, FactRule> = {
  // Ansible's list of interface names passes through a Python set on its way to JSON.
  interfaces: { kind: 'set' },
  virtualization_tech_guest: { kind: 'set' },
  virtualization_tech_host: { kind: 'set' },
  date_time: { kind: 'moves', why: 'the time of the gathering', check: dateTimeCheck },
  memfree_mb: { kind: 'moves', why: 'free memory moves by itself' },
  memory_mb: { kind: 'moves', why: 'free and used memory move by themselves' },
  uptime_seconds: {
    kind: 'moves',
    why: 'seconds since boot',
    check: (a, p) => (Math.abs(Number(a) - Number(p)) < 600 ? undefined : `uptime ${String(p)} is far from ${String(a)}`),
  },
  loadavg: { kind: 'moves', why: 'the load average moves by itself' },
  mounts: { kind: 'moves', why: 'free blocks and inodes move with every write', check: mountsCheck },
  env: {
    kind: 'differs',
    why: "the gathering process's environment: Ansible's module has its own variables (its interpreter's `_`, the session's ports)",
    check: envCheck,
  },
};

/** What Ansible gathers that provision does not, with why. */
export const NOT_GATHERED: Record<string, string> = {
  devices: 'block devices (sysfs /sys/block walked per device and partition): no role of the corpus reads them',
  device_links: "block devices' links by id, label, master and UUID: gathered with devices",
};

/** The rule of a fact; undefined: the values must be equal. */
export function ruleFor(name: string): FactRule | undefined {
  return RULES[name] ?? (name in NOT_GATHERED ? { kind: 'not-gathered', why: NOT_GATHERED[name] ?? '' } : undefined);
}

export interface CompareOptions {
  /** Provision gathered on another boot (or machine) than Ansible's recording: what those decide is compared by shape. */
  live?: boolean;
  /** The host has python3 (without it Ansible cannot run, and provision has no python facts to give). */
  python?: boolean;
}

/** What another boot or another machine changes: the kernel, the processors, memory, identity, keys, hardware addresses. */
const MACHINE =
  /^(date_time|kernel|kernel_version|machine_id|processor.*|memtotal_mb|swaptotal_mb|swapfree_mb|cmdline|proc_cmdline|ssh_host_key_.*|python_version|python|uptime_seconds|mounts)$/;

/** A value without its hardware addresses, for another boot's interfaces. */
function withoutMacs(v: ReadValue): ReadValue {
  if (Array.isArray(v)) return v.map(withoutMacs);
  if (isObj(v))
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'macaddress' && k !== 'perm_macaddress')
        .map(([k, x]) => [k, withoutMacs(x ?? null)]),
    );
  return v;
}

/** Every difference between Ansible's facts and provision's that no rule explains, one line each. */
export function compareFacts(ansible: HostFacts, provision: HostFacts, options: CompareOptions = {}): string[] {
  const problems: string[] = [];
  const interfaces = new Set(Array.isArray(ansible.interfaces) ? ansible.interfaces.map(String) : []);
  for (const name of Object.keys(ansible).sort()) {
    let a = ansible[name] as ReadValue;
    let p = provision[name];
    if (options.live && (name === 'python' || name === 'python_version') && !options.python) {
      if (p !== undefined) problems.push(`${name}: the host has no python3, provision has it`);
      continue;
    }
    if (options.live && p !== undefined && (interfaces.has(name) || name === 'default_ipv4' || name === 'default_ipv6')) {
      const s = sameShape(a, p);
      if (s) problems.push(`${name}: ${s}`);
      [a, p] = [withoutMacs(a), withoutMacs(p)];
    }
    const rule: FactRule | undefined =
      options.live && MACHINE.test(name) && RULES[name]?.kind !== 'not-gathered' ? { kind: 'moves', why: 'another boot' } : ruleFor(name);
    if (rule?.kind === 'not-gathered') {
      if (p !== undefined) problems.push(`${name}: listed as not gathered, but provision has it`);
      continue;
    }
    if (p === undefined) {
      problems.push(`${name}: Ansible has it, provision does not`);
      continue;
    }
    const problem =
      rule === undefined
        ? isDeepStrictEqual(a, p)
          ? undefined
          : `${JSON.stringify(p)} is not Ansible's ${JSON.stringify(a)}`
        : rule.kind === 'set'
          ? isDeepStrictEqual(sorted(a), sorted(p))
            ? undefined
            : `${JSON.stringify(p)} has not Ansible's members ${JSON.stringify(a)}`
          : rule.kind === 'moves'
            ? (rule.check ?? sameShape)(a, p)
            : rule.check(a, p);
    if (problem) problems.push(`${name}: ${problem}`);
  }
  for (const name of Object.keys(provision).sort()) if (!(name in ansible)) problems.push(`${name}: provision has it, Ansible does not`);
  return problems;
}

function sorted(v: ReadValue): ReadValue {
  return Array.isArray(v) ? [...v].map((e) => JSON.stringify(e)).sort() : v;
}

/** Ansible's setup output without the `ansible_` prefix, as plays see it in ansible_facts. */
export function unprefixed(facts: Record<string, ReadValue>): HostFacts {
  return Object.fromEntries(Object.entries(facts).map(([k, v]) => [k.replace(/^ansible_/, ''), v]));
}
