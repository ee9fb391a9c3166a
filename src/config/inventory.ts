import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { noteInputFile } from '../core/input-files.js';
import type { Vars } from '../core/vars.js';
import { inputError, must, ProvisionError, type SourceLocation } from '../errors.js';
import { secrets } from '../secrets.js';
import { markDecryptedValues, openVaultFile } from '../vault/yaml-hook.js';
import { addressProblem } from './address.js';
import { becomeMethod } from './become-method.js';
import { expandHostEntry, HostRangeError } from './host-pattern.js';
import { type GroupDef, InventoryData } from './inventory-data.js';
import { parseIniInventory } from './inventory-ini.js';
import { describeExpectation, type PathKey, parseWith, YamlSource } from './source.js';
import { type VarsLayer, varsFor } from './vars-dirs.js';

/** src/template still imports Vars from here; it is left alone for the language issue that may replace it. */
export type { Vars };

export interface InventoryHost {
  name: string;
  /** Inventory variables with Ansible's precedence already applied (files, group_vars/, host_vars/). */
  vars: Vars;
  groups: string[];
  location: SourceLocation;
  /** Where each inventory variable of this host was set, for messages that point at it. */
  origins: Record<string, SourceLocation>;
}

export interface Inventory {
  /** The first inventory source, as given: messages name it and relative key paths start beside it. */
  file: string;
  /** Every inventory source, in the order they were merged. */
  sources: string[];
  hosts: Map<string, InventoryHost>;
  /** Group name to the names of every host in it or in its children. */
  groups: Map<string, string[]>;
}

export interface InventoryOptions {
  /** The playbook's directory: its group_vars/ and host_vars/ apply too, above the inventory's. */
  playbookDir?: string;
  /** The lowest layer, under every inventory variable: connection settings of ansible.cfg. */
  defaults?: VarsLayer;
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
  // INI inventories give `ansible_become=yes` as text: Ansible reads it as a boolean, so must this.
  ansible_become: z
    .union([z.boolean(), z.stringbool({ truthy: ['yes', 'true', 'on', '1', 'y', 't'], falsy: ['no', 'false', 'off', '0', 'n', 'f'] })])
    .optional(),
  ansible_become_user: z.string().optional(),
  ansible_become_password: z.string().optional(),
  ansible_become_pass: z.string().optional(),
  ansible_become_method: becomeMethod.optional(),
  ansible_become_flags: z.string().optional(),
  ansible_become_exe: z.string().optional(),
  ansible_ssh_common_args: z.string().optional(),
  provision_host_key_checking: z.enum(['strict', 'accept-new', 'off']).optional(),
  provision_known_hosts_file: z.string().optional(),
  provision_connect_timeout: z.coerce.number().positive().optional(),
});

/** Files Ansible skips in an inventory directory: hidden ones, vars directories and its ignored extensions. */
const IGNORED_IN_DIR =
  /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;
const YAML_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * The inventory of one or more sources (`-i a -i b`), each a YAML or INI file or a directory of
 * them, with group_vars/ and host_vars/ beside each source and beside the playbook.
 */
export function loadInventory(sources: string | readonly string[], opts: InventoryOptions = {}): Inventory {
  const list = typeof sources === 'string' ? [sources] : [...sources];
  const first = must(list[0], 'an inventory source');
  const data = newData(first);
  for (const s of list) readSource(data, s);
  const bases = list.map((s) => (isDirectory(s) ? s : dirname(s)));
  return buildInventory(data, { ...opts, file: first, sources: list, bases, keyBase: isDirectory(first) ? first : undefined });
}

/** One YAML inventory already parsed (tests and callers holding text): no vars directories apply. */
export function parseInventory(src: YamlSource): Inventory {
  const data = newData(src.file);
  readYamlInventory(data, src);
  return buildInventory(data, { file: src.file, sources: [src.file], bases: [] });
}

function newData(file: string): InventoryData {
  const data = new InventoryData();
  const start = { file, line: 1, col: 1 };
  data.group('all', start);
  data.group('ungrouped', start);
  return data;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    // A missing path is reported by readSource with the reason; here it is simply not a directory.
    return false;
  }
}

function readSource(data: InventoryData, path: string): void {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (err) {
    throw inputError(`cannot read inventory ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, 'check the path');
  }
  if (st.isDirectory()) {
    for (const entry of readdirSync(path).sort()) if (!IGNORED_IN_DIR.test(entry)) readSource(data, resolveIn(path, entry));
    return;
  }
  const ext = extname(path);
  if (st.mode & 0o111 && !YAML_EXTENSIONS.includes(ext))
    throw inputError(
      `${path} is executable: provision does not run inventory scripts`,
      { file: path, line: 1, col: 1 },
      'write the hosts as a YAML or INI file, or run the script and save its output as a .json file',
    );
  if (ext === '.toml')
    throw inputError(`${path}: TOML inventories are not supported`, { file: path, line: 1, col: 1 }, 'write it as YAML or INI');
  const opened = readInventoryText(path);
  // No extension: YAML when it reads as a mapping, INI otherwise (Ansible tries its yaml plugin, then ini).
  const yaml = YAML_EXTENSIONS.includes(ext) ? yamlSource(path, opened) : ext === '' ? tryYaml(path, opened) : undefined;
  if (yaml) {
    readYamlInventory(data, yaml);
    return;
  }
  parseIniInventory(data, path, opened.text);
  if (opened.encrypted) for (const h of data.hosts.values()) markDecryptedValues(h.vars);
}

function resolveIn(dir: string, entry: string): string {
  return `${dir.replace(/\/+$/, '')}/${entry}`;
}

function readInventoryText(path: string): { text: string; encrypted: boolean } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
    noteInputFile(path, text);
  } catch (err) {
    throw inputError(`cannot read inventory ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, undefined, 'check the path');
  }
  return openVaultFile(path, text);
}

function yamlSource(path: string, opened: { text: string; encrypted: boolean }): YamlSource {
  const src = YamlSource.fromText(path, opened.text);
  if (opened.encrypted) markDecryptedValues(src.value);
  return src;
}

function tryYaml(path: string, opened: { text: string; encrypted: boolean }): YamlSource | undefined {
  try {
    const src = yamlSource(path, opened);
    return src.value !== null && typeof src.value === 'object' && !Array.isArray(src.value) ? src : undefined;
  } catch (e) {
    if (e instanceof ProvisionError && e.kind === 'input') return undefined;
    throw e;
  }
}

/** Ansible's YAML inventory layout: groups with vars, hosts (ranges and `:port` allowed) and children. */
function readYamlInventory(data: InventoryData, src: YamlSource): void {
  const top = src.value;
  if (top === null || typeof top !== 'object' || Array.isArray(top)) {
    throw inputError(
      'an inventory must be a mapping of groups, usually starting with "all:"',
      src.locate([]),
      'see inventory/lab.yaml for the layout',
    );
  }
  // Within one YAML file a host given variables twice is a mistake; across files it merges as in Ansible.
  const withVars = new Map<string, PathKey[]>();

  const visit = (name: string, raw: unknown, path: PathKey[], parent: GroupDef | undefined): void => {
    const g = parseWith(groupSchema, src, raw, path, `group "${name}"`) as RawGroup;
    const group = data.group(name, src.locate(path, { key: true }));
    if (parent) data.addChild(parent, group);
    for (const [k, v] of Object.entries(g?.vars ?? {})) data.setGroupVar(group, k, v, src.locate([...path, 'vars', k]));
    for (const [entry, hostVars] of Object.entries(g?.hosts ?? {})) {
      const hostPath = [...path, 'hosts', entry];
      const where = src.locate(hostPath, { key: true });
      let expanded: ReturnType<typeof expandHostEntry>;
      try {
        expanded = expandHostEntry(entry);
      } catch (e) {
        if (e instanceof HostRangeError) throw inputError(e.message, where, 'write a range as [01:20], [a:f] or [1:20:2]');
        throw e;
      }
      for (const hostName of expanded.names) {
        const given = hostVars && Object.keys(hostVars).length > 0;
        const prior = withVars.get(hostName);
        if (given && prior) {
          const first = src.locate(prior, { key: true });
          throw inputError(
            `host "${hostName}" is defined twice with variables (first at line ${first.line})`,
            where,
            'keep one definition; list the host without variables in other groups',
          );
        }
        if (given) withVars.set(hostName, hostPath);
        const host = data.addHost(group, hostName, where, src.file);
        if (given) host.location = where;
        if (expanded.port !== undefined) data.setHostVar(host, 'ansible_port', expanded.port, where);
        for (const [k, v] of Object.entries(hostVars ?? {})) data.setHostVar(host, k, v, src.locate([...hostPath, k]));
      }
    }
    for (const [childName, childRaw] of Object.entries(g?.children ?? {}))
      visit(childName, childRaw, [...path, 'children', childName], group);
  };
  for (const [name, raw] of Object.entries(top)) visit(name, raw, [name], undefined);
}

interface BuildContext extends InventoryOptions {
  file: string;
  sources: string[];
  /** The directories whose group_vars/ and host_vars/ apply: one per source. */
  bases: string[];
  /** Where relative key and known_hosts paths start when the first source is a directory. */
  keyBase?: string;
  /** Built again at run time (add_host, group_by): two names for one address are allowed then, as in Ansible. */
  rebuilt?: boolean;
}

/** What each inventory was built from, for `inventoryData`. */
const builtFrom = new WeakMap<Inventory, { data: InventoryData; ctx: BuildContext }>();

/**
 * The declarations an inventory was built from, and how to build it again in place once they
 * changed (add_host and group_by at run time): with the same precedence, so the group_vars/ of a
 * group made at run time apply to its hosts.
 */
export function inventoryData(inv: Inventory): { data: InventoryData; rebuild(): void } {
  const src = must(builtFrom.get(inv), `the sources of inventory ${inv.file}`);
  return {
    data: src.data,
    rebuild: () => {
      const fresh = buildInventory(src.data, { ...src.ctx, rebuilt: true });
      inv.hosts.clear();
      for (const [name, host] of fresh.hosts) inv.hosts.set(name, host);
      inv.groups.clear();
      for (const [name, members] of fresh.groups) inv.groups.set(name, members);
    },
  };
}

function buildInventory(data: InventoryData, ctx: BuildContext): Inventory {
  const all = must(data.groups.get('all'), 'group "all"');
  reconcile(data);
  const depth = groupDepths(data);
  const members = groupMembers(data);
  const cache = new Map<string, VarsLayer>();
  const inventoryDirs = ctx.bases;

  const hosts = new Map<string, InventoryHost>();
  const addresses = new Map<string, string>();
  for (const def of data.hosts.values()) {
    const name = def.name;
    const hostGroups = [...data.groups.values()]
      .filter((g) => g.name !== 'all' && must(members.get(g.name), `members of group "${g.name}"`).includes(name))
      .sort(
        (a, b) => must(depth.get(a.name), 'depth') - must(depth.get(b.name), 'depth') || a.priority - b.priority || cmp(a.name, b.name),
      );
    // Ansible's order (VariableManager.get_vars with the default VARIABLE_PRECEDENCE), lowest first: every
    // inventory file's group vars, group_vars/all, then group_vars/<group>; each later layer replaces keys.
    const play = ctx.playbookDir;
    const layers: VarsLayer[] = [
      ctx.defaults ?? { vars: {}, origins: {} },
      all,
      ...hostGroups,
      ...inventoryDirs.map((d) => varsFor(d, 'group_vars', 'all', cache)),
      ...(play ? [varsFor(play, 'group_vars', 'all', cache)] : []),
      ...inventoryDirs.flatMap((d) => hostGroups.map((g) => varsFor(d, 'group_vars', g.name, cache))),
      ...(play ? hostGroups.map((g) => varsFor(play, 'group_vars', g.name, cache)) : []),
      { vars: { inventory_file: resolve(def.file), inventory_dir: dirname(resolve(def.file)) }, origins: {} },
      def,
      ...inventoryDirs.map((d) => varsFor(d, 'host_vars', name, cache)),
      ...(play ? [varsFor(play, 'host_vars', name, cache)] : []),
    ];
    const vars: Vars = {};
    const origins: Record<string, SourceLocation> = {};
    for (const l of layers) {
      Object.assign(vars, l.vars);
      Object.assign(origins, l.origins);
    }
    if (ctx.keyBase) absolutePaths(vars, ctx.keyBase);
    checkAddress(name, vars, origins.ansible_host ?? def.location);
    checkConnectionVars(name, vars, origins, def.location);
    const address = `${vars.ansible_host ?? name}:${vars.ansible_port ?? 22}`;
    const clash = addresses.get(address);
    if (clash && !ctx.rebuilt)
      throw inputError(`hosts "${clash}" and "${name}" both connect to ${address}`, def.location, 'give each host its own ansible_host');
    addresses.set(address, name);
    secrets.collect(vars);
    const groupNames = hostGroups.map((g) => g.name);
    hosts.set(name, {
      name,
      vars: { ...vars, inventory_hostname: name, group_names: [...groupNames].sort(cmp) },
      groups: ['all', ...groupNames],
      location: def.location,
      origins,
    });
  }
  if (hosts.size === 0) throw inputError('the inventory defines no hosts', all.location, 'add hosts under all.hosts or a group');
  const inv = { file: ctx.file, sources: ctx.sources, hosts, groups: members };
  builtFrom.set(inv, { data, ctx });
  return inv;
}

/** Python's sort order for names (code points), which Ansible uses for groups of the same depth. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ansible's reconcile_inventory: a group without parents is a child of `all`; a host in no group is in `ungrouped`. */
function reconcile(data: InventoryData): void {
  const all = must(data.groups.get('all'), 'group "all"');
  const hasParent = new Set([...data.groups.values()].flatMap((g) => g.children));
  for (const g of data.groups.values()) if (g.name !== 'all' && !hasParent.has(g.name)) data.addChild(all, g);
  const ungrouped = must(data.groups.get('ungrouped'), 'group "ungrouped"');
  const grouped = new Set([...data.groups.values()].filter((g) => g.name !== 'all' && g.name !== 'ungrouped').flatMap((g) => g.hosts));
  ungrouped.hosts = [...data.hosts.keys()].filter((h) => !grouped.has(h));
}

/**
 * Depth in the group tree as Ansible counts it: `all` 0, a group without parents (made a child of
 * `all`) 1, a child one more than its deepest parent. Deeper groups' variables win.
 */
function groupDepths(data: InventoryData): Map<string, number> {
  const all = must(data.groups.get('all'), 'group "all"');
  const depth = new Map<string, number>();
  const walk = (g: GroupDef, d: number, path: string[]): void => {
    if (path.includes(g.name)) throw inputError(`group "${g.name}" contains itself`, g.location, 'remove the cycle in children');
    if ((depth.get(g.name) ?? -1) >= d) return;
    depth.set(g.name, d);
    for (const c of g.children) walk(must(data.groups.get(c), `group "${c}"`), d + 1, [...path, g.name]);
  };
  walk(all, 0, []);
  // A group `all` does not reach has parents that all lie in a cycle: walking from it finds the cycle.
  for (const g of data.groups.values()) if (!depth.has(g.name)) walk(g, 1, []);
  return depth;
}

function groupMembers(data: InventoryData): Map<string, string[]> {
  const members = new Map<string, string[]>();
  const collect = (name: string): string[] => {
    const cached = members.get(name);
    if (cached) return cached;
    const g = must(data.groups.get(name), `group "${name}" of the inventory`);
    const set = new Set(g.hosts);
    for (const c of g.children) for (const h of collect(c)) set.add(h);
    const list = [...set];
    members.set(name, list);
    return list;
  };
  for (const name of data.groups.keys()) if (name !== 'all') collect(name);
  members.set('all', [...data.hosts.keys()]);
  // An empty `ungrouped` is Ansible's too, but a pattern naming it should not see a stale list.
  return members;
}

const PATH_VARS = ['ansible_ssh_private_key_file', 'provision_known_hosts_file'];

function absolutePaths(vars: Vars, base: string): void {
  for (const k of PATH_VARS) {
    const v = vars[k];
    if (typeof v === 'string' && v && !isAbsolute(v) && !v.startsWith('~') && !v.includes('{{')) vars[k] = resolve(base, v);
  }
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

/** Connection variables are checked once merged; an error points where the wrong value was set. */
function checkConnectionVars(name: string, vars: Vars, origins: Record<string, SourceLocation>, location: SourceLocation): void {
  const result = connectionVarsSchema.safeParse(vars);
  if (result.success) return;
  const issue = must(result.error.issues[0], 'an issue of a failed zod parse');
  const key = String(issue.path[0] ?? '');
  const where = origins[key] ?? location;
  throw inputError(`host "${name}"${key ? ` at ${key}` : ''}: ${issue.message}`, where, `expected ${describeExpectation(issue)}`);
}
