// Every module, built-in and job-owned, listed in one place. It sits above src/modules so that a
// job's own modules (the keepalived lint) can live with their job without modules importing jobs.
import { keepalivedClusterLint } from '../keepalived/cluster-lint-module.js';
import { apt } from '../modules/apt.js';
import { assertModule } from '../modules/assert.js';
import { command, shell } from '../modules/command.js';
import { copy } from '../modules/copy.js';
import { debug, meta, setFact } from '../modules/debug.js';
import { file } from '../modules/file.js';
import { getUrl } from '../modules/get-url.js';
import { includeVars } from '../modules/include-vars.js';
import { lineinfile } from '../modules/lineinfile.js';
import { service, systemd } from '../modules/systemd.js';
import { template } from '../modules/template.js';
import type { Module } from '../modules/types.js';
import { unarchive } from '../modules/unarchive.js';
import { waitFor } from '../modules/wait-for.js';

const modules: Module[] = [
  apt,
  assertModule,
  command,
  shell,
  copy,
  debug,
  meta,
  setFact,
  file,
  getUrl,
  includeVars,
  lineinfile,
  service,
  systemd,
  template,
  unarchive,
  waitFor,
  keepalivedClusterLint,
] as Module[];
const byName = new Map(modules.map((m) => [m.name, m]));

/** Look a module up by its short or `ansible.builtin.` name. */
export function findModule(name: string): Module | undefined {
  return byName.get(name.replace(/^ansible\.(builtin|legacy)\./, ''));
}

export function moduleNames(): string[] {
  return [...byName.keys()].sort();
}

export function allModules(): readonly Module[] {
  return modules;
}
