import type { Vars } from '../core/vars.js';
import { inputError } from '../errors.js';
import type { Flag } from './keywords.js';
import type { PathKey, YamlSource } from './source.js';

/** One `environment:` as written: a mapping (values may be templates) or a template of a whole mapping. */
export type EnvLayer = Record<string, unknown> | string;

/** A role a task belongs to: where it lives and its own variables. */
export interface RoleContext {
  name: string;
  path: string;
  /** defaults/ (lowest of all layers) and vars/ (above play vars_files) of the role and its entry. */
  defaults: Vars;
  vars: Vars;
}

/**
 * What a play, block, role or include hands down to the tasks inside it. Ansible evaluates a
 * block's `when` for each task of the block: the conditions are appended to each task's own.
 */
export interface Scope {
  when: (string | boolean)[];
  tags: string[];
  vars: Vars;
  params: Vars;
  environment: EnvLayer[];
  become?: Flag;
  becomeUser?: string;
  becomeMethod?: string;
  becomeFlags?: string;
  becomeExe?: string;
  ignoreErrors?: Flag;
  noLog?: Flag;
  checkMode?: Flag;
  role?: RoleContext;
  /** Where relative include paths start. */
  dir: string;
}

/**
 * A role imported or included from inside another role: its tasks see the roles that brought it in,
 * nearest first, as Ansible's ansible_parent_role_names and ansible_parent_role_paths (include
 * parameters; a role's dependencies, and roles the play names, have none).
 */
export function withParentRole(scope: Scope): Scope {
  const parent = scope.role;
  if (!parent) return scope;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  return {
    ...scope,
    params: {
      ...scope.params,
      ansible_parent_role_names: [parent.name, ...list(scope.params.ansible_parent_role_names)],
      ansible_parent_role_paths: [parent.path, ...list(scope.params.ansible_parent_role_paths)],
    },
  };
}

export function rootScope(dir: string): Scope {
  return { when: [], tags: [], vars: {}, params: {}, environment: [], dir };
}

/** The keywords a block, role entry, include or task adds to what it inherits. */
export interface ScopeKeywords {
  when?: (string | boolean)[];
  tags?: string[];
  vars?: Vars | null;
  environment?: EnvLayer | null;
  become?: Flag;
  become_user?: string;
  become_method?: string;
  become_flags?: string;
  become_exe?: string;
  ignore_errors?: Flag;
  no_log?: Flag;
  check_mode?: Flag;
}

export function childScope(parent: Scope, kw: ScopeKeywords, src: YamlSource, path: PathKey[]): Scope {
  if (kw.environment !== undefined && kw.environment !== null && typeof kw.environment === 'string' && !kw.environment.includes('{{')) {
    throw inputError(
      'environment must be a mapping of variable names to values',
      src.locate([...path, 'environment']),
      'write environment: { NAME: value }',
    );
  }
  return {
    ...parent,
    when: [...parent.when, ...(kw.when ?? [])],
    tags: [...new Set([...parent.tags, ...(kw.tags ?? [])])],
    vars: { ...parent.vars, ...(kw.vars ?? {}) },
    environment: kw.environment === undefined || kw.environment === null ? parent.environment : [...parent.environment, kw.environment],
    become: kw.become ?? parent.become,
    becomeUser: kw.become_user ?? parent.becomeUser,
    becomeMethod: kw.become_method ?? parent.becomeMethod,
    becomeFlags: kw.become_flags ?? parent.becomeFlags,
    becomeExe: kw.become_exe ?? parent.becomeExe,
    ignoreErrors: kw.ignore_errors ?? parent.ignoreErrors,
    noLog: kw.no_log ?? parent.noLog,
    checkMode: kw.check_mode ?? parent.checkMode,
  };
}
