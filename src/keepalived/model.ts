import type { Inventory } from '../config/inventory.js';
import { lazyVars } from '../engine/vars.js';
import type { SourceLocation } from '../errors.js';
import type { CheckedHost } from '../modules/types.js';

export interface VrrpScript {
  name: string;
  script: string;
  interval: number;
  weight: number;
  fall: number;
  rise: number;
}

/** One node of a VRRP cluster, read from its inventory variables (`keepalived_*`). */
export interface KeepalivedNode {
  host: string;
  address: string;
  cluster: string;
  state: string;
  priority: number;
  interface: string;
  virtualRouterId: number;
  advertInt: number;
  authPass?: string;
  vips: string[];
  mcastSrcIp?: string;
  unicastPeers: string[];
  nopreempt: boolean;
  vrrpScripts: VrrpScript[];
  trackScripts: string[];
  /** Where a variable of this node was set: findings point there. */
  where(variable: string): SourceLocation;
}

export function isKeepalivedHost(h: CheckedHost): boolean {
  return h.vars.keepalived_state !== undefined || h.vars.keepalived_priority !== undefined;
}

function asList(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

export function nodeFromHost(h: CheckedHost): KeepalivedNode {
  const v = lazyVars(h.vars);
  const scripts = asList(v.keepalived_vrrp_scripts).map((s) => {
    const o = s as Record<string, unknown>;
    return {
      name: String(o.name ?? 'check'),
      script: String(o.script ?? ''),
      interval: Number(o.interval ?? 2),
      weight: Number(o.weight ?? 0),
      fall: Number(o.fall ?? 3),
      rise: Number(o.rise ?? 2),
    };
  });
  return {
    host: h.name,
    address: String(v.ansible_host ?? h.name),
    cluster: String(v.keepalived_cluster ?? 'default'),
    state: String(v.keepalived_state ?? 'BACKUP').toUpperCase(),
    priority: Number(v.keepalived_priority ?? 100),
    interface: String(v.keepalived_interface ?? ''),
    virtualRouterId: Number(v.keepalived_virtual_router_id ?? 0),
    advertInt: Number(v.keepalived_advert_int ?? 1),
    authPass: v.keepalived_auth_pass === undefined ? undefined : String(v.keepalived_auth_pass),
    vips: asList(v.keepalived_vips).map(String),
    mcastSrcIp: v.keepalived_mcast_src_ip === undefined ? undefined : String(v.keepalived_mcast_src_ip),
    unicastPeers: asList(v.keepalived_unicast_peers).map(String),
    nopreempt: v.keepalived_nopreempt === true,
    vrrpScripts: scripts,
    trackScripts: asList(v.keepalived_track_scripts ?? scripts.map((s) => s.name)).map(String),
    where: (variable) => h.origins[variable] ?? h.location,
  };
}

export function clusterNodes(inv: Inventory): KeepalivedNode[] {
  return hostsNodes([...inv.hosts.values()]);
}

export function hostsNodes(hosts: readonly CheckedHost[]): KeepalivedNode[] {
  return hosts.filter(isKeepalivedHost).map(nodeFromHost);
}
