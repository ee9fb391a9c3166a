import { z } from 'zod';
import type { Change } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { aptAutoremovable } from '../reads/apt-autoremovable.js';
import { APT_UPDATE_STAMP, type AptPackages, aptPackages } from '../reads/apt-packages.js';
import { commandLine } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    name: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .optional()
      .describe('package name or list of names'),
    state: z.enum(['present', 'absent', 'latest']).default('present'),
    update_cache: yesNo.optional().describe('run apt-get update first (when stale or when something must be installed)'),
    cache_valid_time: z.coerce.number().int().min(0).optional().describe('seconds the package lists count as fresh'),
    install_recommends: yesNo.optional(),
    purge: yesNo.optional(),
    autoremove: yesNo.optional().describe('remove packages nothing needs any more (alone, or with an install or removal)'),
    default_release: z.string().min(1).optional().describe('the release to install from (apt-get -t)'),
    force_apt_get: yesNo.optional().describe('accepted for Ansible: provision always uses apt-get'),
    dpkg_options: z.string().optional().describe('dpkg options, comma-separated (default force-confdef,force-confold, as Ansible)'),
  },
  {
    pkg: 'name',
    package: 'name',
    'update-cache': 'update_cache',
    'default-release': 'default_release',
    'install-recommends': 'install_recommends',
  },
);
export type AptArgs = z.infer<typeof schema>;

/** Pure decision: which packages to install or remove, and whether the lists need updating. */
export function decideApt(a: AptArgs, facts: AptPackages, autoremovable: string[] = []): Change[] {
  const names = [a.name ?? []].flat();
  const base = (n: string) => n.replace(/=.*$/, '');
  const env = ['env', 'DEBIAN_FRONTEND=noninteractive'];
  const dpkg = (a.dpkg_options ?? 'force-confdef,force-confold')
    .split(',')
    .filter(Boolean)
    .flatMap((o) => ['-o', `Dpkg::Options::=--${o}`]);
  const release = a.default_release ? ['-t', a.default_release] : [];
  const autoremove = a.autoremove ? ['--auto-remove'] : [];
  const aptGet = [...env, 'apt-get', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300', ...dpkg];
  let todo: string[] = [];
  let remove: string[] = [];
  const installed = (n: string) => Object.hasOwn(facts.installed, base(n));
  if (a.state === 'present') todo = names.filter((n) => !installed(n));
  if (a.state === 'latest')
    todo = names.filter((n) => !installed(n) || facts.installed[base(n)] !== (facts.candidates[base(n)] ?? facts.installed[base(n)]));
  if (a.state === 'absent') remove = names.filter(installed);

  const changes: Change[] = [];
  const stale = a.cache_valid_time === undefined ? names.length === 0 : (facts.cacheAge ?? Infinity) > a.cache_valid_time;
  if (a.update_cache && (stale || todo.length > 0)) {
    changes.push({
      kind: 'exec',
      command: `${commandLine([...env, 'apt-get', 'update', '-q'])} && mkdir -p /var/lib/apt/periodic && touch ${APT_UPDATE_STAMP}`,
      description: 'update package lists',
      streamOutput: true,
    });
  }
  if (todo.length) {
    const flags = a.install_recommends === false ? ['--no-install-recommends'] : a.install_recommends ? ['--install-recommends'] : [];
    changes.push({
      kind: 'exec',
      command: commandLine([...aptGet, ...release, 'install', ...flags, ...autoremove, ...todo]),
      description: `install ${todo.join(' ')}`,
      streamOutput: true,
    });
  }
  if (remove.length) {
    changes.push({
      kind: 'exec',
      command: commandLine([...aptGet, a.purge ? 'purge' : 'remove', ...autoremove, ...remove]),
      description: `remove ${remove.join(' ')}`,
      streamOutput: true,
    });
  }
  if (a.autoremove && !todo.length && !remove.length && autoremovable.length) {
    changes.push({
      kind: 'exec',
      command: commandLine([...aptGet, 'autoremove', ...(a.purge ? ['--purge'] : [])]),
      description: `autoremove ${autoremovable.join(' ')}`,
      streamOutput: true,
    });
  }
  return changes;
}

export const apt = defineModule({
  name: 'apt',
  schema,
  async plan({ args, reader }) {
    const names = [args.name ?? []].flat().map((n) => n.replace(/=.*$/, ''));
    const [facts, autoremovable] = await reader.getAll([
      ask(aptPackages, { names, latest: args.state === 'latest' }),
      ...(args.autoremove ? [ask(aptAutoremovable, {})] : []),
    ] as const);
    const changes = decideApt(args, facts, autoremovable ?? []);
    return { changes, msg: changes.length ? undefined : 'all packages in the wanted state' };
  },
});
