import { z } from 'zod';
import { commandLine } from '../shell/quote.js';
import { yesNo } from './common-args.js';
import { type Change, defineModule } from './types.js';

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

/** Written after every successful update, as Ansible does, so freshness survives unchanged lists. */
const STAMP = '/var/lib/apt/periodic/update-success-stamp';

export interface AptFacts {
  installed: Map<string, string>;
  candidates: Map<string, string>;
  cacheAge: number;
}

export function aptFactsCommand(names: string[], latest: boolean): string {
  const q = commandLine(names);
  return [
    names.length ? `dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' ${q} 2>/dev/null` : 'true',
    latest && names.length
      ? `LC_ALL=C apt-cache policy ${q} 2>/dev/null | sed -n 's/^\\([^ ].*\\):$/@pkg \\1/p; s/^  Candidate: /@cand /p'`
      : 'true',
    `echo "@age $(( $(date +%s) - $(stat -c %Y ${STAMP} 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0) ))"`,
  ].join('; ');
}

export function parseAptFacts(stdout: string): AptFacts {
  const installed = new Map<string, string>();
  const candidates = new Map<string, string>();
  let cacheAge = Infinity;
  let pkg = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@pkg ')) pkg = line.slice(5);
    else if (line.startsWith('@cand ')) candidates.set(pkg, line.slice(6));
    else if (line.startsWith('@age ')) cacheAge = Number(line.slice(5));
    else {
      const [name, status, version] = line.split('\t');
      if (name && status?.startsWith('ii')) installed.set(name.replace(/:.*$/, ''), version);
    }
  }
  return { installed, candidates, cacheAge };
}

/** Pure decision: which packages to install or remove, and whether the lists need updating. */
export function decideApt(a: AptArgs, facts: AptFacts): Change[] {
  const names = [a.name ?? a.pkg ?? []].flat();
  const base = (n: string) => n.replace(/=.*$/, '');
  const env = ['env', 'DEBIAN_FRONTEND=noninteractive'];
  const aptGet = [...env, 'apt-get', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300'];
  let todo: string[] = [];
  let remove: string[] = [];
  if (a.state === 'present') todo = names.filter((n) => !facts.installed.has(base(n)));
  if (a.state === 'latest')
    todo = names.filter(
      (n) =>
        facts.installed.get(base(n)) !== (facts.candidates.get(base(n)) ?? facts.installed.get(base(n))) || !facts.installed.has(base(n)),
    );
  if (a.state === 'absent') remove = names.filter((n) => facts.installed.has(base(n)));

  const changes: Change[] = [];
  const stale = a.cache_valid_time === undefined ? names.length === 0 : facts.cacheAge > a.cache_valid_time;
  if (a.update_cache && (stale || todo.length > 0)) {
    changes.push({
      kind: 'exec',
      command: `${commandLine([...env, 'apt-get', 'update', '-q'])} && mkdir -p /var/lib/apt/periodic && touch ${STAMP}`,
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
    const r = await reader.read(aptFactsCommand(names, args.state === 'latest'));
    const changes = decideApt(args, parseAptFacts(r.stdout));
    return { changes, msg: changes.length ? undefined : 'all packages in the wanted state' };
  },
});
