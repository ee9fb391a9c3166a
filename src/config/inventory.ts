import { z } from 'zod';
import type { Vars } from '../core/vars.js';
import { inputError, must, type SourceLocation } from '../errors.js';
import { secrets } from '../secrets.js';
import { addressProblem } from './address.js';
import { type PathKey, parseWith, YamlSource } from './source.js';

/** src/template still imports Vars from here; it is left alone for the language issue that may replace it. */
export type { Vars };

export interface InventoryHost {
  name: string;
  /** Inventory variables with group < host precedence already applied. */
  vars: Vars;
  groups: string[];
  location: SourceLocation;
  /** Where each inventory variable of this host was set, for messages that point at it. */
  origins: Record<string, SourceLocation>;
}

export interface Inventory {
  file: string;
  hosts: Map<string, InventoryHost>;
  /** Group name to the names of every host in it or in its children. */
  groups: Map<string, string[]>;
  source: YamlSource;
}

const varsSchema = z.record(z.string(), z.unknown());

const groupSchema = z
  .strictObject({
    vars: varsSchema.nullish(),
    hosts: z.record(z.string(), varsSchema.nullish()).nullish(),
    children: z.record(z.string(), z.unknown()).nullish(),
  })
  .nullish();
type RawGroup = z.infer<typeof groupSchema>;

const hostnameOrIp =
  /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\[?[0-9a-fA-F:]+\]?)$/;

/** Connection variables in Ansible's spelling, checked for every host after merging. */
export const connectionVarsSchema = z.looseObject({
  ansible_host: z
    .string()
    .refine((s) => addressProblem(s) === undefined, 'not a valid IP address or host name')
    .optional(),
  ansible_port: z.coerce.number().int().min(1).max(65535).optional(),
  ansible_user: z.string().min(1).optional(),
  ansible_ssh_private_key_file: z.string().min(1).optional(),
  ansible_password: z.string().optional(),
  ansible_become: z.boolean().optional(),
  ansible_become_user: z.string().optional(),
  ansible_become_password: z.string().optional(),
  ansible_ssh_common_args: z.string().optional(),
  provision_host_key_checking: z.enum(['strict', 'accept-new', 'off']).optional(),
  provision_known_hosts_file: z.string().optional(),
  provision_connect_timeout: z.coerce.number().positive().optional(),
});

interface GroupNode {
  name: string;
  depth: number;
  vars: Vars;
  hostNames: string[];
  children: string[];
  path: PathKey[];
}

export function loadInventory(file: string): Inventory {
  return parseInventory(YamlSource.fromFile(file));
}

export function parseInventory(src: YamlSource): Inventory {
  const top = src.value;
  if (top === null || typeof top !== 'object' || Array.isArray(top)) {
    throw inputError(
      'an inventory must be a mapping of groups, usually starting with "all:"',
      src.locate([]),
      'see inventory/lab.yaml for the layout',
    );
  }
  const groups = new Map<string, GroupNode>();
  const hostDefs = new Map<string, { vars: Vars; path: PathKey[] }>();

  const visit = (name: string, raw: unknown, path: PathKey[], depth: number): void => {
    const g = parseWith(groupSchema, src, raw, path, `group "${name}"`) as RawGroup;
    const existing = groups.get(name);
    const node: GroupNode = existing ?? { name, depth, vars: {}, hostNames: [], children: [], path };
    node.depth = Math.max(node.depth, depth);
    Object.assign(node.vars, g?.vars ?? {});
    groups.set(name, node);
    for (const [hostName, hostVars] of Object.entries(g?.hosts ?? {})) {
      const hostPath = [...path, 'hosts', hostName];
      if (!hostnameOrIp.test(hostName)) {
        throw inputError(
          `invalid host name "${hostName}"`,
          src.locate(hostPath, { key: true }),
          'use letters, digits, dots and dashes, or set ansible_host for the address',
        );
      }
      const prior = hostDefs.get(hostName);
      if (hostVars && prior && Object.keys(prior.vars).length > 0) {
        const where = src.locate(prior.path, { key: true });
        throw inputError(
          `host "${hostName}" is defined twice with variables (first at line ${where.line})`,
          src.locate(hostPath, { key: true }),
          'keep one definition; list the host without variables in other groups',
        );
      }
      if (!prior || (hostVars && Object.keys(hostVars).length > 0)) hostDefs.set(hostName, { vars: hostVars ?? {}, path: hostPath });
      if (!node.hostNames.includes(hostName)) node.hostNames.push(hostName);
    }
    for (const [childName, childRaw] of Object.entries(g?.children ?? {})) {
      if (!node.children.includes(childName)) node.children.push(childName);
      visit(childName, childRaw, [...path, 'children', childName], depth + 1);
    }
  };
  for (const [name, raw] of Object.entries(top)) visit(name, raw, [name], name === 'all' ? 0 : 1);

  const members = new Map<string, string[]>();
  const collect = (name: string, seen: Set<string>): string[] => {
    const cached = members.get(name);
    if (cached) return cached;
    const g = must(groups.get(name), `group "${name}" of the inventory`);
    if (seen.has(name))
      throw inputError(`group "${name}" contains itself`, src.locate(g.path, { key: true }), 'remove the cycle in children');
    seen.add(name);
    const all = new Set(g.hostNames);
    for (const c of g.children)
      collect(c, seen).forEach((h) => {
        all.add(h);
      });
    const list = [...all];
    members.set(name, list);
    return list;
  };
  for (const name of groups.keys()) collect(name, new Set());
  members.set('all', [...hostDefs.keys()]);

  const hosts = new Map<string, InventoryHost>();
  const addresses = new Map<string, string>();
  for (const [name, def] of hostDefs) {
    const hostGroups = [...groups.values()].filter(
      (g) => must(members.get(g.name), `members of group "${g.name}"`).includes(name) || g.name === 'all',
    );
    // Ansible's order: 'all' first, then parents before children, ties by name.
    hostGroups.sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
    const vars: Vars = {};
    const origins: Record<string, SourceLocation> = {};
    for (const g of [...hostGroups.map((g) => ({ vars: g.vars, path: [...g.path, 'vars'] })), { vars: def.vars, path: def.path }]) {
      Object.assign(vars, g.vars);
      for (const k of Object.keys(g.vars)) origins[k] = src.locate([...g.path, k]);
    }
    checkAddress(name, vars, origins.ansible_host ?? src.locate(def.path, { key: true }));
    const conn = parseWith(connectionVarsSchema, src, vars, def.path, `host "${name}"`);
    const address = `${conn.ansible_host ?? name}:${conn.ansible_port ?? 22}`;
    const clash = addresses.get(address);
    if (clash) {
      throw inputError(
        `hosts "${clash}" and "${name}" both connect to ${address}`,
        src.locate(def.path, { key: true }),
        'give each host its own ansible_host',
      );
    }
    addresses.set(address, name);
    secrets.collect(vars);
    hosts.set(name, {
      name,
      vars: { ...vars, inventory_hostname: name, group_names: hostGroups.map((g) => g.name).filter((g) => g !== 'all') },
      groups: hostGroups.map((g) => g.name),
      location: src.locate(def.path, { key: true }),
      origins,
    });
  }
  if (hosts.size === 0) throw inputError('the inventory defines no hosts', src.locate([]), 'add hosts under all.hosts or a group');
  return { file: src.file, hosts, groups: members, source: src };
}

/** The address a host is reached at is checked before anything connects: a typo there is bad input, not an unreachable host. */
function checkAddress(name: string, vars: Vars, location: SourceLocation): void {
  const value = vars.ansible_host === null ? '' : (vars.ansible_host ?? name);
  if (typeof value !== 'string' && typeof value !== 'number') return;
  const problem = addressProblem(String(value));
  if (problem)
    throw inputError(
      `host "${name}": ${problem}`,
      location,
      'set ansible_host to an IPv4 address (four numbers, each 0 to 255), an IPv6 address or a DNS name',
    );
}
