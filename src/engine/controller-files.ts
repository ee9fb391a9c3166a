import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { readVarsFile } from '../config/role.js';
import { noteInputFile } from '../core/input-files.js';
import { ProvisionError } from '../errors.js';
import type { ControllerFiles } from '../modules/types.js';

/** Where a task's relative `src` is looked for, beyond the playbook's own places. */
export interface FileSearch {
  /** The task's role: its templates/ or files/ (the module's kind) come first. */
  roleDir?: string;
  /** templates, files or vars: the folder of the role (and of the playbook) for this module. */
  sub?: string;
  /** The folder of the tasks file the task is written in. */
  taskDir?: string;
}

/**
 * Ansible's search path for `src`: in a role, the role's templates/ (or files/, vars/), the role, its
 * tasks/; then the including tasks file's folder; then files/ and templates/ beside the playbook, the
 * playbook's folder, then the project's.
 */
/** What a task read on the controller is an input of the run (src/core/input-files.ts). */
function noted<T extends string | Buffer>(path: string, content: T): T {
  noteInputFile(path, content);
  return content;
}

export function controllerFiles(playbookDir: string, search: FileSearch = {}): ControllerFiles {
  const { roleDir, sub, taskDir } = search;
  const candidates = (p: string) =>
    isAbsolute(p)
      ? [p]
      : [
          ...(roleDir ? [...(sub ? [join(roleDir, sub, p)] : []), join(roleDir, p), join(roleDir, 'tasks', p)] : []),
          ...(taskDir && taskDir !== playbookDir ? [...(sub ? [join(taskDir, sub, p)] : []), join(taskDir, p)] : []),
          ...(sub === 'vars' ? [join(playbookDir, 'vars', p)] : []),
          join(playbookDir, 'files', p),
          join(playbookDir, 'templates', p),
          join(playbookDir, p),
          join(playbookDir, '..', 'files', p),
          join(playbookDir, '..', p),
        ];
  const find = (p: string) => candidates(p).find((c) => existsSync(c));
  const resolve = (p: string): string => {
    const found = find(p);
    if (!found) {
      throw new ProvisionError('input', `source file "${p}" not found`, { hint: `looked in: ${candidates(p).join(', ')}` });
    }
    return found;
  };
  return {
    resolve,
    exists: (p) => find(p) !== undefined,
    dwim: (p) => (isAbsolute(p) ? p : join(playbookDir, p)),
    readBytes: (p) => noted(resolve(p), readFileSync(resolve(p))),
    readText: (p) => noted(resolve(p), readFileSync(resolve(p), 'utf8')),
    readVars: (p) => readVarsFile(resolve(p)),
    listFiles: (p) => {
      const root = resolve(p);
      const walk = (d: string): string[] =>
        readdirSync(d)
          .sort()
          .flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
      return statSync(root).isDirectory() ? walk(root).map((f) => relative(root, f)) : [];
    },
    walk: (p) => {
      const root = resolve(p);
      if (!statSync(root).isDirectory()) return null;
      const tree = { dirs: [] as string[], files: [] as string[] };
      const visit = (d: string): void => {
        for (const f of readdirSync(d).sort()) {
          const full = join(d, f);
          if (statSync(full).isDirectory()) {
            tree.dirs.push(relative(root, full));
            visit(full);
          } else tree.files.push(relative(root, full));
        }
      };
      visit(root);
      return { dirs: tree.dirs.sort(), files: tree.files.sort() };
    },
  };
}
