import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ProvisionError } from '../errors.js';
import type { ControllerFiles } from '../modules/types.js';

/** Ansible's search path for `src`: files/ and templates/ beside the playbook, the playbook's folder, then the project's. */
export function controllerFiles(playbookDir: string): ControllerFiles {
  const candidates = (p: string) =>
    isAbsolute(p)
      ? [p]
      : [
          join(playbookDir, 'files', p),
          join(playbookDir, 'templates', p),
          join(playbookDir, p),
          join(playbookDir, '..', 'files', p),
          join(playbookDir, '..', p),
        ];
  const resolve = (p: string): string => {
    const found = candidates(p).find((c) => existsSync(c));
    if (!found) {
      throw new ProvisionError('input', `source file "${p}" not found`, { hint: `looked in: ${candidates(p).join(', ')}` });
    }
    return found;
  };
  return {
    resolve,
    readBytes: (p) => readFileSync(resolve(p)),
    readText: (p) => readFileSync(resolve(p), 'utf8'),
  };
}
