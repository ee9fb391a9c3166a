// Every module, built-in and job-owned, listed in one place. It sits above src/modules so that a
// job's own modules (the keepalived lint) can live with their job without modules importing jobs.

import { keepalivedClusterLint } from '../keepalived/cluster-lint-module.js';
import { apt } from '../modules/apt.js';
import { assemble } from '../modules/assemble.js';
import { assertModule } from '../modules/assert.js';
import { authorizedKey } from '../modules/authorized-key.js';
import { blockinfile } from '../modules/blockinfile.js';
import { command, shell } from '../modules/command.js';
import { copy } from '../modules/copy.js';
import { debug, meta, setFact } from '../modules/debug.js';
import { fetch } from '../modules/fetch.js';
import { file } from '../modules/file.js';
import { find } from '../modules/find.js';
import { getUrl } from '../modules/get-url.js';
import { group } from '../modules/group.js';
import { includeVars } from '../modules/include-vars.js';
import { iniFile } from '../modules/ini-file.js';
import { lineinfile } from '../modules/lineinfile.js';
import { mount } from '../modules/mount.js';
import { packageModule } from '../modules/package.js';
import { reboot } from '../modules/reboot.js';
import { replace } from '../modules/replace.js';
import { slurp } from '../modules/slurp.js';
import { stat } from '../modules/stat.js';
import { sysctl } from '../modules/sysctl.js';
import { service, systemd } from '../modules/systemd.js';
import { tempfile } from '../modules/tempfile.js';
import { template } from '../modules/template.js';
import type { Module } from '../modules/types.js';
import { unarchive } from '../modules/unarchive.js';
import { user } from '../modules/user.js';
import { waitFor } from '../modules/wait-for.js';

const modules: Module[] = [
  apt,
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
  keepalivedClusterLint,
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
