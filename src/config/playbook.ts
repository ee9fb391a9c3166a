import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { inputError, type SourceLocation } from '../errors.js';
import { BadSubsetError, resolveGatherSubset } from '../reads/facts/subset.js';
import { secrets } from '../secrets.js';
import { isTemplated } from '../template/render.js';
import type { Vars } from './inventory.js';
import { fixedFlag, flag, inheritedKeywords, isAnsibleKeyword, notSupportedYet, stringList } from './keywords.js';
import { type PlayConnection, parsePlayConnection, playConnectionKeyword } from './play-connection.js';
import { readVarsFile, roleSearchPath } from './role.js';
import { childScope, type RoleContext, rootScope } from './scope.js';
import { type PathKey, parseWith, YamlSource } from './source.js';
import { type PlayStrategy, parsePlayStrategy, strategyPlayKeywords } from './strategy-keywords.js';
import type { Task } from './task.js';
import { type Count, parseCount } from './task-limits.js';
import {
  type FlushNode,
  flattenHandlers,
  type LoadContext,
  newLoadContext,
  type PlaySection,
  parseRoles,
  parseTaskList,
  staticTasks,
  type TaskNode,
} from './task-list.js';

export type { Task } from './task.js';
export type { TaskNode } from './task-list.js';

export type Serial = (number | string)[];

export interface Play {
  name: string;
  hosts: string;
  vars: Vars;
  varsFiles: Vars;
  /** Unset when the play does not say (or says it with a template, decided per task). */
  become?: boolean;
  becomeUser?: string;
  gatherFacts: boolean;
  /** gather_subset as written (a comma-separated string is one word per part); unset gathers `all`. */
  gatherSubset?: string[];
  /** gather_timeout, in seconds. */
  gatherTimeout?: number;
  serial?: Serial;
  maxFailPercentage?: number;
  anyErrorsFatal: boolean;
  /** Handlers run even on a host that failed. */
  forceHandlers: boolean;
  /** Default `timeout` of the play's tasks (seconds). */
  timeout?: Count;
  /** strategy, order, throttle, ignore_unreachable. */
  strategy: PlayStrategy;
  /** `connection:` for the hosts whose variables do not set ansible_connection. */
  connection?: PlayConnection;
  /** pre_tasks, roles, tasks and post_tasks in Ansible's order, with the implicit handler flushes between them. */
  tasks: TaskNode[];
  handlers: Task[];
  /** The play's roles (and imported ones): their defaults and vars are seen by every task of the play. */
  roles: RoleContext[];
  /** Ansible's role_names (ansible_play_role_names): the roles `roles:` names, then those import_role brings in. */
  roleNames: string[];
  /** Roles brought in as dependencies (Ansible's ansible_dependent_role_names). */
  dependentRoleNames: string[];
  /** Variables vars_prompt asks for: from -e, or the default when there is no terminal (provision does not prompt). */
  varsPrompt: { name: string; default?: unknown; location: SourceLocation }[];
  /** What dynamic includes of this play load with. */
  loadContext: LoadContext;
  location: SourceLocation;
}

export interface Playbook {
  file: string;
  dir: string;
  plays: Play[];
}

export interface LoadOptions {
  /** Directories to look for roles in after `roles/` beside the playbook (ansible.cfg roles_path). */
  rolesPath?: string[];
}

const taskList = z.array(z.record(z.string(), z.unknown())).nullish();

const serialSchema = z
  .union([
    z.number().int().positive(),
    z.string().regex(/^\d+%?$/),
    z.array(z.union([z.number().int().positive(), z.string().regex(/^\d+%?$/)])),
  ])
  .transform((v) => (Array.isArray(v) ? v : [v]));

// A play has no `when` (as in Ansible); the other inherited keywords pass to its tasks.
const { when: _noPlayWhen, ...playInherited } = inheritedKeywords;

const playSchema = z.strictObject({
  ...playInherited,
  hosts: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  vars_files: z.array(z.unknown()).optional(),
  vars_prompt: z.array(z.record(z.string(), z.unknown())).optional(),
  gather_facts: flag.optional(),
  gather_subset: stringList.optional(),
  gather_timeout: z.union([z.number().int(), z.string().regex(/^\s*\d+\s*$/)]).optional(),
  serial: serialSchema.optional(),
  max_fail_percentage: z.number().min(0).max(100).optional(),
  any_errors_fatal: flag.optional(),
  force_handlers: flag.optional(),
  timeout: z.unknown().optional(),
  roles: z.array(z.unknown()).nullish(),
  tasks: taskList,
  handlers: taskList,
  pre_tasks: taskList,
  post_tasks: taskList,
  ...strategyPlayKeywords,
  ...playConnectionKeyword,
});
const PLAY_KEYS = new Set(Object.keys(playSchema.shape));

const importPlaybookSchema = z.strictObject({
  import_playbook: z.string().optional(),
  'ansible.builtin.import_playbook': z.string().optional(),
  name: z.string().optional(),
  vars: z.record(z.string(), z.unknown()).nullish(),
  tags: stringList.optional(),
  when: inheritedKeywords.when,
});

export function loadPlaybook(file: string, opts: LoadOptions = {}): Playbook {
  return { file, dir: dirname(resolve(file)), plays: loadPlays(resolve(file), opts, []) };
}

/** The plays of a playbook file, with those of the playbooks it imports in their place. */
function loadPlays(file: string, opts: LoadOptions, importing: string[]): Play[] {
  const src = YamlSource.fromFile(file);
  const dir = dirname(file);
  if (!Array.isArray(src.value) || src.value.length === 0) {
    throw inputError('a playbook must be a list of plays', src.locate([]), 'start the file with "- name: ...", "hosts: ..." and "tasks:"');
  }
  return src.value.flatMap((raw, i): Play[] => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    if (typeof raw === 'object' && raw && ('import_playbook' in entry || 'ansible.builtin.import_playbook' in entry)) {
      return importPlaybook(src, entry, [i], opts, [...importing, file]);
    }
    if (typeof raw === 'object' && raw && ('include' in entry || 'include_playbook' in entry) && !('hosts' in entry)) {
      throw inputError('a play-level include is import_playbook since Ansible 2.4', src.locate([i]), 'write - import_playbook: other.yml');
    }
    return [parsePlay(src, dir, raw, [i], opts)];
  });
}

function importPlaybook(src: YamlSource, entry: Record<string, unknown>, path: PathKey[], opts: LoadOptions, importing: string[]): Play[] {
  const e = parseWith(importPlaybookSchema, src, entry, path, 'import_playbook');
  const name = e.import_playbook ?? e['ansible.builtin.import_playbook'] ?? '';
  const location = src.locate(path);
  if (isTemplated(name))
    throw inputError('import_playbook names its file with a template: not supported yet', location, 'write the file name');
  const file = resolve(dirname(src.file), name);
  if (importing.includes(file)) throw inputError(`${file} imports itself`, location, 'break the import loop');
  return loadPlays(file, opts, importing).map((play) => ({
    ...play,
    vars: { ...play.vars, ...(e.vars ?? {}) },
    tasks:
      e.tags || e.when
        ? mapTasks(play.tasks, (t) => ({ ...t, tags: [...new Set([...t.tags, ...(e.tags ?? [])])], when: [...(e.when ?? []), ...t.when] }))
        : play.tasks,
  }));
}

function mapTasks(nodes: TaskNode[], f: (t: Task) => Task): TaskNode[] {
  return nodes.map((n) => {
    if (n.kind === 'task') return f(n);
    if (n.kind === 'block') return { ...n, block: mapTasks(n.block, f), rescue: mapTasks(n.rescue, f), always: mapTasks(n.always, f) };
    if (n.kind === 'include') return { ...n, when: [...n.when], tags: n.tags };
    return n;
  });
}

function parsePlay(src: YamlSource, dir: string, raw: unknown, path: PathKey[], opts: LoadOptions): Play {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const k of Object.keys(raw)) {
      if (!PLAY_KEYS.has(k) && isAnsibleKeyword(k)) throw notSupportedYet(k, 'on a play', src.locate([...path, k], { key: true }));
    }
  }
  const p = parseWith(playSchema, src, raw, path, 'play');
  const at = (k: string) => src.locate([...path, k]);
  const hosts = Array.isArray(p.hosts) ? p.hosts.join(',') : p.hosts;
  const varsFiles: Vars = {};
  (p.vars_files ?? []).forEach((f, i) => {
    if (typeof f !== 'string' || isTemplated(f)) {
      throw inputError(
        'vars_files: only file names written out are supported yet',
        at('vars_files'),
        'use include_vars with with_first_found',
      );
    }
    Object.assign(varsFiles, readVarsFile(resolve(dir, f), src.locate([...path, 'vars_files', i])));
  });
  const vars = p.vars ?? {};
  secrets.collect(vars);
  const ctx = newLoadContext(roleSearchPath(dir, opts.rolesPath));
  // become, gather_facts and the like on the play itself must be known before any host runs.
  // A templated play `become` is decided per host for each task, as a task's own would be.
  const templatedBecome = typeof p.become === 'string' ? p.become : undefined;
  const scope = childScope(rootScope(dir), { ...p, become: templatedBecome, become_user: undefined, vars: undefined }, src, path);
  const flush: FlushNode = { kind: 'flush' };
  const section = (k: 'pre_tasks' | 'tasks' | 'post_tasks' | 'handlers') => {
    ctx.section = k;
    return parseTaskList(src, p[k], [...path, k], scope, ctx);
  };
  const pre = section('pre_tasks');
  ctx.section = 'roles';
  const roles = parseRoles(src, p.roles, [...path, 'roles'], scope, ctx);
  const main = section('tasks');
  const post = section('post_tasks');
  const own = flattenHandlers(section('handlers'));
  // Role handlers come first, as Ansible orders them; include_role appends its role's when a host
  // reaches it (the play's list is the load context's, so the runner sees them).
  ctx.handlers.push(...own);
  const handlers = ctx.handlers;
  const tasks = [...pre, flush, ...roles, ...main, flush, ...post, flush];
  checkNotify([...staticTasks(tasks), ...handlers], handlers);
  const prompts = (p.vars_prompt ?? []).map((v, i) => ({
    name: String(v.name ?? ''),
    ...('default' in v ? { default: v.default } : {}),
    location: src.locate([...path, 'vars_prompt', i]),
  }));
  return {
    name: p.name ?? hosts,
    hosts,
    vars,
    varsFiles,
    become: templatedBecome === undefined ? fixedFlag(p.become, 'become', at('become')) : undefined,
    becomeUser: p.become_user,
    gatherFacts: fixedFlag(p.gather_facts, 'gather_facts', at('gather_facts')) ?? true,
    gatherSubset: p.gather_subset === undefined ? undefined : checkedGatherSubset(p.gather_subset, at('gather_subset')),
    gatherTimeout: p.gather_timeout === undefined ? undefined : Number(p.gather_timeout),
    serial: p.serial,
    maxFailPercentage: p.max_fail_percentage,
    anyErrorsFatal: fixedFlag(p.any_errors_fatal, 'any_errors_fatal', at('any_errors_fatal')) ?? false,
    forceHandlers: fixedFlag(p.force_handlers, 'force_handlers', at('force_handlers')) ?? false,
    timeout: p.timeout === undefined || p.timeout === null ? undefined : parseCount('timeout', p.timeout, at('timeout')),
    strategy: parsePlayStrategy(p, at),
    connection: parsePlayConnection(p.connection, at('connection')),
    tasks,
    handlers,
    roles: ctx.roles,
    roleNames: [...roleEntryNames(p.roles), ...importedRoleNames(ctx.roleImports)],
    dependentRoleNames: [...ctx.dependentRoles],
    varsPrompt: prompts,
    loadContext: ctx,
    location: src.locate(path),
  };
}

/** gather_subset words Ansible refuses fail the load here, where the file and line are known. */
function checkedGatherSubset(subset: string[], location: SourceLocation): string[] {
  try {
    resolveGatherSubset(subset);
  } catch (err) {
    if (err instanceof BadSubsetError) throw inputError(err.message, location, 'see `ansible-doc setup` for the subsets');
    throw err;
  }
  return subset;
}

/** The role named by each entry of `roles:` (a name, or a mapping with role: or name:); parseRoles checked them. */
function roleEntryNames(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const nameOf = (e: unknown): unknown =>
    e && typeof e === 'object' ? ((e as Record<string, unknown>).role ?? (e as Record<string, unknown>).name) : e;
  return list.map(nameOf).filter((n): n is string => typeof n === 'string');
}

/**
 * The roles import_role brought in, in the order Ansible's play.roles has them: after the roles of
 * `roles:`, as Ansible loads the play's parts: roles (with what they import), handlers, pre_tasks,
 * post_tasks, then tasks (its attributes' load order; measured with ansible-core 2.14).
 */
function importedRoleNames(imports: readonly { section: PlaySection; name: string }[]): string[] {
  const order: PlaySection[] = ['roles', 'handlers', 'pre_tasks', 'post_tasks', 'tasks'];
  return order.flatMap((s) => imports.filter((i) => i.section === s).map((i) => i.name));
}

/** A notify naming no handler is an error at load; a templated name or role handler form is found at run time. */
function checkNotify(tasks: Task[], handlers: Task[]): void {
  const names = new Set(handlers.flatMap((h) => [h.name, ...h.listen]));
  for (const t of tasks) {
    for (const n of t.notify) {
      if (!names.has(n) && !isTemplated(n)) {
        throw inputError(
          `task "${t.name}" notifies "${n}", but no handler has that name or listens to it`,
          t.location,
          `define a handler named "${n}" in this play`,
        );
      }
    }
  }
}
