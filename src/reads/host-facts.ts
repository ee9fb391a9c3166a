import { defineRead } from '../core/reads.js';

/** One mounted file system, in Ansible's shape. */
export type MountFact = {
  mount: string;
  device: string;
  fstype: string;
  options: string;
  size_total: number;
  size_available: number;
  block_size: number;
  block_total: number;
  block_available: number;
  block_used: number;
  inode_total: number;
  inode_available: number;
  inode_used: number;
  uuid: string;
};

export type HostFacts = {
  os_family: string;
  system: string;
  distribution: string;
  distribution_version: string;
  distribution_major_version: string;
  distribution_release: string;
  os_pretty_name: string;
  architecture: string;
  kernel: string;
  hostname: string;
  nodename: string;
  fqdn: string;
  domain: string;
  machine_id: string;
  service_mgr: string;
  pkg_mgr: string;
  selinux: { status: string; mode?: string };
  memtotal_mb: number;
  memfree_mb: number;
  processor_nproc: number;
  processor_vcpus: number;
  processor_count: number;
  processor_cores: number;
  processor_threads_per_core: number;
  mounts: MountFact[];
  interfaces: string[];
  all_ipv4_addresses: string[];
  /** Interface name to its IPv4 addresses with prefixes ("198.18.0.29/22"). */
  ipv4_by_interface: Record<string, string[]>;
  default_ipv4: { interface?: string; address?: string; gateway?: string; prefix?: string };
};

/** Everything facts gathering needs, in one command, one round trip. */
export const hostFacts = defineRead({
  name: 'host_facts',
  command: (_: Record<string, never>) =>
    [
      '. /etc/os-release 2>/dev/null',
      'echo "id=$ID"; echo "version=$VERSION_ID"; echo "codename=$VERSION_CODENAME"; echo "pretty=$PRETTY_NAME"',
      'echo "arch=$(uname -m)"; echo "kernel=$(uname -r)"; echo "hostname=$(cat /proc/sys/kernel/hostname)"',
      'echo "nproc=$(nproc 2>/dev/null || echo 1)"',
      'echo "idlike=$ID_LIKE"; echo "system=$(uname -s)"; echo "fqdn=$(hostname -f 2>/dev/null || cat /proc/sys/kernel/hostname)"',
      'echo "machine_id=$(cat /etc/machine-id 2>/dev/null)"',
      'if [ -d /run/systemd/system ]; then echo svc=systemd; else echo "svc=$(cat /proc/1/comm 2>/dev/null)"; fi',
      'for m in apt-get dnf yum zypper pacman apk; do if command -v $m >/dev/null 2>&1; then echo "pkg=$m"; break; fi; done',
      'if [ -r /sys/fs/selinux/enforce ]; then echo "selinux=$(cat /sys/fs/selinux/enforce)"; fi',
      'awk \'/^MemTotal:/ { print "memtotal=" $2 } /^MemFree:/ { print "memfree=" $2 }\' /proc/meminfo 2>/dev/null',
      'awk -F\': *\' \'/^processor/ { n++ } /^physical id/ { p[$2] = 1 } /^cpu cores/ { c = $2 } END { k = 0; for (i in p) k++; print "cpu=" n " " k " " c }\' /proc/cpuinfo 2>/dev/null',
      // Ansible lists mounts whose device is a path; the sizes are statvfs(3)'s.
      'while read -r dev mnt fs opts _; do case "$dev" in /*) stat -f -c "mount=$dev|$mnt|$fs|$opts|%S|%b|%a|%f|%c|%d" "$mnt" 2>/dev/null;; esac; done < /proc/mounts',
      'ip -o -4 addr show 2>/dev/null | while read -r _ dev _ cidr _; do echo "addr=$dev $cidr"; done',
      'ip -4 route show default 2>/dev/null | head -n 1 | { read -r _ _ gw _ dev _; echo "route=$dev $gw"; }',
    ].join('\n'),
  parse: ({ stdout }) => parseHostFacts(stdout),
  // Free memory, disk use and addresses move by themselves (a VIP moves between nodes): not state a plan can hold.
  stable: ({ memfree_mb: _free, mounts: _mounts, all_ipv4_addresses: _all, ipv4_by_interface: _by, default_ipv4: _def, ...rest }) => rest,
});

function parseHostFacts(stdout: string): HostFacts {
  const kv = new Map<string, string>();
  const addrs: [string, string][] = [];
  const mounts: MountFact[] = [];
  let route: string[] = [];
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'addr') addrs.push(value.split(' ') as [string, string]);
    else if (key === 'route') route = value.split(' ');
    else if (key === 'mount') mounts.push(mountOf(value));
    else kv.set(key, value);
  }
  const byIf: Record<string, string[]> = {};
  for (const [dev, cidr] of addrs) {
    const name = dev.replace(/@.*$/, '');
    byIf[name] = [...(byIf[name] ?? []), cidr];
  }
  const defIf = route[0] || Object.keys(byIf).find((d) => d !== 'lo');
  const defCidr = defIf ? byIf[defIf]?.[0] : undefined;
  const version = kv.get('version') ?? '';
  const id = kv.get('id') ?? '';
  const distribution = DISTRIBUTIONS[id] ?? (id ? id.charAt(0).toUpperCase() + id.slice(1) : '');
  const hostname = kv.get('hostname') ?? '';
  const fqdn = kv.get('fqdn') || hostname;
  const [vcpus = 1, sockets = 0, cores = 0] = (kv.get('cpu') ?? '').split(' ').map((n) => Number(n) || 0);
  const count = sockets || 1;
  const perSocket = cores || 1;
  const enforce = kv.get('selinux');
  return {
    os_family: osFamily(id, distribution, kv.get('idlike') ?? ''),
    system: kv.get('system') ?? '',
    distribution,
    distribution_version: version,
    distribution_major_version: version.split('.')[0] ?? '',
    distribution_release: kv.get('codename') ?? '',
    os_pretty_name: kv.get('pretty') ?? '',
    architecture: kv.get('arch') ?? '',
    kernel: kv.get('kernel') ?? '',
    hostname,
    nodename: hostname,
    fqdn,
    domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    machine_id: kv.get('machine_id') ?? '',
    service_mgr: kv.get('svc') ?? '',
    pkg_mgr: PKG_MGRS[kv.get('pkg') ?? ''] ?? 'unknown',
    selinux: enforce === undefined ? { status: 'disabled' } : { status: 'enabled', mode: enforce === '1' ? 'enforcing' : 'permissive' },
    memtotal_mb: Math.floor(Number(kv.get('memtotal') ?? 0) / 1024),
    memfree_mb: Math.floor(Number(kv.get('memfree') ?? 0) / 1024),
    processor_nproc: Number(kv.get('nproc') ?? 1),
    processor_vcpus: vcpus || 1,
    processor_count: count,
    processor_cores: perSocket,
    processor_threads_per_core: Math.max(1, Math.floor((vcpus || 1) / (count * perSocket))),
    mounts,
    interfaces: Object.keys(byIf),
    all_ipv4_addresses: addrs.filter(([d]) => d !== 'lo').map(([, c]) => c.split('/')[0] ?? ''),
    ipv4_by_interface: byIf,
    default_ipv4: {
      interface: defIf,
      address: defCidr?.split('/')[0],
      prefix: defCidr?.split('/')[1],
      gateway: route[1] || undefined,
    },
  };
}

/** Ansible's names for distributions whose os-release ID it does not simply capitalise. */
const DISTRIBUTIONS: Record<string, string> = {
  rhel: 'RedHat',
  centos: 'CentOS',
  opensuse: 'openSUSE',
  'opensuse-leap': 'openSUSE Leap',
  linuxmint: 'Linux Mint',
  pop: 'Pop!_OS',
};

/** Ansible's os_family: the family a distribution belongs to, from its name or its ID_LIKE. */
function osFamily(id: string, distribution: string, idLike: string): string {
  const like = `${id} ${idLike}`.split(/\s+/);
  if (like.some((l) => ['debian', 'ubuntu', 'raspbian', 'devuan', 'kali'].includes(l))) return 'Debian';
  if (like.some((l) => ['rhel', 'fedora', 'centos'].includes(l))) return 'RedHat';
  if (like.some((l) => l.startsWith('suse') || l.startsWith('opensuse'))) return 'Suse';
  if (like.includes('arch')) return 'Archlinux';
  if (like.includes('alpine')) return 'Alpine';
  return distribution;
}

const PKG_MGRS: Record<string, string> = { 'apt-get': 'apt', dnf: 'dnf', yum: 'yum', zypper: 'zypper', pacman: 'pacman', apk: 'apk' };

function mountOf(line: string): MountFact {
  const [device = '', mount = '', fstype = '', options = '', ...n] = line.split('|');
  const [bsize = 0, blocks = 0, avail = 0, free = 0, inodes = 0, ifree = 0] = n.map(Number);
  // /proc/mounts escapes spaces and tabs in paths as octal.
  const unescapePath = (p: string) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
  return {
    mount: unescapePath(mount),
    device: unescapePath(device),
    fstype,
    options,
    size_total: blocks * bsize,
    size_available: avail * bsize,
    block_size: bsize,
    block_total: blocks,
    block_available: avail,
    block_used: blocks - free,
    inode_total: inodes,
    inode_available: ifree,
    inode_used: inodes - ifree,
    uuid: 'N/A',
  };
}
