import type { Inventory } from '../config/inventory.js';
import type { Vars } from '../core/vars.js';
import { LAZY, OMIT } from '../template/render.js';

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
  'ansible_version',
  'ansible_run_tags',
  'ansible_skip_tags',
  'ansible_check_mode',
  'ansible_diff_mode',
  'ansible_forks',
  'ansible_verbosity',
  'ansible_config_file',
  'ansible_play_name',
  'playbook_dir',
  'role_names',
  'ansible_role_names',
  'ansible_play_role_names',
  'ansible_dependent_role_names',
  'omit',
] as const;

/**
 * The Ansible release provision reproduces, the one its behaviour is compared with (Debian's
 * ansible-core): a role that tests `ansible_version.full is version('2.12', '>=')` takes the branch
 * it takes under that Ansible.
 */
export const ANSIBLE_VERSION = { full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' } as const;

/** What the run was started with, as the magic variables of every play give it. */
export interface RunSettings {
  check: boolean;
  diff: boolean;
  forks: number;
  verbosity: number;
  tags?: readonly string[];
  skipTags?: readonly string[];
  playbookDir: string;
  /** The ansible.cfg read, if any. */
  configFile?: string;
}

/** The run's magic variables, the same for every host and play. */
export function runMagicVars(s: RunSettings): Vars {
  return {
    ansible_version: { ...ANSIBLE_VERSION },
    // Ansible gives the tags as a set (in no fixed order); provision keeps the command line's order.
    ansible_run_tags: s.tags?.length ? [...new Set(s.tags)] : ['all'],
    ansible_skip_tags: [...new Set(s.skipTags ?? [])],
    ansible_check_mode: s.check,
    ansible_diff_mode: s.diff,
    ansible_forks: s.forks,
    ansible_verbosity: s.verbosity,
    ansible_config_file: s.configFile ?? null,
    playbook_dir: s.playbookDir,
    omit: OMIT,
  };
}

/**
 * A play's own: its name and its roles as Ansible's variable manager gives them. `role_names` and
 * `ansible_play_role_names`: the roles `roles:` names, then those import_role brings in, then
 * `included` (include_role's with `public: true` so far; a private one never counts);
 * `ansible_dependent_role_names`: their dependencies; `ansible_role_names`: both, each name once.
 * The last two are Python sets in Ansible, in an order that changes from one run to the next
 * (string hashing is randomized): provision keeps the dependencies first, then the play's roles.
 */
export function playMagicVars(
  play: { name: string; roleNames: readonly string[]; dependentRoleNames: readonly string[] },
  included: readonly string[] = [],
): Vars {
  const deps = [...new Set(play.dependentRoleNames)];
  const roles = [...play.roleNames, ...included];
  return {
    ansible_play_name: play.name,
    role_names: roles,
    ansible_play_role_names: [...roles],
    ansible_dependent_role_names: deps,
    ansible_role_names: [...new Set([...deps, ...roles])],
  };
}

/**
 * The variables a template file sees: the task's, and the template_* variables and `ansible_managed`
 * of the file (src/template/template-vars.ts), which Ansible defines only there. The task's variables
 * are copied as they are (lazy ones stay unrendered until read).
 */
export function templateFileVars(vars: Vars, fileVars: Vars | undefined): Vars {
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(vars)) as Vars;
  for (const [k, value] of Object.entries(fileVars ?? {}))
    Object.defineProperty(out, k, { value, enumerable: true, configurable: true, writable: true });
  return out;
}

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
