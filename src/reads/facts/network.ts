import type { ReadValue } from '../../core/reads.js';
import { type FactCollector, type Facts, fileContent, keyValues, subParts } from './collector.js';

/** The addresses Ansible asks the kernel a route to (a lookup: nothing is sent). */
const ROUTE_V4 = '8.8.8.8';
const ROUTE_V6 = '2404:6800:400a:800::1012';

const INTERFACE_TYPES: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

/**
 * Ansible's Linux network collector: every interface of /sys/class/net in directory order with its
 * sysfs attributes, its addresses as `ip addr` shows them (primary, then secondary), and the
 * default interfaces from the kernel's route to a public address.
 */
export const networkCollector: FactCollector = {
  name: 'network',
  facts: ['interfaces', 'default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses'],
  script: () =>
    [
      'command -v ip >/dev/null 2>&1 || exit 0',
      `echo ::route4; ip -4 route get ${ROUTE_V4} 2>/dev/null | head -n 1`,
      `echo ::route6; ip -6 route get ${ROUTE_V6} 2>/dev/null | head -n 1`,
      'echo ::addrs; ip -o addr show 2>/dev/null',
      'for d in $(ls -U /sys/class/net 2>/dev/null); do p=/sys/class/net/$d; [ -d "$p" ] || continue; echo "::if/$d"',
      '  for f in address mtu operstate type speed flags; do [ -e "$p/$f" ] && echo "$f=$(cat "$p/$f" 2>/dev/null)"; done',
      '  [ -e "$p/device/driver/module" ] && echo "module=$(basename "$(readlink -f "$p/device/driver/module")")"',
      '  [ -e "$p/device" ] && echo "pciid=$(basename "$(readlink "$p/device")")"',
      '  if [ -e "$p/bridge" ]; then echo bridge=1; echo "brif=$(ls "$p/brif" 2>/dev/null | tr "\\n" " ")"; [ -e "$p/bridge/bridge_id" ] && echo "bridge_id=$(cat "$p/bridge/bridge_id")"; [ -e "$p/bridge/stp_state" ] && echo "stp=$(cat "$p/bridge/stp_state")"; fi',
      '  if [ -e "$p/bonding" ]; then echo bonding=1; for f in slaves mode miimon lacp_rate primary all_slaves_active; do echo "bond_$f=$(cat "$p/bonding/$f" 2>/dev/null)"; done; fi',
      '  [ -e "$p/bonding_slave" ] && echo "perm_hwaddr=$(cat "$p/bonding_slave/perm_hwaddr" 2>/dev/null)"',
      '  if command -v ethtool >/dev/null 2>&1; then',
      '    if o=$(ethtool -k "$d" 2>/dev/null); then echo "::ethk/$d"; printf "%s\\n" "$o"; fi',
      '    if o=$(ethtool -T "$d" 2>/dev/null); then echo "::etht/$d"; printf "%s\\n" "$o"; fi',
      '  fi',
      'done',
    ].join('\n'),
  parse: (text) => parseNetwork(subParts(text)),
};

type Iface = { [k: string]: ReadValue };

function defaultRoute(line: string | undefined, target: string): Record<string, string> {
  const words = (line ?? '').split('\n')[0]?.trim().split(/\s+/) ?? [];
  const route: Record<string, string> = {};
  if (words[0] !== target) return route;
  for (let i = 0; i < words.length - 1; i++) {
    const next = words[i + 1] ?? '';
    if (words[i] === 'dev') route.interface = next;
    else if (words[i] === 'src') route.address = next;
    else if (words[i] === 'via' && next !== target) route.gateway = next;
  }
  return route;
}

function ipv4Of(address: string, prefix: string, broadcast: string) {
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const toText = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  const bits = Number(prefix);
  const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  const net = Number((BigInt(toInt(address)) & BigInt(mask)).toString());
  return { address, broadcast, netmask: toText(mask), network: toText(net), prefix };
}

type Ipv4 = ReturnType<typeof ipv4Of>;
type Ipv6 = { address: string; prefix: string; scope: string };
/** An IPv4 address of a device and the name `ip` shows it under: the device's, or a label of its own (eth0:1). */
type Inet = { entry: Ipv4; label: string; secondary: boolean };

/** `inet 10.0.0.2/24 brd 10.0.0.255 scope global eth0`: an address without a prefix is a /32, and has no broadcast. */
function readInet(words: readonly string[], device: string, secondary: boolean): Inet {
  const cidr = words[1] ?? '';
  const [address = '', prefix = '32'] = cidr.includes('/') ? cidr.split('/') : [cidr];
  const broadcast = cidr.includes('/') && words[2] === 'brd' ? (words[3] ?? '') : '';
  return { entry: ipv4Of(address, prefix, broadcast), label: words.at(-1) ?? device, secondary };
}

/** `inet6 fe80::1/64 scope link`; a point-to-point one, `inet6 fd00::1 peer fd00::9/128 scope global`, has its prefix on the peer. */
function readInet6(words: readonly string[]): Ipv6 {
  const [address = '', cidr = '', scope = ''] =
    words[2] === 'peer' ? [words[1], words[3], words[5]] : [words[1]?.split('/')[0], words[1], words[3]];
  return { address, prefix: cidr.split('/')[1] ?? '', scope };
}

/** Each sysfs attribute the script prints and the facts it gives; a later row may override an earlier one's `type`. */
const ATTRIBUTE_FACTS: readonly (readonly [attribute: string, facts: (value: string, kv: Map<string, string>) => Iface])[] = [
  // An all-zero address (lo, tunnels) is no MAC address.
  ['address', (mac): Iface => (mac && mac !== '00:00:00:00:00:00' ? { macaddress: mac } : {})],
  ['mtu', (mtu) => ({ mtu: Number.parseInt(mtu, 10) })],
  ['operstate', (state) => ({ active: fileContent(state) !== 'down' })],
  ['module', (module) => ({ module })],
  ['type', (type) => ({ type: INTERFACE_TYPES[type] ?? 'unknown' })],
  ['bridge', (_, kv) => bridgeFacts(kv)],
  ['bonding', (_, kv) => bondFacts(kv)],
  ['perm_hwaddr', (mac) => ({ perm_macaddress: mac })],
  ['pciid', (pciid) => ({ pciid })],
  ['speed', (speed): Iface => optional('speed', fileContent(speed), (v) => Number.parseInt(v, 10))],
  // IFF_PROMISC in the interface's flags.
  ['flags', (flags) => ({ promisc: (Number.parseInt(flags, 16) & 0x100) > 0 })],
];

/** `{ [fact]: convert(value) }` for a value there, nothing for none. */
function optional(fact: string, value: string | undefined, convert: (value: string) => ReadValue): Iface {
  return value === undefined ? {} : { [fact]: convert(value) };
}

function bridgeFacts(kv: Map<string, string>): Iface {
  return {
    type: 'bridge',
    interfaces: (kv.get('brif') ?? '').split(' ').filter(Boolean),
    ...optional('id', kv.get('bridge_id'), (id) => id),
    ...optional('stp', kv.get('stp'), (stp) => stp === '1'),
  };
}

/** The bonding driver prints `balance-rr 0`: the name is the first word. all_slaves_active is said only with a primary. */
function bondFacts(kv: Map<string, string>): Iface {
  const firstWord = (name: string) => (kv.get(`bond_${name}`) ?? '').split(/\s+/)[0] ?? '';
  const primary = fileContent(kv.get('bond_primary'));
  return {
    type: 'bonding',
    slaves: (kv.get('bond_slaves') ?? '').split(/\s+/).filter(Boolean),
    mode: firstWord('mode'),
    miimon: firstWord('miimon'),
    lacp_rate: firstWord('lacp_rate'),
    ...(primary ? { primary, ...optional('all_slaves_active', kv.get('bond_all_slaves_active'), (a) => a === '1') } : {}),
  };
}

/** An address line of a device, read. */
type Address = { inet: Inet } | { inet6: Ipv6 };

/** One interface of /sys/class/net: its own facts, its addresses, and the MAC address a default route through it reports. */
type DeviceReading = { device: string; facts: Iface; mac: string; inets: Inet[]; inet6s: Ipv6[] };

/** A device's sysfs facts, each attribute printed giving its row's facts, in the table's order. */
function sysfsFacts(device: string, kv: Map<string, string>): Iface {
  const facts: Iface = { device };
  for (const [attribute, read] of ATTRIBUTE_FACTS) {
    const value = kv.get(attribute);
    if (value !== undefined) Object.assign(facts, read(value, kv));
  }
  return facts;
}

/**
 * The interfaces in the order /sys/class/net lists them, each with its address lines in the order
 * Ansible reads them (`ip addr show primary`, then `secondary`). A device without an address
 * attribute reports, on a default route, the MAC address of the last device before it that had
 * one: kept from Ansible.
 */
function readDevices(parts: Map<string, string>): DeviceReading[] {
  const lines = addressLines(parts.get('addrs') ?? '');
  const readings: DeviceReading[] = [];
  for (const [name, body] of parts) {
    if (!name.startsWith('if/')) continue;
    const device = name.slice(3);
    const kv = keyValues(body);
    const own = lines.filter((l) => l.device === device);
    const ordered = [...own.filter((l) => !l.secondary), ...own.filter((l) => l.secondary)];
    const addresses = ordered.flatMap((l): Address[] => {
      if (l.words[0] === 'inet') return [{ inet: readInet(l.words, device, l.secondary) }];
      return l.words[0] === 'inet6' ? [{ inet6: readInet6(l.words) }] : [];
    });
    const inets = addresses.flatMap((a) => ('inet' in a ? [a.inet] : []));
    const inet6s = addresses.flatMap((a) => ('inet6' in a ? [a.inet6] : []));
    const facts = {
      ...sysfsFacts(device, kv),
      ...deviceAddresses(device, addresses),
      ...ethtoolData(parts.get(`ethk/${device}`), parts.get(`etht/${device}`)),
    };
    readings.push({ device, facts, mac: kv.get('address') ?? readings.at(-1)?.mac ?? '', inets, inet6s });
  }
  return readings;
}

/**
 * A device's own address facts, keys in the order its lines first give them: its first primary
 * address shown under its name is `ipv4`; every other one under its name, and every secondary one
 * under a label, is in `ipv4_secondaries`; every IPv6 one is in `ipv6`.
 */
function deviceAddresses(device: string, addresses: readonly Address[]): Iface {
  const primary = addresses.find((a) => 'inet' in a && a.inet.label === device && !a.inet.secondary);
  const facts: { ipv4?: Ipv4; ipv4_secondaries?: Ipv4[]; ipv6?: Ipv6[] } = {};
  for (const address of addresses) {
    if ('inet6' in address) facts.ipv6 = [...(facts.ipv6 ?? []), address.inet6];
    else if (address === primary) facts.ipv4 = address.inet.entry;
    else if (address.inet.label === device || address.inet.secondary)
      facts.ipv4_secondaries = [...(facts.ipv4_secondaries ?? []), { ...address.inet.entry }];
  }
  return facts;
}

/**
 * Interfaces by name, devices and labels in the order first seen. A label is an interface of its own
 * holding only the last address shown under it (Ansible starts it afresh at each line), and a label
 * named like a device listed before it takes that device's place.
 */
function interfaceTable(devices: readonly DeviceReading[]): Map<string, Iface> {
  const table = new Map<string, Iface>();
  for (const { device, facts, inets } of devices) {
    table.set(device, facts);
    for (const { label, entry, secondary } of inets) {
      if (label !== device) table.set(label, secondary ? { ipv4_secondaries: [{ ...entry }] } : { ipv4: entry });
    }
  }
  return table;
}

/** The default route's interface facts: the last address listed that is its source, with its device's. */
function defaultIpv4(route: Record<string, string>, devices: readonly DeviceReading[]): Iface {
  const found = devices.flatMap((d) => d.inets.map((inet) => ({ d, inet }))).filter(({ inet }) => inet.entry.address === route.address);
  const last = found.at(-1);
  if (!last) return route;
  const { entry, label } = last.inet;
  const { broadcast, netmask, network, prefix } = entry;
  return { ...route, broadcast, netmask, network, prefix, ...linkOf(last.d), alias: label };
}

function defaultIpv6(route: Record<string, string>, devices: readonly DeviceReading[]): Iface {
  const found = devices.flatMap((d) => d.inet6s.map((inet6) => ({ d, inet6 }))).filter(({ inet6 }) => inet6.address === route.address);
  const last = found.at(-1);
  return last ? { ...route, prefix: last.inet6.prefix, scope: last.inet6.scope, ...linkOf(last.d) } : route;
}

/** What a default route reports of its device's link; mtu is there, undefined, when sysfs had none. */
function linkOf({ facts, mac }: DeviceReading): Iface {
  return { macaddress: mac, mtu: facts.mtu, type: facts.type ?? 'unknown' } as Iface;
}

/**
 * Network facts from the script's output: `ansible_<name>` for every interface and label
 * (`eth0:1` as `eth0_1`), `interfaces` naming them, the default interfaces and every address
 * except loopback's. Nothing without `ip`.
 */
export function parseNetwork(parts: Map<string, string>): Facts {
  if (!parts.has('addrs')) return {};
  const devices = readDevices(parts);
  const table = [...interfaceTable(devices)].map(([name, data]) => [name.replace(/:/g, '_'), data] as const);
  return {
    interfaces: table.map(([name]) => name),
    ...Object.fromEntries(table),
    default_ipv4: defaultIpv4(defaultRoute(parts.get('route4'), ROUTE_V4), devices),
    default_ipv6: defaultIpv6(defaultRoute(parts.get('route6'), ROUTE_V6), devices),
    all_ipv4_addresses: devices.flatMap((d) => d.inets.map((i) => i.entry.address)).filter((a) => !a.startsWith('127.')),
    all_ipv6_addresses: devices.flatMap((d) => d.inet6s.map((i) => i.address)).filter((a) => a !== '::1'),
  };
}

/** `ip -o addr show` lines: the device (without its @peer), the secondary flag, and the words Ansible splits. */
function addressLines(text: string): { device: string; secondary: boolean; words: string[] }[] {
  const out: { device: string; secondary: boolean; words: string[] }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+(.*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined) continue;
    const words = (m[2].split('\\')[0] ?? '').trim().split(/\s+/);
    out.push({ device: m[1].replace(/@.*$/, ''), secondary: words.includes('secondary'), words });
  }
  return out;
}

function ethtoolData(features: string | undefined, timestamping: string | undefined): Iface {
  const data: Iface = {};
  if (features !== undefined) {
    const f: Record<string, string> = {};
    for (const line of features.trim().split('\n')) {
      if (!line || line.endsWith(':')) continue;
      const [key = '', value = ''] = line.split(': ');
      if (!value) continue;
      f[key.trim().replace(/-/g, '_')] = value.trim();
    }
    data.features = f;
  }
  if (timestamping !== undefined) {
    data.timestamping = [...timestamping.matchAll(/SOF_TIMESTAMPING_(\w+)/g)].map((m) => (m[1] ?? '').toLowerCase());
    data.hw_timestamp_filters = [...timestamping.matchAll(/HWTSTAMP_FILTER_(\w+)/g)].map((m) => (m[1] ?? '').toLowerCase());
    const phc = /PTP Hardware Clock: (\d+)/.exec(timestamping);
    if (phc?.[1]) data.phc_index = Number(phc[1]);
  }
  return data;
}
