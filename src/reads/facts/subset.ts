/**
 * Ansible's fact collectors on Linux (ansible-core 2.14 module_utils/facts/default_collectors.py):
 * each one's name, the fact names that select it too, and the collectors it needs first.
 */
export const COLLECTORS: Readonly<Record<string, { readonly factIds: readonly string[]; readonly requires: readonly string[] }>> = {
  platform: {
    factIds: ['system', 'kernel', 'kernel_version', 'machine', 'python_version', 'architecture', 'machine_id'],
    requires: [],
  },
  distribution: { factIds: ['distribution_version', 'distribution_release', 'distribution_major_version', 'os_family'], requires: [] },
  lsb: { factIds: [], requires: [] },
  selinux: { factIds: [], requires: [] },
  apparmor: { factIds: [], requires: [] },
  chroot: { factIds: ['is_chroot'], requires: [] },
  fips: { factIds: [], requires: [] },
  python: { factIds: [], requires: [] },
  caps: { factIds: ['system_capabilities', 'system_capabilities_enforced'], requires: [] },
  pkg_mgr: { factIds: [], requires: [] },
  service_mgr: { factIds: [], requires: ['platform', 'distribution'] },
  cmdline: { factIds: [], requires: [] },
  date_time: { factIds: [], requires: [] },
  env: { factIds: [], requires: [] },
  loadavg: { factIds: [], requires: [] },
  ssh_pub_keys: {
    factIds: [
      'ssh_host_pub_keys',
      'ssh_host_key_dsa_public',
      'ssh_host_key_rsa_public',
      'ssh_host_key_ecdsa_public',
      'ssh_host_key_ed25519_public',
    ],
    requires: [],
  },
  user: {
    factIds: [
      'user_id',
      'user_uid',
      'user_gid',
      'user_gecos',
      'user_dir',
      'user_shell',
      'real_user_id',
      'effective_user_id',
      'effective_group_ids',
    ],
    requires: [],
  },
  virtual: {
    factIds: ['virtualization_type', 'virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host'],
    requires: [],
  },
  hardware: { factIds: ['processor', 'processor_cores', 'processor_count', 'mounts', 'devices'], requires: ['platform'] },
  dns: { factIds: [], requires: [] },
  fibre_channel_wwn: { factIds: [], requires: [] },
  network: {
    factIds: ['interfaces', 'default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses'],
    requires: ['distribution', 'platform'],
  },
  iscsi: { factIds: [], requires: [] },
  nvme: { factIds: [], requires: [] },
  local: { factIds: [], requires: [] },
  facter: { factIds: ['facter'], requires: [] },
  ohai: { factIds: [], requires: [] },
};

/** What `gather_subset: min` and `!all` keep: setup's minimal_gather_subset. */
export const MINIMAL_SUBSET: readonly string[] = [
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

/** A gather_subset word Ansible does not know (it refuses it the same way). */
export class BadSubsetError extends Error {}

/** Every word gather_subset accepts besides `all` and `min`: collector names and their fact names. */
export function validSubsets(): string[] {
  return Object.entries(COLLECTORS)
    .flatMap(([name, c]) => [name, ...c.factIds])
    .sort();
}

/**
 * The collectors a gather_subset selects, as Ansible resolves it (collector.py get_collector_names
 * and _solve_deps): start from `min`, add, then remove the exclusions except what was named
 * explicitly; `!all` keeps `min`, `!min` removes it. Sorted: the read's identity.
 */
export function resolveGatherSubset(spec: readonly string[] | string | undefined): string[] {
  const words = normalizeGatherSubset(spec);
  const valid = new Set(validSubsets());
  const minimal = new Set(MINIMAL_SUBSET);
  const add = new Set<string>();
  const exclude = new Set<string>();
  const explicit = new Set<string>();
  for (const word of ['min', ...words]) {
    if (word === 'min') {
      for (const m of minimal) add.add(m);
    } else if (word === 'all') {
      for (const v of valid) add.add(v);
    } else if (word === '!min') {
      for (const m of minimal) exclude.add(m);
    } else if (word === '!all') {
      for (const v of valid) if (!minimal.has(v)) exclude.add(v);
    } else if (word.startsWith('!')) {
      const name = word.slice(1);
      exclude.add(name);
      for (const id of COLLECTORS[name]?.factIds ?? []) exclude.add(id);
    } else {
      if (!valid.has(word))
        throw new BadSubsetError(`Bad subset '${word}' given to Ansible. gather_subset options allowed: all, ${[...valid].join(', ')}`);
      explicit.add(word);
      add.add(word);
    }
  }
  if (add.size === 0) for (const v of valid) add.add(v);
  for (const e of exclude) if (!explicit.has(e)) add.delete(e);
  const collectors = new Set([...add].map(collectorOf));
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of [...collectors])
      for (const r of COLLECTORS[c]?.requires ?? [])
        if (!collectors.has(r)) {
          collectors.add(r);
          grew = true;
        }
  }
  return [...collectors].sort();
}

/**
 * gather_subset as Ansible takes it: a string is split at commas (setup's list argument), a list is
 * taken word for word. A play's `gather_subset: "!all,network"` is a list of that one word, so
 * Ansible ignores it as an unknown exclusion (measured with ansible-playbook 2.14).
 */
export function normalizeGatherSubset(spec: readonly string[] | string | undefined): string[] {
  if (spec === undefined) return ['all'];
  return typeof spec === 'string' ? spec.split(',') : [...spec];
}

function collectorOf(subset: string): string {
  if (subset in COLLECTORS) return subset;
  const owner = Object.entries(COLLECTORS).find(([, c]) => c.factIds.includes(subset));
  return owner ? owner[0] : subset;
}
