import { describe, expect, it } from 'vitest';
import { type Facts, subParts } from '../../../src/reads/facts/collector.js';
import { parseDebianFile } from '../../../src/reads/facts/distribution.js';
import { cpuFacts } from '../../../src/reads/facts/hardware.js';
import { parseNetwork } from '../../../src/reads/facts/network.js';

// parseDebianFile, cpuFacts and parseNetwork were rewritten from a statement-by-statement port
// into provision's own shape. The values here are what the former versions gave for the same
// inputs: the two agreed, keys in the same order, on every recorded gathering and on 3 x 100,000
// generated outputs per parser (old-parsers-equivalence.test.ts, removed after the rewrite: see
// `git log -- test/unit/facts/old-parsers.ts`), including the quirks kept from Ansible.
// facts-compare.test.ts holds all three to Ansible's own output on a lab host.

/** Equal, and with the keys in the same order (what a printed fact shows). */
function expectSame(actual: Facts | undefined, expected: Facts | null) {
  expect(actual ?? null).toStrictEqual(expected);
  expect(JSON.stringify(actual ?? null)).toBe(JSON.stringify(expected));
}

const DEB: [string, string, string | undefined][] = [
  [
    'Debian 12 and its point release',
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian',
    '12.4',
  ],
  [
    'testing: no codename in parentheses, no point release',
    'PRETTY_NAME="Debian GNU/Linux trixie/sid"\nNAME="Debian GNU/Linux"\nID=debian',
    'trixie/sid',
  ],
  ['Raspbian is Debian', 'PRETTY_NAME="Raspbian GNU/Linux 11 (bullseye)"\nNAME="Raspbian GNU/Linux"\nVERSION_ID="11"', undefined],
  ['Ubuntu gives its name only', 'PRETTY_NAME="Ubuntu 22.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"', undefined],
  [
    'Devuan: a bare codename, the version whole',
    'PRETTY_NAME="Devuan GNU/Linux ceres"\nNAME="Devuan GNU/Linux"\nVERSION_ID="5.1"',
    undefined,
  ],
  ['Linux Mint: the major version up to the dot', 'PRETTY_NAME="Linux Mint 21.2"\nNAME="Linux Mint"\nVERSION_ID="21.2"', undefined],
  ['another family', 'PRETTY_NAME="Fedora Linux 39"\nNAME="Fedora Linux"\nVERSION_ID=39', undefined],
];
const x86 = (i: number, socket: number, core: number) =>
  `processor\t: ${i}\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU\nphysical id\t: ${socket}\nsiblings\t: 4\ncore id\t\t: ${core}\ncpu cores\t: 2\n`;
const CPU: [string, string, string, string, string][] = [
  ['x86: one socket, two cores, two threads each', [0, 1, 2, 3].map((i) => x86(i, 0, i % 2)).join('\n'), '', '4\n', 'x86_64'],
  ['x86 without nproc: the processor lines', [0, 1].map((i) => x86(i, 0, i)).join('\n'), '', '', 'x86_64'],
  [
    'aarch64: processor lines, no topology',
    'processor\t: 0\nmodel name\t: ARMv8 Processor\n\nprocessor\t: 1\nmodel name\t: ARMv8 Processor\n',
    '',
    '2',
    'aarch64',
  ],
  ['s390x: the number it states', 'vendor_id       : IBM/S390\n# processors    : 4\nprocessor 0: version = FF', '', '4', 's390x'],
  ['a Xen paravirt guest', [0, 1].map((i) => x86(i, 0, i)).join('\n'), 'paravirt', '2', 'x86_64'],
  [
    'a core id seen again starts afresh at one thread',
    'physical id\t: 0\ncore id\t: 3\nsiblings\t: 4\ncpu cores\t: 2\ncore id\t: 3',
    '',
    '1',
    'x86_64',
  ],
  [
    'unless a socket has that id (as in Ansible)',
    'physical id\t: 0\ncore id\t: 0\nsiblings\t: 4\ncpu cores\t: 2\ncore id\t: 0',
    '',
    '1',
    'x86_64',
  ],
];
const NET: [string, string][] = [
  [
    'a label, a secondary address, a bond, an IPv6 peer',
    [
      '::route4',
      '8.8.8.8 via 10.0.0.1 dev bond0 src 10.0.0.9 uid 0',
      '::route6',
      '2404:6800:400a:800::1012 from :: via fe80::1 dev bond0 src fd00::1 metric 1024 pref medium',
      '::addrs',
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever',
      '3: bond0    inet 10.0.0.2/24 brd 10.0.0.255 scope global bond0\\       valid_lft forever preferred_lft forever',
      '3: bond0    inet 10.0.0.3/24 brd 10.0.0.255 scope global secondary bond0\\       valid_lft forever preferred_lft forever',
      '3: bond0    inet 10.0.0.9/24 brd 10.0.0.255 scope global secondary bond0:1\\       valid_lft forever preferred_lft forever',
      '3: bond0    inet6 fd00::1 peer fd00::9/128 scope global \\       valid_lft forever preferred_lft forever',
      '::if/lo',
      'address=00:00:00:00:00:00',
      'mtu=65536',
      'operstate=unknown',
      'type=772',
      'flags=0x9',
      '::if/bond0',
      'address=52:54:00:12:34:56',
      'mtu=1500',
      'operstate=up',
      'type=1',
      'flags=0x1503',
      'speed=-1',
      'bonding=1',
      'bond_slaves=eth0 eth1',
      'bond_mode=active-backup 1',
      'bond_miimon=100',
      'bond_lacp_rate=slow 0',
      'bond_primary=eth0',
      'bond_all_slaves_active=0',
    ].join('\n'),
  ],
  [
    'a bridge; a device without an address attribute reports the MAC before it on the default route',
    [
      '::route4',
      '8.8.8.8 dev br0 src 192.168.1.9 uid 0',
      '::route6',
      '',
      '::addrs',
      '4: br0    inet 192.168.1.9/24 brd 192.168.1.255 scope global br0\\       valid_lft forever preferred_lft forever',
      '::if/eth0',
      'address=52:54:00:aa:bb:cc',
      'mtu=1500',
      'operstate=up',
      'type=1',
      'module=virtio_net',
      'pciid=virtio0',
      '::ethk/eth0',
      'Features for eth0:',
      'rx-checksumming: on [fixed]',
      'tx-checksumming: off',
      '::if/br0',
      'mtu=1500',
      'operstate=down',
      'bridge=1',
      'brif=eth0 ',
      'bridge_id=8000.525400aabbcc',
      'stp=0',
    ].join('\n'),
  ],
  ['no ip on the host: nothing', '::route4\n::route6'],
];

const DEB_EXPECTED: (Facts | null)[] = [
  { distribution: 'Debian', distribution_release: 'bookworm', distribution_minor_version: '4' },
  { distribution: 'Debian' },
  { distribution: 'Debian', distribution_release: 'bullseye' },
  { distribution: 'Ubuntu' },
  { distribution: 'Devuan', distribution_release: 'ceres', distribution_version: '5.1', distribution_major_version: '5.1' },
  { distribution: 'Linux Mint', distribution_version: '21.2', distribution_major_version: '21' },
  null,
];
const CPU_EXPECTED: Facts[] = [
  {
    processor: [
      '0',
      'GenuineIntel',
      'Intel(R) Xeon(R) CPU',
      '1',
      'GenuineIntel',
      'Intel(R) Xeon(R) CPU',
      '2',
      'GenuineIntel',
      'Intel(R) Xeon(R) CPU',
      '3',
      'GenuineIntel',
      'Intel(R) Xeon(R) CPU',
    ],
    processor_count: 1,
    processor_cores: 2,
    processor_threads_per_core: 2,
    processor_vcpus: 4,
    processor_nproc: 4,
  },
  {
    processor: ['0', 'GenuineIntel', 'Intel(R) Xeon(R) CPU', '1', 'GenuineIntel', 'Intel(R) Xeon(R) CPU'],
    processor_count: 1,
    processor_cores: 2,
    processor_threads_per_core: 2,
    processor_vcpus: 4,
    processor_nproc: 2,
  },
  {
    processor: ['0', 'ARMv8 Processor', '1', 'ARMv8 Processor'],
    processor_count: 2,
    processor_cores: 1,
    processor_threads_per_core: 1,
    processor_vcpus: 2,
    processor_nproc: 2,
  },
  { processor: ['IBM/S390'], processor_cores: 4 },
  {
    processor: ['0', 'GenuineIntel', 'Intel(R) Xeon(R) CPU', '1', 'GenuineIntel', 'Intel(R) Xeon(R) CPU'],
    processor_count: 2,
    processor_cores: 2,
    processor_threads_per_core: 1,
    processor_vcpus: 2,
  },
  { processor: [], processor_count: 1, processor_cores: 2, processor_threads_per_core: 0, processor_vcpus: 0, processor_nproc: 1 },
  { processor: [], processor_count: 1, processor_cores: 2, processor_threads_per_core: 2, processor_vcpus: 4, processor_nproc: 1 },
];
const NET_EXPECTED: Facts[] = [
  {
    interfaces: ['lo', 'bond0', 'bond0_1'],
    lo: {
      device: 'lo',
      mtu: 65536,
      active: true,
      type: 'loopback',
      promisc: false,
      ipv4: { address: '127.0.0.1', broadcast: '', netmask: '255.0.0.0', network: '127.0.0.0', prefix: '8' },
      ipv6: [{ address: '::1', prefix: '128', scope: 'host' }],
    },
    bond0: {
      device: 'bond0',
      macaddress: '52:54:00:12:34:56',
      mtu: 1500,
      active: true,
      type: 'bonding',
      slaves: ['eth0', 'eth1'],
      mode: 'active-backup',
      miimon: '100',
      lacp_rate: 'slow',
      primary: 'eth0',
      all_slaves_active: false,
      speed: -1,
      promisc: true,
      ipv4: { address: '10.0.0.2', broadcast: '10.0.0.255', netmask: '255.255.255.0', network: '10.0.0.0', prefix: '24' },
      ipv6: [{ address: 'fd00::1', prefix: '128', scope: 'global' }],
      ipv4_secondaries: [
        { address: '10.0.0.3', broadcast: '10.0.0.255', netmask: '255.255.255.0', network: '10.0.0.0', prefix: '24' },
        { address: '10.0.0.9', broadcast: '10.0.0.255', netmask: '255.255.255.0', network: '10.0.0.0', prefix: '24' },
      ],
    },
    bond0_1: {
      ipv4_secondaries: [{ address: '10.0.0.9', broadcast: '10.0.0.255', netmask: '255.255.255.0', network: '10.0.0.0', prefix: '24' }],
    },
    default_ipv4: {
      gateway: '10.0.0.1',
      interface: 'bond0',
      address: '10.0.0.9',
      broadcast: '10.0.0.255',
      netmask: '255.255.255.0',
      network: '10.0.0.0',
      prefix: '24',
      macaddress: '52:54:00:12:34:56',
      mtu: 1500,
      type: 'bonding',
      alias: 'bond0:1',
    },
    default_ipv6: {
      gateway: 'fe80::1',
      interface: 'bond0',
      address: 'fd00::1',
      prefix: '128',
      scope: 'global',
      macaddress: '52:54:00:12:34:56',
      mtu: 1500,
      type: 'bonding',
    },
    all_ipv4_addresses: ['10.0.0.2', '10.0.0.3', '10.0.0.9'],
    all_ipv6_addresses: ['fd00::1'],
  },
  {
    interfaces: ['eth0', 'br0'],
    eth0: {
      device: 'eth0',
      macaddress: '52:54:00:aa:bb:cc',
      mtu: 1500,
      active: true,
      module: 'virtio_net',
      type: 'ether',
      pciid: 'virtio0',
      features: { rx_checksumming: 'on [fixed]', tx_checksumming: 'off' },
    },
    br0: {
      device: 'br0',
      mtu: 1500,
      active: false,
      type: 'bridge',
      interfaces: ['eth0'],
      id: '8000.525400aabbcc',
      stp: false,
      ipv4: { address: '192.168.1.9', broadcast: '192.168.1.255', netmask: '255.255.255.0', network: '192.168.1.0', prefix: '24' },
    },
    default_ipv4: {
      interface: 'br0',
      address: '192.168.1.9',
      broadcast: '192.168.1.255',
      netmask: '255.255.255.0',
      network: '192.168.1.0',
      prefix: '24',
      macaddress: '52:54:00:aa:bb:cc',
      mtu: 1500,
      type: 'bridge',
      alias: 'br0',
    },
    default_ipv6: {},
    all_ipv4_addresses: ['192.168.1.9'],
    all_ipv6_addresses: [],
  },
  {},
];

describe('Debian family from os-release (parseDebianFile)', () => {
  it.each(DEB.map((c, i) => [...c, DEB_EXPECTED[i] ?? null] as const))('%s', (_name, osRelease, debianVersion, expected) => {
    expectSame(parseDebianFile(osRelease, debianVersion), expected);
  });
});

describe('processors from /proc/cpuinfo (cpuFacts)', () => {
  it.each(CPU.map((c, i) => [...c, CPU_EXPECTED[i] ?? {}] as const))('%s', (_name, cpuinfo, xen, nproc, architecture, expected) => {
    expectSame(cpuFacts(cpuinfo, xen, nproc, architecture), expected);
  });
});

describe('interfaces and addresses from ip and sysfs (parseNetwork)', () => {
  it.each(NET.map((c, i) => [...c, NET_EXPECTED[i] ?? {}] as const))('%s', (_name, text, expected) => {
    expectSame(parseNetwork(subParts(text)), expected);
  });
});
