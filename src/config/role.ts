import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { Vars } from '../core/vars.js';
import { inputError, type SourceLocation } from '../errors.js';
import { secrets } from '../secrets.js';
import { YamlSource } from './source.js';

/**
 * A role's layout on disk, as Ansible reads it: tasks/, handlers/, defaults/, vars/, meta/
 * (each `main.yml`, `main.yaml` or `main`, or a named file for tasks_from & co), templates/ and files/.
 */
export interface RoleFiles {
  name: string;
  path: string;
}

/**
 * Where roles are looked for, as Ansible does: `roles/` beside the playbook, the configured roles_path
 * (ansible.cfg or ANSIBLE_ROLES_PATH, resolved by the caller; ANSIBLE_ROLES_PATH alone when none is given),
 * then the playbook's own directory.
 */
export function roleSearchPath(playbookDir: string, rolesPath?: readonly string[]): string[] {
  const configured = rolesPath ?? (process.env.ANSIBLE_ROLES_PATH ?? '').split(':').filter(Boolean);
  return [join(playbookDir, 'roles'), ...configured.map((p) => resolve(playbookDir, p)), playbookDir];
}

/** Find a role by name (`ntp`, `owner.ntp`) or path; an unknown role names every place looked in. */
export function findRole(name: string, searchPath: readonly string[], location: SourceLocation): RoleFiles {
  if (name.includes('/') || isAbsolute(name)) {
    const p = resolve(searchPath.at(-1) ?? '.', name);
    if (isDir(p)) return { name: basename(p), path: p };
    throw inputError(`role "${name}" not found at ${p}`, location, 'check the path, relative to the playbook');
  }
  for (const dir of searchPath) {
    const p = join(dir, name);
    if (isDir(p)) return { name, path: p };
  }
  if (name.split('.').length === 3) {
    throw inputError(
      `role "${name}" is a collection role: collections are not supported yet`,
      location,
      `install the role as a directory named ${name.split('.').slice(1).join('.')} under roles/ beside the playbook`,
    );
  }
  throw inputError(`role "${name}" not found`, location, `looked in: ${searchPath.map((d) => join(d, name)).join(', ')}`);
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** `tasks/main.yml` or `tasks/<from>.yml` (any of .yml, .yaml, no extension); undefined when the role has none. */
export function roleFile(role: RoleFiles, sub: string, from = 'main'): string | undefined {
  const base = join(role.path, sub, from);
  return [base, `${base}.yml`, `${base}.yaml`].find((p) => existsSync(p) && statSync(p).isFile());
}

/** The variables of a role's defaults/ or vars/: the named file, or every file of a `main/` directory. */
export function roleVars(role: RoleFiles, sub: 'defaults' | 'vars', from: string | undefined, location: SourceLocation): Vars {
  const file = roleFile(role, sub, from);
  if (file) return readVarsFile(file, location);
  const dir = join(role.path, sub, from ?? 'main');
  if (isDir(dir)) {
    return Object.assign(
      {},
      ...readdirSync(dir)
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .sort()
        .map((f) => readVarsFile(join(dir, f), location)),
    );
  }
  if (from !== undefined) throw inputError(`role ${role.name} has no ${sub}/${from}`, location, `look in ${join(role.path, sub)}`);
  return {};
}

/** A YAML file of variables (vault-encrypted ones too); an empty file is no variables. */
export function readVarsFile(file: string, location?: SourceLocation): Vars {
  const src = YamlSource.fromFile(file);
  if (src.value === null || src.value === undefined) return {};
  if (typeof src.value !== 'object' || Array.isArray(src.value)) {
    throw inputError(`${file} must be a mapping of variables`, location ?? src.locate([]), 'write "name: value" lines');
  }
  const vars = src.value as Vars;
  secrets.collect(vars);
  return vars;
}

export interface RoleMeta {
  dependencies: { entry: unknown; src: YamlSource; path: (string | number)[] }[];
  allowDuplicates: boolean;
}

/** meta/main.yml: the roles this one depends on, and whether it may run more than once in a play. */
export function roleMeta(role: RoleFiles): RoleMeta {
  const file = roleFile(role, 'meta');
  if (!file) return { dependencies: [], allowDuplicates: false };
  const src = YamlSource.fromFile(file);
  const v = (src.value ?? {}) as Record<string, unknown>;
  const deps = Array.isArray(v.dependencies) ? v.dependencies : [];
  return {
    dependencies: deps.map((entry, i) => ({ entry, src, path: ['dependencies', i] })),
    allowDuplicates: v.allow_duplicates === true || ['yes', 'true', 'on'].includes(String(v.allow_duplicates).toLowerCase()),
  };
}
