import { z } from 'zod';
import type { Change } from '../core/plan.js';
import { APT_UPDATE_STAMP, type AptPackages, aptPackages } from '../reads/apt-packages.js';
import { commandLine } from '../shell/quote.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  name: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .describe('package name or list of names'),
  pkg: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .describe('alias of name'),
  state: z.enum(['present', 'absent', 'latest']).default('present'),
  update_cache: yesNo.optional().describe('run apt-get update first (when stale or when something must be installed)'),
  cache_valid_time: z.coerce.number().int().min(0).optional().describe('seconds the package lists count as fresh'),
  install_recommends: yesNo.optional(),
  purge: yesNo.optional(),
});
export type AptArgs = z.infer<typeof schema>;

/** Pure decision: which packages to install or remove, and whether the lists need updating. */
export function decideApt(a: AptArgs, facts: AptPackages): Change[] {
  const names = [a.name ?? a.pkg ?? []].flat();
  const base = (n: string) => n.replace(/=.*$/, '');
  const env = ['env', 'DEBIAN_FRONTEND=noninteractive'];
  const aptGet = [...env, 'apt-get', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300'];
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
      command: commandLine([...aptGet, 'install', ...flags, ...todo]),
      description: `install ${todo.join(' ')}`,
      streamOutput: true,
    });
  }
  if (remove.length) {
    changes.push({
      kind: 'exec',
      command: commandLine([...aptGet, a.purge ? 'purge' : 'remove', ...remove]),
      description: `remove ${remove.join(' ')}`,
      streamOutput: true,
    });
  }
  return changes;
}

export const apt = defineModule({
  name: 'apt',
  schema,
  async plan({ args, reader }) {
    const names = [args.name ?? args.pkg ?? []].flat().map((n) => n.replace(/=.*$/, ''));
    const changes = decideApt(args, await reader.get(aptPackages, { names, latest: args.state === 'latest' }));
    return { changes, msg: changes.length ? undefined : 'all packages in the wanted state' };
  },
});
