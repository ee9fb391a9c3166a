import type { ReadValue } from '../../core/reads.js';
import { must } from '../../errors.js';
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

export function parseNetwork(parts: Map<string, string>): Facts {
  if (!parts.has('addrs')) return {};
  const default4 = defaultRoute(parts.get('route4'), ROUTE_V4);
  const default6 = defaultRoute(parts.get('route6'), ROUTE_V6);
  const all4: string[] = [];
  const all6: string[] = [];
  const interfaces = new Map<string, Iface>();
  const lines = addressLines(parts.get('addrs') ?? '');
  let mac = '';
  for (const [name, body] of parts) {
    if (!name.startsWith('if/')) continue;
    const device = name.slice(3);
    const kv = keyValues(body);
    const dev: Iface = { device };
    interfaces.set(device, dev);
    if (kv.has('address')) {
      mac = kv.get('address') ?? '';
      if (mac && mac !== '00:00:00:00:00:00') dev.macaddress = mac;
    }
    if (kv.has('mtu')) dev.mtu = Number.parseInt(kv.get('mtu') ?? '', 10);
    if (kv.has('operstate')) dev.active = fileContent(kv.get('operstate')) !== 'down';
    if (kv.has('module')) dev.module = kv.get('module') ?? '';
    if (kv.has('type')) dev.type = INTERFACE_TYPES[kv.get('type') ?? ''] ?? 'unknown';
    if (kv.has('bridge')) {
      dev.type = 'bridge';
      dev.interfaces = (kv.get('brif') ?? '').split(' ').filter(Boolean);
      if (kv.has('bridge_id')) dev.id = kv.get('bridge_id') ?? '';
      if (kv.has('stp')) dev.stp = kv.get('stp') === '1';
    }
    if (kv.has('bonding')) {
      dev.type = 'bonding';
      dev.slaves = (kv.get('bond_slaves') ?? '').split(/\s+/).filter(Boolean);
      for (const f of ['mode', 'miimon', 'lacp_rate']) dev[f] = (kv.get(`bond_${f}`) ?? '').split(/\s+/)[0] ?? '';
      const primary = fileContent(kv.get('bond_primary'));
      if (primary) {
        dev.primary = primary;
        if (kv.has('bond_all_slaves_active')) dev.all_slaves_active = kv.get('bond_all_slaves_active') === '1';
      }
    }
    if (kv.has('perm_hwaddr')) dev.perm_macaddress = kv.get('perm_hwaddr') ?? '';
    if (kv.has('pciid')) dev.pciid = kv.get('pciid') ?? '';
    const speed = fileContent(kv.get('speed'));
    if (speed !== undefined) dev.speed = Number.parseInt(speed, 10);
    if (kv.has('flags')) dev.promisc = (Number.parseInt(kv.get('flags') ?? '0', 16) & 0x100) > 0;

    const own = lines.filter((l) => l.device === device);
    for (const secondary of [false, true]) {
      for (const { words } of own.filter((l) => l.secondary === secondary)) {
        if (words[0] === 'inet') {
          const [address = '', prefix = '32'] = (words[1] ?? '').includes('/') ? (words[1] ?? '').split('/') : [words[1] ?? '', '32'];
          const entry = ipv4Of(
            address,
            prefix,
            (words[1] ?? '').includes('/') && words.length > 3 && words[2] === 'brd' ? (words[3] ?? '') : '',
          );
          const label = words.at(-1) ?? device;
          if (label !== device) interfaces.set(label, {});
          const target = must(interfaces.get(label), `the interface ${label}`);
          if (!secondary && !('ipv4' in target)) target.ipv4 = entry;
          else target.ipv4_secondaries = [...((target.ipv4_secondaries as ReadValue[] | undefined) ?? []), { ...entry }];
          if (secondary) {
            const own2 = (dev.ipv4_secondaries as ReadValue[] | undefined) ?? [];
            dev.ipv4_secondaries = label !== device ? [...own2, { ...entry }] : own2;
          }
          if (default4.address === address)
            Object.assign(default4, {
              broadcast: entry.broadcast,
              netmask: entry.netmask,
              network: entry.network,
              prefix,
              macaddress: mac,
              mtu: dev.mtu,
              type: dev.type ?? 'unknown',
              alias: label,
            });
          if (!address.startsWith('127.')) all4.push(address);
        } else if (words[0] === 'inet6') {
          const peer = words[2] === 'peer';
          const address = peer ? (words[1] ?? '') : ((words[1] ?? '').split('/')[0] ?? '');
          const prefix = (peer ? (words[3] ?? '') : (words[1] ?? '')).split('/')[1] ?? '';
          const scope = (peer ? words[5] : words[3]) ?? '';
          dev.ipv6 = [...((dev.ipv6 as ReadValue[] | undefined) ?? []), { address, prefix, scope }];
          if (default6.address === address)
            Object.assign(default6, { prefix, scope, macaddress: mac, mtu: dev.mtu, type: dev.type ?? 'unknown' });
          if (address !== '::1') all6.push(address);
        }
      }
    }
    Object.assign(dev, ethtoolData(parts.get(`ethk/${device}`), parts.get(`etht/${device}`)));
  }
  const facts: Facts = {};
  const names: string[] = [];
  for (const [name, data] of interfaces) {
    const key = name.replace(/:/g, '_');
    names.push(key);
    facts[key] = data;
  }
  return {
    interfaces: names,
    ...facts,
    default_ipv4: default4,
    default_ipv6: default6,
    all_ipv4_addresses: all4,
    all_ipv6_addresses: all6,
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
