// The three fact parsers as they were before their rewrite (src/reads/facts): the reference of
// old-parsers-equivalence.test.ts, which holds the rewrites to the same results. Test-only.
import type { ReadValue } from '../../../src/core/reads.js';
import { must } from '../../../src/errors.js';
import { type Facts, fileContent, keyValues } from '../../../src/reads/facts/collector.js';

/** Ansible's parse_distribution_file_Debian, for the members of Debian's family it names in os-release. */
export function oldParseDebianFile(data: string, debianVersion: string | undefined): Facts | undefined {
  const facts: Facts = {};
  if (data.includes('Debian') || data.includes('Raspbian')) {
    facts.distribution = 'Debian';
    const release = /PRETTY_NAME=[^(]+ \(?([^)]+?)\)/.exec(data);
    if (release?.[1]) facts.distribution_release = release[1];
    for (const line of (fileContent(debianVersion) ?? '').split('\n')) {
      const m = /(\d+)\.(\d+)/.exec(line.trim());
      if (m?.[2]) facts.distribution_minor_version = m[2];
    }
    return facts;
  }
  if (data.includes('Ubuntu')) return { distribution: 'Ubuntu' };
  if (data.includes('Devuan')) {
    facts.distribution = 'Devuan';
    const release = /PRETTY_NAME="?[^("]+ \(?([^) "]+)\)?/.exec(data);
    if (release?.[1]) facts.distribution_release = release[1];
    const version = /VERSION_ID="(.*)"/.exec(data);
    if (version?.[1] !== undefined) {
      facts.distribution_version = version[1];
      facts.distribution_major_version = version[1];
    }
    return facts;
  }
  if (data.includes('Mint')) {
    facts.distribution = 'Linux Mint';
    const version = /VERSION_ID="(.*)"/.exec(data);
    if (version?.[1] !== undefined) {
      facts.distribution_version = version[1];
      facts.distribution_major_version = version[1].split('.')[0] ?? '';
    }
    return facts;
  }
  return undefined;
}

/** Ansible's get_cpu_facts, line for line in what it counts. */
export function oldCpuFacts(cpuinfo: string, xen: string, nproc: string, architecture: string): Facts {
  const processor: string[] = [];
  let i = 0;
  let vendorIds = 0;
  let modelNames = 0;
  let processors = 0;
  let physid = '0';
  let coreid = '0';
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  let declaredCores: number | undefined;
  for (const line of cpuinfo.split('\n')) {
    if (!line) continue;
    const colon = line.indexOf(':');
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    const val = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val);
      if (key === 'vendor_id') vendorIds++;
      if (key === 'model name') modelNames++;
      if (key === 'processor') processors++;
      i++;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      // Ansible tests the socket map here, not the core map: kept, it decides the counts.
      if (!sockets.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') sockets.set(physid, Number.parseInt(val, 10));
    else if (key === 'siblings') cores.set(coreid, Number.parseInt(val, 10));
    else if (key === '# processors') declaredCores = Number.parseInt(val, 10);
    else if (key === 'ncpus active') i = Number.parseInt(val, 10);
  }
  if (vendorIds > 0 && vendorIds === modelNames) i = vendorIds;
  if (/^(armv|aarch|ppc)/.test(architecture)) i = processors;
  const facts: Facts = { processor };
  if (declaredCores !== undefined) facts.processor_cores = declaredCores;
  if (architecture === 's390x') return facts;
  if (xen === 'paravirt') return { ...facts, processor_count: i, processor_cores: i, processor_threads_per_core: 1, processor_vcpus: i };
  const count = sockets.size > 0 ? sockets.size : i;
  const firstSocket = [...sockets.values()][0];
  const perSocket = firstSocket ? firstSocket : 1;
  const firstCore = [...cores.values()][0];
  const threads = firstCore !== undefined ? Math.floor(firstCore / perSocket) : Math.floor(1 / perSocket);
  const n = Number.parseInt(nproc.trim(), 10);
  return {
    ...facts,
    processor_count: count,
    processor_cores: perSocket,
    processor_threads_per_core: threads,
    processor_vcpus: threads * count * perSocket,
    processor_nproc: Number.isNaN(n) ? processors : n,
  };
}

/** The addresses Ansible asks the kernel a route to (a lookup: nothing is sent). */
const ROUTE_V4 = '8.8.8.8';
const ROUTE_V6 = '2404:6800:400a:800::1012';

const INTERFACE_TYPES: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

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

export function oldParseNetwork(parts: Map<string, string>): Facts {
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
