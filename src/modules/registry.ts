// Job modules live with their job; the registry is where every module is listed.
import { keepalivedClusterLint } from '../keepalived/cluster-lint-module.js';
import { apt } from './apt.js';
import { assertModule } from './assert.js';
import { command, shell } from './command.js';
import { copy } from './copy.js';
import { debug, meta, setFact } from './debug.js';
import { file } from './file.js';
import { getUrl } from './get-url.js';
import { lineinfile } from './lineinfile.js';
import { service, systemd } from './systemd.js';
import { template } from './template.js';
import type { Module } from './types.js';
import { unarchive } from './unarchive.js';
import { waitFor } from './wait-for.js';

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
