import { defineRead } from '../core/reads.js';

export type HostFacts = {
  distribution: string;
  distribution_version: string;
  distribution_major_version: string;
  distribution_release: string;
  os_pretty_name: string;
  architecture: string;
  kernel: string;
  hostname: string;
  processor_nproc: number;
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
      'ip -o -4 addr show 2>/dev/null | while read -r _ dev _ cidr _; do echo "addr=$dev $cidr"; done',
      'ip -4 route show default 2>/dev/null | head -n 1 | { read -r _ _ gw _ dev _; echo "route=$dev $gw"; }',
    ].join('\n'),
  parse: ({ stdout }) => parseHostFacts(stdout),
});

function parseHostFacts(stdout: string): HostFacts {
  const kv = new Map<string, string>();
  const addrs: [string, string][] = [];
  let route: string[] = [];
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'addr') addrs.push(value.split(' ') as [string, string]);
    else if (key === 'route') route = value.split(' ');
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
  return {
    distribution: id ? id.charAt(0).toUpperCase() + id.slice(1) : '',
    distribution_version: version,
    distribution_major_version: version.split('.')[0] ?? '',
    distribution_release: kv.get('codename') ?? '',
    os_pretty_name: kv.get('pretty') ?? '',
    architecture: kv.get('arch') ?? '',
    kernel: kv.get('kernel') ?? '',
    hostname: kv.get('hostname') ?? '',
    processor_nproc: Number(kv.get('nproc') ?? 1),
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
