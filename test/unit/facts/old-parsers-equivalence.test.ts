import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { subParts } from '../../../src/reads/facts/collector.js';
import { parseDebianFile } from '../../../src/reads/facts/distribution.js';
import { cpuFacts } from '../../../src/reads/facts/hardware.js';
import { parseNetwork } from '../../../src/reads/facts/network.js';
import { parseHostFacts } from '../../../src/reads/host-facts.js';
import { oldCpuFacts, oldParseDebianFile, oldParseNetwork } from './old-parsers.js';

// The rewritten parsers against the former ones (old-parsers.ts): deep-equal results, or the same
// error, on every recorded gathering and on many generated outputs in the shapes the scripts print.
const RUNS = Number(process.env.EQUIVALENCE_RUNS ?? 100_000);
const SEED = Number(process.env.EQUIVALENCE_SEED ?? 20261128);

type Outcome = { value: unknown } | { error: string };
function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (e) {
    return { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
/**
 * Deep-equal as node's strict comparison has it (a key holding undefined differs from a missing
 * key, NaN equals NaN), and the same keys in the same order (what a printed fact shows).
 */
function same(a: () => unknown, b: () => unknown): boolean {
  const [x, y] = [outcome(a), outcome(b)];
  return isDeepStrictEqual(x, y) && JSON.stringify(x) === JSON.stringify(y);
}

// --- recorded gatherings: test/fixtures/facts and the host_facts read fixtures
const fixtures = join(import.meta.dirname, '../../fixtures/facts/provision-gather.json');
const reads = join(import.meta.dirname, '../reads/host_facts.json');
const recorded: { name: string; stdout: string; args: { gather_subset: string[] } }[] = [
  ...(JSON.parse(readFileSync(fixtures, 'utf8')) as { variants: { gather_subset: string[]; stdout: string }[] }).variants.map((v) => ({
    name: `fixtures/facts ${v.gather_subset.join(',')}`,
    stdout: v.stdout,
    args: { gather_subset: v.gather_subset },
  })),
  ...(JSON.parse(readFileSync(reads, 'utf8')) as { name: string; args: { gather_subset: string[] }; output: { stdout: string } }[]).map(
    (c) => ({ name: `reads/host_facts ${c.name}`, stdout: c.output.stdout, args: c.args }),
  ),
];
function sections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const chunk of stdout.split(/^::facts:/m).slice(1)) {
    const nl = chunk.indexOf('\n');
    out.set(chunk.slice(0, nl), chunk.slice(nl + 1));
  }
  return out;
}

// --- generators
const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const joined = (parts: fc.Arbitrary<string[]>, sep: string) => parts.map((p) => p.join(sep));

const osReleaseText = joined(
  fc.array(
    fc.oneof(
      pick('Debian', 'Raspbian', 'Ubuntu', 'Devuan', 'Mint', 'Linux Mint', 'debian', 'GNU/Linux', 'Kali'),
      pick('PRETTY_NAME=', 'PRETTY_NAME="', 'VERSION_ID=', 'VERSION_ID="', 'NAME="', 'VERSION="', 'ID=', 'VERSION_CODENAME='),
      pick('(', ')', '"', ' ', '\n', '(bookworm)', ' (bookworm)', 'bookworm', 'chimaera', 'ceres', '12', '11.7', '21.2', '5.0.1', ''),
      fc.constantFrom(
        'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
        'PRETTY_NAME="Debian GNU/Linux trixie/sid"',
        'PRETTY_NAME="Raspbian GNU/Linux 11 (bullseye)"',
        'PRETTY_NAME="Devuan GNU/Linux 4 (chimaera)"',
        'PRETTY_NAME="Devuan GNU/Linux ceres"',
        'VERSION_ID="4"',
        'PRETTY_NAME="Linux Mint 21.2"',
        'VERSION_ID="21.2"',
        'VERSION_ID=""',
        'PRETTY_NAME="Ubuntu 22.04.3 LTS"',
        'NAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian',
      ),
    ),
    { maxLength: 12 },
  ),
  '',
);
const debianVersionText = fc.option(
  joined(
    fc.array(pick('12.4', '11.7', '10', 'bookworm/sid', 'trixie/sid', ' 3.2 ', '1.2.3', 'x.y', '', '\t', '007.08'), { maxLength: 4 }),
    '\n',
  ),
  { nil: undefined },
);

const CPU_READ_KEYS = [
  'model name',
  'Processor',
  'vendor_id',
  'cpu',
  'Vendor',
  'processor',
  'physical id',
  'core id',
  'cpu cores',
  'siblings',
];
const cpuValue = pick(
  '0',
  '1',
  '2',
  '3',
  '4',
  '8',
  '16',
  '',
  'x',
  '-1',
  '0x2',
  ' 2 ',
  'GenuineIntel',
  'Intel(R) Xeon(R): 2.2GHz',
  'POWER9',
);
const cpuLine = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(pick(...CPU_READ_KEYS), pick(':', '\t: ', ' : ', ':  '), cpuValue).map(([k, s, v]) => `${k}${s}${v}`) },
  {
    weight: 1,
    arbitrary: fc.tuple(pick('# processors', 'ncpus active', 'flags', 'bogomips'), pick(': ', '\t: '), cpuValue).map((t) => t.join('')),
  },
  { weight: 1, arbitrary: pick('', 'processor', ' model name ', 'no colon here', ':', ': 3', '  physical id  :  1  ') },
);
/** A machine's /proc/cpuinfo as the kernel prints it: one block per logical CPU. */
const cpuBlocks = fc
  .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 4 }), fc.boolean())
  .map(([n, sockets, cores, x86]) =>
    Array.from({ length: n }, (_, i) => {
      const socket = i % sockets;
      const lines = x86
        ? [`processor\t: ${i}`, 'vendor_id\t: GenuineIntel', 'model name\t: Intel(R) Xeon(R) CPU', `physical id\t: ${socket}`]
        : [`processor\t: ${i}`, 'model name\t: ARMv8 Processor rev 0 (v8l)'];
      if (x86) lines.push(`siblings\t: ${cores * 2}`, `core id\t\t: ${i % cores}`, `cpu cores\t: ${cores}`);
      return `${lines.join('\n')}\n`;
    }).join('\n'),
  );
const cpuinfoText = fc.oneof(joined(fc.array(cpuLine, { maxLength: 24 }), '\n'), cpuBlocks);
const cpuArgs = fc.tuple(
  cpuinfoText,
  pick('', 'paravirt', 'hvm'),
  pick('', '4', '2\n', ' 8 ', 'x', '\n'),
  pick('x86_64', 'i686', 's390x', 'armv7l', 'aarch64', 'ppc64le', 'sparc64', ''),
);

const DEVICES = ['lo', 'eth0', 'eth1', 'br0', 'bond0', 'host0'];
const V4 = ['10.0.0.2', '10.0.0.3', '127.0.0.1', '198.18.0.5', '192.168.1.9'];
const V6 = ['::1', 'fe80::1', '2001:db8::5', 'fd00::2'];
const inetLine = fc
  .tuple(
    pick(...DEVICES, 'eth0@if5', 'veth1@eth0'),
    pick(...V4),
    pick('/24', '/32', '/8', '/0', '/16', '', '/'),
    pick(' brd 10.0.0.255', ' brd +', '', ' peer 10.0.0.9/32'),
    pick(' scope global', ' scope host', ' scope link', ''),
    pick('', ' secondary', ' dynamic', ' secondary noprefixroute', ' dynamic noprefixroute'),
    pick('', ':1', ':2', '!other'),
  )
  .map(([dev, a, p, brd, scope, flags, label]) => {
    const base = dev.replace(/@.*$/, '');
    const name = label === '!other' ? 'eth9' : `${base}${label}`;
    return `1: ${dev}    inet ${a}${p}${brd}${scope}${flags} ${name}\\       valid_lft forever preferred_lft forever`;
  });
const inet6Line = fc
  .tuple(
    pick(...DEVICES, 'eth0@if5'),
    pick(...V6),
    pick('/64', '/128', ''),
    fc.boolean(),
    pick(' scope link', ' scope global', ' scope host', ''),
    pick('', ' secondary', ' dynamic mngtmpaddr'),
  )
  .map(([dev, a, p, peer, scope, flags]) =>
    peer
      ? `2: ${dev}    inet6 ${a} peer fd00::9${p}${scope}${flags} \\       valid_lft forever preferred_lft forever`
      : `2: ${dev}    inet6 ${a}${p}${scope}${flags} \\       valid_lft forever preferred_lft forever`,
  );
/** Rare shapes the kernel does not print, kept so that the two parsers are held to the same on them too. */
const oddAddrLine = pick(
  '3: eth0    inet',
  '3: eth0    \\ inet 10.0.0.2/24',
  '3: eth0    inet 10.0.0.2/33 eth0',
  '3: eth0    inet fe80::1/64 eth0',
  'eth0 inet 10.0.0.2/24',
  '3: eth0    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff',
  '3: eth0    inet 10.0.0.2/24 eth0',
  '3: eth0    inet 10.0.0.2/24 br0',
  '3: br0    inet 10.0.0.3/24 secondary eth0',
  '3: eth0    inet6',
);
const addrLine = fc.oneof({ weight: 6, arbitrary: inetLine }, { weight: 4, arbitrary: inet6Line }, { weight: 1, arbitrary: oddAddrLine });
const sysfsLine = fc.oneof(
  pick('address=52:54:00:12:34:56', 'address=00:00:00:00:00:00', 'address=', 'address=aa:bb:cc:dd:ee:ff'),
  pick('mtu=1500', 'mtu=65536', 'mtu=x', 'mtu='),
  pick('operstate=up', 'operstate=down', 'operstate=unknown', 'operstate=', 'operstate= down '),
  pick('type=1', 'type=772', 'type=32', 'type=512', 'type=65534', 'type=999', 'type='),
  pick('speed=1000', 'speed=-1', 'speed=', 'speed= ', 'speed=x'),
  pick('flags=0x1003', 'flags=0x1103', 'flags=0x100', 'flags=zz', 'flags='),
  pick('module=virtio_net', 'module=e1000', 'pciid=0000:00:03.0', 'pciid=virtio0', 'perm_hwaddr=52:54:00:aa:bb:cc'),
  pick('bridge=1', 'brif=eth0 eth1 ', 'brif=', 'bridge_id=8000.525400123456', 'stp=0', 'stp=1'),
  pick('bonding=1', 'bond_slaves=eth0 eth1', 'bond_slaves=', 'bond_mode=balance-rr 0', 'bond_mode=active-backup 1'),
  pick('bond_miimon=100', 'bond_miimon=', 'bond_lacp_rate=slow 0', 'bond_primary=eth0', 'bond_primary=', 'bond_primary= '),
  pick('bond_all_slaves_active=0', 'bond_all_slaves_active=1'),
);
const ethtoolK = joined(
  fc.array(
    pick('Features for eth0:', 'rx-checksumming: on', 'tx-checksumming: off [fixed]', '\tscatter-gather: on', 'a-b-c: x: y', 'noval: ', ''),
    {
      maxLength: 6,
    },
  ),
  '\n',
);
const ethtoolT = joined(
  fc.array(
    pick(
      'Time stamping parameters for eth0:',
      'Capabilities:',
      '\tsoftware-transmit     (SOF_TIMESTAMPING_TX_SOFTWARE)',
      '\tsoftware-receive      (SOF_TIMESTAMPING_RX_SOFTWARE)',
      'PTP Hardware Clock: none',
      'PTP Hardware Clock: 0',
      'PTP Hardware Clock: 3',
      '\tnone                  (HWTSTAMP_FILTER_NONE)',
      '\tall                   (HWTSTAMP_FILTER_ALL)',
    ),
    { maxLength: 6 },
  ),
  '\n',
);
const interfacePart = fc
  .tuple(pick(...DEVICES, 'eth0:1', 'eth9'), fc.array(sysfsLine, { maxLength: 12 }), fc.option(ethtoolK), fc.option(ethtoolT))
  .map(([dev, kv, k, t]) =>
    [`::if/${dev}`, ...kv, ...(k === null ? [] : [`::ethk/${dev}`, k]), ...(t === null ? [] : [`::etht/${dev}`, t])].join('\n'),
  );
const route4 = pick(
  '',
  '8.8.8.8 via 198.18.0.1 dev host0 src 198.18.0.5 uid 0',
  '8.8.8.8 via 10.0.0.1 dev eth0 src 10.0.0.2 uid 0',
  '8.8.8.8 dev eth0 src 10.0.0.3 uid 0',
  '8.8.8.8 via 8.8.8.8 dev eth1 src 192.168.1.9',
  '1.1.1.1 via 10.0.0.1 dev eth0 src 10.0.0.2',
  '8.8.8.8 src 127.0.0.1 dev lo',
);
const route6 = pick(
  '',
  '2404:6800:400a:800::1012 from :: via fe80::1 dev eth0 proto ra src 2001:db8::5 metric 1024 pref medium',
  '2404:6800:400a:800::1012 dev eth0 src fd00::2',
  'unreachable 2404:6800:400a:800::1012 dev lo',
);
const networkText = fc
  .tuple(route4, route6, fc.array(addrLine, { maxLength: 10 }), fc.array(interfacePart, { maxLength: 6 }), fc.nat(20))
  .map(([r4, r6, addrs, ifaces, oneIn21]) =>
    [`::route4\n${r4}`, `::route6\n${r6}`, ...(oneIn21 > 0 ? ['::addrs', ...addrs] : []), ...ifaces].join('\n'),
  );

describe('the rewritten fact parsers give what the former ones gave', () => {
  it.each(recorded)('on the recorded gathering $name', ({ stdout, args }) => {
    const parts = sections(stdout);
    const facts = parseHostFacts(stdout, args);
    let compared = 0;
    const distribution = parts.get('distribution');
    if (distribution !== undefined) {
      const p = subParts(distribution);
      const data = (p.get('os_release') ?? '').replace(/^['"\\]+|['"\\]+$/g, '');
      expect(parseDebianFile(data, p.get('debian_version'))).toEqual(oldParseDebianFile(data, p.get('debian_version')));
      expect(JSON.stringify(parseDebianFile(data, p.get('debian_version')))).toBe(
        JSON.stringify(oldParseDebianFile(data, p.get('debian_version'))),
      );
      expect(parseDebianFile(data, p.get('debian_version'))).toBeDefined();
      compared++;
    }
    const hardware = parts.get('hardware');
    if (hardware !== undefined) {
      const p = subParts(hardware);
      const argsOf = [p.get('cpuinfo') ?? '', p.get('xen')?.trim() ?? '', p.get('nproc') ?? '', String(facts.architecture)] as const;
      expect(isDeepStrictEqual(cpuFacts(...argsOf), oldCpuFacts(...argsOf))).toBe(true);
      expect(JSON.stringify(cpuFacts(...argsOf)), 'the same keys in the same order').toBe(JSON.stringify(oldCpuFacts(...argsOf)));
      expect(Number(cpuFacts(...argsOf).processor_count)).toBeGreaterThan(0);
      compared++;
    }
    const network = parts.get('network');
    if (network !== undefined) {
      const p = subParts(network);
      expect(isDeepStrictEqual(parseNetwork(p), oldParseNetwork(p))).toBe(true);
      expect(JSON.stringify(parseNetwork(p)), 'the same keys in the same order').toBe(JSON.stringify(oldParseNetwork(p)));
      expect(parseNetwork(p).interfaces).not.toEqual([]);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it(`parseDebianFile on ${RUNS} generated os-release and debian_version texts`, () => {
    fc.assert(
      fc.property(osReleaseText, debianVersionText, (data, version) =>
        same(
          () => parseDebianFile(data, version),
          () => oldParseDebianFile(data, version),
        ),
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it(`cpuFacts on ${RUNS} generated /proc/cpuinfo texts`, { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(cpuArgs, (args) =>
        same(
          () => cpuFacts(...args),
          () => oldCpuFacts(...args),
        ),
      ),
      { numRuns: RUNS, seed: SEED + 1 },
    );
  });

  it(`parseNetwork on ${RUNS} generated ip and sysfs outputs`, { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(networkText, (text) =>
        same(
          () => parseNetwork(subParts(text)),
          () => oldParseNetwork(subParts(text)),
        ),
      ),
      { numRuns: RUNS, seed: SEED + 2 },
    );
  });
});
