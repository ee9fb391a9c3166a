import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * Every file on the controller a run read to decide (inventories, playbooks, vars, templates, files),
 * by absolute path, with the sha256 of the bytes read: a saved plan names its inputs with these.
 * One list per process, as the secret registry: the loaders and the engine note, `provision plan` reads.
 *
 * A file read while a host's tasks run (a template, a `lookup('file')`, an included tasks file) is
 * that host's input; one read outside any host (loading the inventory and the playbook) is every
 * host's. A changed input then refuses only the hosts that read it.
 */
export interface InputFile {
  sha256: string;
  /** The hosts whose tasks read it; undefined: every host (read while loading, or outside any host). */
  hosts?: ReadonlySet<string>;
}

const read = new Map<string, { sha256: string; hosts?: Set<string> }>();
const readingHost = new AsyncLocalStorage<string>();
let attributing = false;

export function noteInputFile(path: string, content: string | Buffer): void {
  const abs = resolve(path);
  const host = attributing ? readingHost.getStore() : undefined;
  const known = read.get(abs);
  if (!known) read.set(abs, { sha256: sha256(content), hosts: host === undefined ? undefined : new Set([host]) });
  else if (host === undefined) known.hosts = undefined;
  else known.hosts?.add(host);
}

export function inputFilesRead(): ReadonlyMap<string, InputFile> {
  return read;
}

/**
 * Run a host's part of the run: the files read inside are its inputs. Only a run that records a plan
 * turns this on (attributeInputsToHosts): async context tracking costs every other run a little.
 */
export function readingFor<T>(host: string, fn: () => T): T {
  return attributing ? readingHost.run(host, fn) : fn();
}

/** From now on, files read inside readingFor are noted as that host's. */
export function attributeInputsToHosts(on: boolean): void {
  attributing = on;
}

/** Start a new list: a process that loads more than one run (the tests) names only this run's inputs. */
export function forgetInputFiles(): void {
  read.clear();
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
