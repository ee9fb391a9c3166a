import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * Every file on the controller a run read to decide (inventories, playbooks, vars, templates, files),
 * by absolute path, with the sha256 of the bytes read: a saved plan names its inputs with these.
 * One list per process, as the secret registry: the loaders and the engine note, `provision plan` reads.
 */
const read = new Map<string, string>();

export function noteInputFile(path: string, content: string | Buffer): void {
  const abs = resolve(path);
  if (!read.has(abs)) read.set(abs, sha256(content));
}

export function inputFilesRead(): ReadonlyMap<string, string> {
  return read;
}

/** Start a new list: a process that loads more than one run (the tests) names only this run's inputs. */
export function forgetInputFiles(): void {
  read.clear();
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
