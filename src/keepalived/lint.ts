import type { CheckFinding } from '../modules/types.js';
import type { KeepalivedNode } from './model.js';

export type Finding = CheckFinding;

type Rule = (nodes: KeepalivedNode[]) => Finding[];

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A cluster exists because a node names it: never empty. */
type Cluster = [KeepalivedNode, ...KeepalivedNode[]];

function byCluster(nodes: KeepalivedNode[]): Cluster[] {
  const m = new Map<string, Cluster>();
  for (const n of nodes) {
    const c = m.get(n.cluster);
    if (c) c.push(n);
    else m.set(n.cluster, [n]);
  }
  return [...m.values()];
}

/** The most frequent value; on a tie the one seen first. */
function mostCommon<T>(values: readonly [T, ...T[]]): T {
  const counts = new Map<T, number>();
  values.forEach((v) => {
    counts.set(v, (counts.get(v) ?? 0) + 1);
  });
  let [best] = values;
  let bestCount = 0;
  for (const [v, n] of counts)
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  return best;
}

/** Maps a cluster's nodes keeping the type's guarantee that there is at least one. */
function mapCluster<T>([head, ...rest]: Cluster, f: (n: KeepalivedNode) => T): [T, ...T[]] {
  return [f(head), ...rest.map(f)];
}

const vrid: Rule = (nodes) =>
  byCluster(nodes).flatMap((c) => {
    const common = mostCommon(mapCluster(c, (n) => n.virtualRouterId));
    const out: Finding[] = c
      .filter((n) => n.virtualRouterId !== common)
      .map((n) => ({
        severity: 'error',
        rule: 'virtual-router-id',
        host: n.host,
        message: `virtual_router_id ${n.virtualRouterId} differs from the cluster's ${common}`,
        hint: `use one virtual_router_id (${common}) on every node of a cluster`,
        location: n.where('keepalived_virtual_router_id'),
      }));
    for (const n of c) {
      if (!(n.virtualRouterId >= 1 && n.virtualRouterId <= 255)) {
        out.push({
          severity: 'error',
          rule: 'virtual-router-id',
          host: n.host,
          message: `virtual_router_id ${n.virtualRouterId} is outside 1-255`,
          hint: 'pick a number from 1 to 255, unique on the network segment',
          location: n.where('keepalived_virtual_router_id'),
        });
      }
    }
    return out;
  });

const clustersShareVrid: Rule = (nodes) => {
  const clusters = byCluster(nodes);
  const out: Finding[] = [];
  for (const [i, [a]] of clusters.entries()) {
    for (const [b] of clusters.slice(i + 1)) {
      if (a.virtualRouterId === b.virtualRouterId && a.interface === b.interface) {
        out.push({
          severity: 'error',
          rule: 'virtual-router-id',
          host: b.host,
          message: `clusters "${a.cluster}" and "${b.cluster}" both use virtual_router_id ${a.virtualRouterId}`,
          hint: 'each cluster on a network segment needs its own virtual_router_id',
          location: b.where('keepalived_virtual_router_id'),
        });
      }
    }
  }
  return out;
};

const priorities: Rule = (nodes) =>
  byCluster(nodes).flatMap((c) => {
    const out: Finding[] = [];
    const seen = new Map<number, string>();
    for (const n of c) {
      if (!Number.isInteger(n.priority) || n.priority < 1 || n.priority > 255) {
        out.push({
          severity: 'error',
          rule: 'priority',
          host: n.host,
          message: `priority ${n.priority} is outside 1-255 (keepalived would silently use 100)`,
          hint: 'use a whole number from 1 to 255',
          location: n.where('keepalived_priority'),
        });
      }
      const other = seen.get(n.priority);
      if (other)
        out.push({
          severity: 'error',
          rule: 'priority',
          host: n.host,
          message: `priority ${n.priority} is the same as ${other}'s`,
          hint: 'give every node a distinct priority so the election is decided',
          location: n.where('keepalived_priority'),
        });
      seen.set(n.priority, n.host);
    }
    return out;
  });

const authPass: Rule = (nodes) =>
  nodes
    .flatMap((n) => (n.authPass !== undefined && n.authPass.length > 8 ? [{ n, length: n.authPass.length }] : []))
    .map(({ n, length }) => ({
      severity: 'warning',
      rule: 'auth-pass',
      host: n.host,
      message: `auth_pass is ${length} characters; keepalived uses only the first 8`,
      hint: 'use at most 8 characters, and do not count on it for security (PASS auth is plain text)',
      location: n.where('keepalived_auth_pass'),
    }));

const authMismatch: Rule = (nodes) =>
  byCluster(nodes).flatMap((c) => {
    const common = mostCommon(mapCluster(c, (n) => n.authPass?.slice(0, 8)));
    return c
      .filter((n) => n.authPass?.slice(0, 8) !== common)
      .map((n) => ({
        severity: 'error' as const,
        rule: 'auth-pass',
        host: n.host,
        message: "auth_pass differs from the other nodes' (they will ignore each other)",
        hint: 'use the same auth_pass on every node',
        location: n.where('keepalived_auth_pass'),
      }));
  });

const vips: Rule = (nodes) =>
  byCluster(nodes).flatMap((c) => {
    const key = (n: KeepalivedNode) => [...n.vips].sort().join(' ');
    const common = mostCommon(mapCluster(c, key));
    const out: Finding[] = [];
    for (const n of c) {
      if (n.vips.length === 0)
        out.push({
          severity: 'error',
          rule: 'vips',
          host: n.host,
          message: 'no virtual IP address (keepalived_vips is empty)',
          hint: 'list the VIP with its prefix, e.g. 198.18.1.25/22',
          location: n.where('keepalived_vips'),
        });
      else if (key(n) !== common) {
        const noPrefix = n.vips.filter((v) => !v.includes('/'));
        out.push({
          severity: 'error',
          rule: 'vips',
          host: n.host,
          message: `VIPs ${n.vips.join(', ')} differ from the cluster's ${common}${noPrefix.length ? ` (${noPrefix.join(', ')} has no prefix, so it means /32)` : ''}`,
          hint: `use the same VIPs with the same prefixes on every node: ${common}`,
          location: n.where('keepalived_vips'),
        });
      }
    }
    return out;
  });

const masters: Rule = (nodes) =>
  byCluster(nodes).flatMap((c) => {
    const m = c.filter((n) => n.state === 'MASTER');
    const bad = c.filter((n) => n.state !== 'MASTER' && n.state !== 'BACKUP');
    const out: Finding[] = bad.map((n) => ({
      severity: 'error',
      rule: 'state',
      host: n.host,
      message: `state ${n.state} is neither MASTER nor BACKUP`,
      hint: 'use MASTER or BACKUP',
      location: n.where('keepalived_state'),
    }));
    const [master, secondMaster] = m;
    if (master && !secondMaster) {
      const higher = c.filter((n) => n !== master && n.priority >= master.priority);
      for (const n of higher) {
        out.push({
          severity: 'warning',
          rule: 'state',
          host: n.host,
          message: `BACKUP ${n.host} has priority ${n.priority}, not below MASTER ${master.host}'s ${master.priority}: it will take the VIP`,
          hint: 'give the MASTER the highest priority',
          location: n.where('keepalived_priority'),
        });
      }
      return out;
    }
    if (m.length === 0 && c.every((n) => n.nopreempt)) return out;
    const where = (secondMaster ?? c[0]).where('keepalived_state');
    out.push({
      severity: 'error',
      rule: 'state',
      host: (secondMaster ?? c[0]).host,
      message:
        m.length === 0
          ? `cluster "${c[0].cluster}" has no MASTER`
          : `cluster "${c[0].cluster}" has ${m.length} MASTERs (${m.map((n) => n.host).join(', ')})`,
      hint: 'make exactly one node MASTER, or every node BACKUP with keepalived_nopreempt: true',
      location: where,
    });
    return out;
  });

const trackWeight: Rule = (nodes) =>
  byCluster(nodes).flatMap((c) => {
    const sorted = [...c].sort((a, b) => b.priority - a.priority);
    const [top, next] = sorted;
    if (!top || !next) return [];
    const gap = top.priority - next.priority;
    return top.vrrpScripts
      .filter((s) => top.trackScripts.includes(s.name) && s.weight < 0 && -s.weight <= gap)
      .map((s) => ({
        severity: 'warning' as const,
        rule: 'track-weight',
        host: top.host,
        message: `vrrp_script ${s.name} weight ${s.weight} cannot move the VIP: ${top.host} (${top.priority}) minus ${-s.weight} stays above ${next.host} (${next.priority})`,
        hint: `use a weight below -${gap} (e.g. ${-(gap + 10)}), or narrow the priority gap`,
        location: top.where('keepalived_vrrp_scripts'),
      }));
  });

const mcastSrc: Rule = (nodes) =>
  nodes
    .filter((n) => n.mcastSrcIp !== undefined && n.mcastSrcIp !== n.address)
    .map((n) => ({
      severity: 'error',
      rule: 'mcast-src-ip',
      host: n.host,
      message: `mcast_src_ip ${n.mcastSrcIp} is not this host's address (${n.address})`,
      hint: "leave keepalived_mcast_src_ip unset (it defaults to the host's address) or set it to the host's own address",
      location: n.where('keepalived_mcast_src_ip'),
    }));

const addresses: Rule = (nodes) =>
  nodes.flatMap((n) =>
    [...n.vips.map((v) => v.split('/')[0] ?? ''), ...(n.mcastSrcIp ? [n.mcastSrcIp] : []), ...n.unicastPeers]
      .filter((a) => {
        const m = IPV4.exec(a);
        return !m || m.slice(1).some((x) => Number(x) > 255);
      })
      .map((a) => ({
        severity: 'error' as const,
        rule: 'address',
        host: n.host,
        message: `"${a}" is not an IPv4 address`,
        hint: 'write addresses as A.B.C.D (VIPs as A.B.C.D/PREFIX)',
        location: n.where('keepalived_vips'),
      })),
  );

const interfaceSet: Rule = (nodes) =>
  nodes
    .filter((n) => !n.interface)
    .map((n) => ({
      severity: 'error',
      rule: 'interface',
      host: n.host,
      message: 'keepalived_interface is not set',
      hint: 'name the interface VRRP runs on (host0 in the lab, enp1s0 in the tutorial)',
      location: n.where('keepalived_state'),
    }));

const RULES: Rule[] = [
  vrid,
  clustersShareVrid,
  priorities,
  authPass,
  authMismatch,
  vips,
  masters,
  trackWeight,
  mcastSrc,
  addresses,
  interfaceSet,
];

/** Every cluster check over the nodes of an inventory; pure. */
export function lintCluster(nodes: KeepalivedNode[]): Finding[] {
  if (nodes.length === 0) return [];
  return RULES.flatMap((r) => r(nodes));
}
