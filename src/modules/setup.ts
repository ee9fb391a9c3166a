import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import type { Vars } from '../core/vars.js';
import { hostFacts } from '../reads/host-facts.js';
import { fnmatchRegExp } from '../util/fnmatch.js';
import { defineModule } from './types.js';

/** Ansible's fact collectors that the gathered facts come from, by fact name (the name without `ansible_`). */
const COLLECTOR_OF: readonly [RegExp, string][] = [
  [/^(system|kernel|kernel_version|architecture|machine|machine_id|hostname|nodename|fqdn|domain|userspace_\w+)$/, 'platform'],
  [/^(os_family|distribution\w*|os_pretty_name)$/, 'distribution'],
  [/^service_mgr$/, 'service_mgr'],
  [/^pkg_mgr$/, 'pkg_mgr'],
  [/^selinux/, 'selinux'],
  [/^apparmor$/, 'apparmor'],
  [/^lsb$/, 'lsb'],
  [/^env$/, 'env'],
  [/^date_time$/, 'date_time'],
  [/^python/, 'python'],
  [/^dns$/, 'dns'],
  [/^fips$/, 'fips'],
  [/^(proc_)?cmdline$/, 'cmdline'],
  [/^user_/, 'user'],
  [/^ssh_host_/, 'ssh_pub_keys'],
  [/^(memtotal_mb|memfree_mb|swap\w*|processor\w*|mounts|devices|uptime_seconds|bios_\w+|product_\w+|lvm)$/, 'hardware'],
  [/^(interfaces|all_ipv[46]_addresses|default_ipv[46]|ipv4_by_interface)$/, 'network'],
  [/^virtualization_/, 'virtual'],
];

/** What `min` stands for: Ansible's minimal_gather_subset, always gathered unless `!min`. */
const MIN = [
  'apparmor',
  'caps',
  'cmdline',
  'date_time',
  'distribution',
  'dns',
  'env',
  'fips',
  'local',
  'lsb',
  'pkg_mgr',
  'platform',
  'python',
  'selinux',
  'service_mgr',
  'ssh_pub_keys',
  'user',
];
const VALID = [...MIN, 'hardware', 'network', 'virtual', 'ohai', 'facter', 'chroot', 'loadavg', 'system_capabilities'];

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v));

const schema = z.strictObject({
  gather_subset: list
    .default(['all'])
    .describe('which facts: all, min, hardware, network, virtual, a collector name; !NAME leaves one out'),
  gather_timeout: z.coerce.number().int().default(10).describe('accepted for Ansible: the facts are read in one command'),
  filter: list.default([]).describe('only facts whose name (ansible_distribution*, or without ansible_) matches one of these patterns'),
  fact_path: z.string().optional().describe('accepted for Ansible: local facts (facts.d) are not read'),
});
export type SetupArgs = z.infer<typeof schema>;

function addAll(set: Set<string>, names: readonly string[]): void {
  for (const n of names) set.add(n);
}

/** The collectors a gather_subset asks for, as Ansible's get_collector_names reads it (`min` always first). */
export function collectorNames(subsets: readonly string[]): Set<string> | string {
  const added = new Set<string>();
  const excluded = new Set<string>();
  const explicit = new Set<string>();
  for (const s of ['min', ...subsets]) {
    if (s === 'min') addAll(added, MIN);
    else if (s === 'all') addAll(added, VALID);
    else if (s === '!min') addAll(excluded, MIN);
    else if (s === '!all')
      addAll(
        excluded,
        VALID.filter((n) => !MIN.includes(n)),
      );
    else if (s.startsWith('!')) excluded.add(s.slice(1));
    else if (!VALID.includes(s))
      return `Bad subset '${s}' given to Ansible. gather_subset options allowed: all, ${[...VALID].sort().join(', ')}`;
    else {
      explicit.add(s);
      added.add(s);
    }
  }
  for (const n of excluded) if (!explicit.has(n)) added.delete(n);
  return added;
}

function collectorOf(name: string, interfaces: readonly unknown[]): string | undefined {
  if (interfaces.includes(name)) return 'network';
  return COLLECTOR_OF.find(([re]) => re.test(name))?.[1];
}

/** Ansible's fact filter: fnmatch on `ansible_NAME`, a pattern without that prefix tried with it too. */
function matchesFilter(name: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0 || patterns.every((p) => p === '' || p === '*')) return true;
  const full = `ansible_${name}`;
  return patterns.some(
    (p) => !p || fnmatchRegExp(p).test(full) || (!/^(ansible_|facter|ohai)/.test(p) && fnmatchRegExp(`ansible_${p}`).test(full)),
  );
}

/** The gathered facts a setup task keeps: those of the asked-for collectors that pass the filter. */
export function selectFacts(facts: Vars, a: SetupArgs): Plan {
  const names = collectorNames(a.gather_subset);
  if (typeof names === 'string') return { changes: [], failed: names };
  const interfaces = Array.isArray(facts.interfaces) ? facts.interfaces : [];
  const kept: Vars = {};
  for (const [k, v] of Object.entries(facts)) {
    const collector = collectorOf(k, interfaces);
    // A fact no collector is known for comes with `all` only.
    const wanted = collector === undefined ? a.gather_subset.includes('all') : names.has(collector);
    if (wanted && matchesFilter(k, a.filter)) kept[k] = v;
  }
  const prefixed = Object.fromEntries(Object.entries(kept).map(([k, v]) => [`ansible_${k}`, v]));
  return { changes: [], hostFacts: kept, data: { ansible_facts: prefixed }, msg: `${Object.keys(kept).length} facts` };
}

export const setup = defineModule({
  name: 'setup',
  schema,
  async plan({ args, reader }) {
    // The same one-round-trip gathering as a play's gather_facts.
    return selectFacts(await reader.get(hostFacts, {}), args);
  },
});
