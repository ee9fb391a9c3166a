import { z } from 'zod';
import type { Change, Plan } from '../core/plan.js';
import { aptAutoremovable } from '../reads/apt-autoremovable.js';
import { APT_UPDATE_STAMP, type AptPackages, aptPackages } from '../reads/apt-packages.js';
import { type AptSimulation, aptSimulation } from '../reads/apt-simulation.js';
import { type DebFile, debFile } from '../reads/deb-file.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

/** upgrade as Ansible takes it: one of its words, or a YAML boolean (yes/no). */
const upgradeArg = z
  .union([z.enum(['dist', 'full', 'no', 'safe', 'yes']), z.boolean()])
  .transform((v) => (v === true ? 'yes' : v === false ? 'no' : v));

const schema = withAliases(
  {
    name: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .optional()
      .describe('package name or list of names (name=version pins a version)'),
    state: z.enum(['present', 'absent', 'latest']).default('present'),
    update_cache: yesNo.optional().describe('run apt-get update first (when stale or when something must be installed)'),
    cache_valid_time: z.coerce.number().int().min(0).optional().describe('seconds the package lists count as fresh'),
    install_recommends: yesNo.optional(),
    purge: yesNo.optional(),
    autoremove: yesNo.optional().describe('remove packages nothing needs any more (alone, or with an install or removal)'),
    autoclean: yesNo.optional().describe('remove downloaded .deb files that can no longer be downloaded (without name)'),
    default_release: z.string().min(1).optional().describe('the release to install from (apt-get -t)'),
    force_apt_get: yesNo.optional().describe('accepted for Ansible: provision always uses apt-get (never aptitude)'),
    dpkg_options: z.string().optional().describe('dpkg options, comma-separated (default force-confdef,force-confold, as Ansible)'),
    deb: z
      .string()
      .min(1)
      .optional()
      .describe('a .deb file on the host to install with dpkg -i (when its version is not the installed one)'),
    upgrade: upgradeArg.default('no').describe('dist (dist-upgrade), full, safe or yes (upgrade --with-new-pkgs), no'),
    only_upgrade: yesNo.optional().describe('only upgrade packages already installed; install none'),
    allow_downgrade: yesNo.optional().describe('let apt-get install an older version than the installed one (name=version)'),
    policy_rc_d: z.coerce
      .number()
      .int()
      .min(0)
      .max(255)
      .optional()
      .describe('exit code of /usr/sbin/policy-rc.d while apt runs (101: start no service)'),
  },
  {
    pkg: 'name',
    package: 'name',
    'update-cache': 'update_cache',
    'default-release': 'default_release',
    'install-recommends': 'install_recommends',
    'allow-downgrade': 'allow_downgrade',
    allow_downgrades: 'allow_downgrade',
    'allow-downgrades': 'allow_downgrade',
  },
)
  .refine((a) => [a.deb !== undefined, a.name !== undefined, a.upgrade !== 'no'].filter(Boolean).length <= 1, {
    message: 'parameters are mutually exclusive: deb|package|upgrade',
  })
  .refine((a) => a.deb === undefined || !a.deb.includes('://'), {
    message: 'deb from a URL is not supported: download it with get_url first',
  });
export type AptArgs = z.infer<typeof schema>;

/** What the planner read: the packages, and the simulations and .deb file the arguments asked about. */
export interface AptFacts {
  packages: AptPackages;
  autoremovable?: string[];
  simulation?: AptSimulation;
  deb?: DebFile;
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/** Ansible's PolicyRcD: while the command runs, policy-rc.d exits with the code (an existing one is put back after). */
export function withPolicyRcD(command: string, code: number | undefined): string {
  if (code === undefined) return command;
  return [
    `b=; if [ -e ${POLICY_RC_D} ]; then b=$(mktemp -d) && mv ${POLICY_RC_D} "$b"/; fi`,
    `printf '#!/bin/sh\\nexit %d\\n' ${code} > ${POLICY_RC_D} && chmod 0755 ${POLICY_RC_D}`,
    `${command}; rc=$?`,
    `if [ -n "$b" ]; then mv "$b"/policy-rc.d ${POLICY_RC_D}; rmdir "$b"; else rm -f ${POLICY_RC_D}; fi`,
    'exit $rc',
  ].join('\n');
}

/** apt-get update, and the stamp that tells later tasks how fresh the lists are. */
export function aptUpdateChange(): Change {
  return {
    kind: 'exec',
    command: `${commandLine(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-q'])} && mkdir -p /var/lib/apt/periodic && touch ${APT_UPDATE_STAMP}`,
    description: 'update package lists',
    streamOutput: true,
  };
}

/** A `name=version` spec is installed when that version is (apt's `*` wildcards allowed); a bare name when any is. */
function isInstalled(spec: string, installed: Record<string, string>): boolean {
  const eq = spec.indexOf('=');
  const name = eq < 0 ? spec : spec.slice(0, eq);
  if (!Object.hasOwn(installed, name)) return false;
  if (eq < 0) return true;
  const glob = new RegExp(
    `^${spec
      .slice(eq + 1)
      .replace(/[.+^${}()|[\]\\?]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  return glob.test(installed[name] ?? '');
}

/** The apt-get operation an upgrade argument runs: dist and full are dist-upgrade, safe and yes upgrade --with-new-pkgs. */
function upgradeOperation(a: AptArgs): 'dist-upgrade' | 'upgrade' | undefined {
  if (a.upgrade === 'no') return undefined;
  return a.upgrade === 'dist' || a.upgrade === 'full' ? 'dist-upgrade' : 'upgrade';
}

/** Pure decision: which packages to install or remove, and whether the lists need updating. */
export function decideApt(a: AptArgs, facts: AptFacts): Change[] {
  const { packages } = facts;
  const names = [a.name ?? []].flat();
  const base = (n: string) => n.replace(/=.*$/, '');
  const env = ['env', 'DEBIAN_FRONTEND=noninteractive'];
  const dpkgOptions = (a.dpkg_options ?? 'force-confdef,force-confold').split(',').filter(Boolean);
  const dpkg = dpkgOptions.flatMap((o) => ['-o', `Dpkg::Options::=--${o}`]);
  const release = a.default_release ? ['-t', a.default_release] : [];
  const autoremove = a.autoremove ? ['--auto-remove'] : [];
  const downgrade = a.allow_downgrade ? ['--allow-downgrades'] : [];
  const aptGet = [...env, 'apt-get', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300', ...dpkg];
  const run = (argv: string[], description: string): Change => ({
    kind: 'exec',
    command: withPolicyRcD(commandLine(argv), a.policy_rc_d),
    description,
    streamOutput: true,
  });

  const changes: Change[] = [];
  // Alone, update_cache updates; beside other work, only when that work has something to do (Ansible then
  // reports an upgrade that finds nothing as ok, whatever the update did).
  const alone = names.length === 0 && a.deb === undefined && a.upgrade === 'no';
  const stale = a.cache_valid_time === undefined ? alone : (packages.cacheAge ?? Number.POSITIVE_INFINITY) > a.cache_valid_time;
  const installed = (n: string) => Object.hasOwn(packages.installed, base(n));
  let todo: string[] = [];
  let remove: string[] = [];
  if (a.state === 'present') todo = names.filter((n) => !isInstalled(n, packages.installed) && !(a.only_upgrade && !installed(n)));
  if (a.state === 'latest')
    todo = names.filter((n) =>
      installed(n) ? packages.installed[base(n)] !== (packages.candidates[base(n)] ?? packages.installed[base(n)]) : !a.only_upgrade,
    );
  if (a.state === 'absent') remove = names.filter(installed);
  const upgrades = a.upgrade !== 'no' && (facts.simulation?.packages.length ?? 0) > 0;
  if (a.update_cache && (stale || todo.length > 0 || upgrades)) changes.push(aptUpdateChange());

  // As Ansible: an upgrade, a .deb or an autoclean ends the task; nothing after it runs.
  if (a.upgrade !== 'no') {
    if (!facts.simulation?.packages.length) return changes;
    const op = upgradeOperation(a) === 'dist-upgrade' ? ['dist-upgrade'] : ['upgrade', '--with-new-pkgs'];
    changes.push(run([...aptGet, ...downgrade, ...op, ...autoremove, ...release], `${op[0]} ${facts.simulation.packages.join(' ')}`));
    return changes;
  }
  if (a.deb !== undefined) {
    const deb = facts.deb;
    if (!deb || deb.installed === deb.version) return changes;
    changes.push(
      run([...env, 'dpkg', ...dpkgOptions.map((o) => `--${o}`), '-i', a.deb], `install ${deb.name} ${deb.version} from ${a.deb}`),
    );
    return changes;
  }
  if (!names.length && a.autoclean) {
    if (facts.simulation?.packages.length)
      changes.push(run([...aptGet, ...(a.purge ? ['--purge'] : []), 'autoclean'], `autoclean ${facts.simulation.packages.join(' ')}`));
    return changes;
  }
  if (todo.length) {
    const flags = a.install_recommends === false ? ['--no-install-recommends'] : a.install_recommends ? ['--install-recommends'] : [];
    const only = a.only_upgrade ? ['--only-upgrade'] : [];
    changes.push(
      run([...aptGet, ...release, 'install', ...flags, ...only, ...downgrade, ...autoremove, ...todo], `install ${todo.join(' ')}`),
    );
  }
  if (remove.length) changes.push(run([...aptGet, a.purge ? 'purge' : 'remove', ...autoremove, ...remove], `remove ${remove.join(' ')}`));
  const autoremovable = facts.autoremovable ?? [];
  if (a.autoremove && !todo.length && !remove.length && autoremovable.length)
    changes.push(run([...aptGet, 'autoremove', ...(a.purge ? ['--purge'] : [])], `autoremove ${autoremovable.join(' ')}`));
  return changes;
}

export const apt = defineModule({
  name: 'apt',
  schema,
  async plan({ args, reader }): Promise<Plan> {
    const names = [args.name ?? []].flat().map((n) => n.replace(/=.*$/, ''));
    const operation = upgradeOperation(args) ?? (args.autoclean && !names.length && !args.deb ? 'autoclean' : undefined);
    // One round trip (gets asked in the same tick): the packages, and what the arguments need besides.
    const [packages, autoremovable, simulation, deb] = await Promise.all([
      reader.get(aptPackages, { names, latest: args.state === 'latest' }),
      args.autoremove ? reader.get(aptAutoremovable, {}) : undefined,
      operation ? reader.get(aptSimulation, { operation, ...(args.default_release ? { release: args.default_release } : {}) }) : undefined,
      args.deb ? reader.get(debFile, { path: args.deb }) : undefined,
    ]);
    if (args.deb !== undefined && args.state !== 'present') return { changes: [], failed: 'deb only supports state=present' };
    const changes = decideApt(args, { packages, autoremovable, simulation, deb });
    return { changes, msg: changes.length ? undefined : 'all packages in the wanted state' };
  },
});
