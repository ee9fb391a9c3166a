import type { Inventory } from '../config/inventory.js';
import type { Vars } from '../core/vars.js';
import { LAZY } from '../template/render.js';

/** The names every task sees beside its variables (Ansible's magic variables of the run and the play). */
export const MAGIC_VARIABLES = [
  'hostvars',
  'groups',
  'group_names',
  'inventory_hostname',
  'inventory_hostname_short',
  'ansible_play_hosts',
  'ansible_play_hosts_all',
  'ansible_play_batch',
  'play_hosts',
] as const;

/** Where a play stands: its hosts, the current serial batch, and who has dropped out (failed, unreachable). */
export interface PlayHosts {
  /** Every host the play targets (after --limit), in the order its pattern names them. */
  all: readonly string[];
  batch: readonly string[];
  removed: (host: string) => boolean;
}

/** `groups`: every group with its hosts, `all` and `ungrouped` included, as Ansible gives it. */
export function groupsOf(inv: Inventory): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries([...inv.groups].map(([g, hosts]) => [g, [...hosts]]));
  out.all ??= [...inv.hosts.keys()];
  out.ungrouped ??= [...inv.hosts.values()].filter((h) => h.groups.every((g) => g === 'all' || g === 'ungrouped')).map((h) => h.name);
  return out;
}

/**
 * `hostvars`: every inventory host by name, its variables built only when a template reads them
 * (`hostvars['web2'].port` builds web2's and no one else's). Built again at each read, so a value
 * another host registered a task ago is there.
 */
export function hostvarsView(names: readonly string[], varsOf: (host: string) => Vars): Vars {
  const known = new Set(names);
  const target: Vars = {};
  Object.defineProperty(target, LAZY, { value: true, enumerable: false, configurable: true });
  return new Proxy(target, {
    get(t, key) {
      if (typeof key === 'string' && known.has(key)) return varsOf(key);
      return Reflect.get(t, key);
    },
    has: (t, key) => (typeof key === 'string' && known.has(key)) || Reflect.has(t, key),
    ownKeys: () => [...known],
    getOwnPropertyDescriptor(t, key) {
      if (typeof key === 'string' && known.has(key)) return { enumerable: true, configurable: true, writable: false, value: varsOf(key) };
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
  });
}

/** The magic variables of one host in one play. */
export function magicVars(host: string, play: PlayHosts, shared: { groups: Record<string, string[]>; hostvars: Vars }): Vars {
  const active = (names: readonly string[]) => names.filter((n) => !play.removed(n));
  return {
    hostvars: shared.hostvars,
    groups: shared.groups,
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0] ?? host,
    ansible_play_hosts_all: [...play.all],
    ansible_play_hosts: active(play.all),
    ansible_play_batch: active(play.batch),
    play_hosts: active(play.batch),
  };
}
