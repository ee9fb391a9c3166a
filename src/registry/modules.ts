// Every module, built-in and job-owned, listed in one place. It sits above src/modules so that a
// job's own modules (the keepalived lint) can live with their job without modules importing jobs.

import { keepalivedClusterLint } from '../keepalived/cluster-lint-module.js';
import { addHost } from '../modules/add-host.js';
import { apt } from '../modules/apt.js';
import { aptKey } from '../modules/apt-key.js';
import { aptRepository } from '../modules/apt-repository.js';
import { assemble } from '../modules/assemble.js';
import { assertModule } from '../modules/assert.js';
import { authorizedKey } from '../modules/authorized-key.js';
import { blockinfile } from '../modules/blockinfile.js';
import { command, shell } from '../modules/command.js';
import { copy } from '../modules/copy.js';
import { cron } from '../modules/cron.js';
import { deb822Repository } from '../modules/deb822-repository.js';
import { debconf } from '../modules/debconf.js';
import { debug, meta, setFact } from '../modules/debug.js';
import { dpkgSelections } from '../modules/dpkg-selections.js';
import { fail } from '../modules/fail.js';
import { fetch } from '../modules/fetch.js';
import { file } from '../modules/file.js';
import { find } from '../modules/find.js';
import { getUrl } from '../modules/get-url.js';
import { getent } from '../modules/getent.js';
import { gitModule } from '../modules/git.js';
import { group } from '../modules/group.js';
import { groupBy } from '../modules/group-by.js';
import { hostname } from '../modules/hostname.js';
import { includeVars } from '../modules/include-vars.js';
import { iniFile } from '../modules/ini-file.js';
import { knownHosts } from '../modules/known-hosts.js';
import { lineinfile } from '../modules/lineinfile.js';
import { localeGen } from '../modules/locale-gen.js';
import { mount } from '../modules/mount.js';
import { packageModule } from '../modules/package.js';
import { packageFacts } from '../modules/package-facts.js';
import { pamLimits } from '../modules/pam-limits.js';
import { pamd } from '../modules/pamd.js';
import { pause } from '../modules/pause.js';
import { raw } from '../modules/raw.js';
import { reboot } from '../modules/reboot.js';
import { replace } from '../modules/replace.js';
import { script } from '../modules/script.js';
import { serviceFacts } from '../modules/service-facts.js';
import { setup } from '../modules/setup.js';
import { slurp } from '../modules/slurp.js';
import { stat } from '../modules/stat.js';
import { sysctl } from '../modules/sysctl.js';
import { service, systemd } from '../modules/systemd.js';
import { tempfile } from '../modules/tempfile.js';
import { template } from '../modules/template.js';
import { timezone } from '../modules/timezone.js';
import type { Module } from '../modules/types.js';
import { ufw } from '../modules/ufw.js';
import { unarchive } from '../modules/unarchive.js';
import { uri } from '../modules/uri.js';
import { user } from '../modules/user.js';
import { waitFor } from '../modules/wait-for.js';

const modules: Module[] = [
  apt,
  aptKey,
  aptRepository,
  deb822Repository,
  debconf,
  dpkgSelections,
  packageFacts,
  serviceFacts,
  assemble,
  assertModule,
  authorizedKey,
  group,
  packageModule,
  user,
  blockinfile,
  iniFile,
  replace,
  slurp,
  stat,
  sysctl,
  ufw,
  command,
  shell,
  copy,
  debug,
  meta,
  setFact,
  fetch,
  file,
  find,
  getUrl,
  includeVars,
  lineinfile,
  mount,
  service,
  systemd,
  template,
  tempfile,
  unarchive,
  reboot,
  waitFor,
  // flow and network
  fail,
  raw,
  script,
  pause,
  addHost,
  groupBy,
  setup,
  uri,
  gitModule,
  keepalivedClusterLint,
  // system (issue 12)
  cron,
  hostname,
  timezone,
  localeGen,
  knownHosts,
  getent,
  pamLimits,
  pamd,
] as Module[];
const byName = new Map(modules.flatMap((m) => [m.name, ...(m.aliases ?? [])].map((n) => [n, m] as const)));

/**
 * Look a module up by its short name or its fully qualified one: `ansible.builtin.` (or
 * `ansible.legacy.`) for the built-in ones, the module's own collection for the others
 * (`ansible.posix.sysctl`, `community.general.ini_file`).
 */
export function findModule(name: string): Module | undefined {
  const fq = /^(ansible\.builtin|ansible\.legacy|ansible\.posix|community\.general)\.(\w+)$/.exec(name);
  if (!fq) return byName.get(name);
  const [, collection, short = ''] = fq;
  const m = byName.get(short);
  if (!m || collection === 'ansible.legacy') return m;
  return (m.collection ?? 'ansible.builtin') === collection ? m : undefined;
}

export function moduleNames(): string[] {
  return [...byName.keys()].sort();
}

export function allModules(): readonly Module[] {
  return modules;
}
