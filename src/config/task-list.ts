import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Vars } from '../core/vars.js';
import { inputError, type SourceLocation } from '../errors.js';
import { isTemplated } from '../template/render.js';
import { blockKeywordShape, inheritedKeywords, isAnsibleKeyword, notSupportedYet } from './keywords.js';
import { type LoopControl, type LoopSource, loopControlSchema, parseLoop, parseLoopControl, withKeywordShape } from './loop.js';
import { findRole, type RoleFiles, roleFile, roleMeta, roleVars } from './role.js';
import { childScope, type RoleContext, type Scope, type ScopeKeywords, withParentRole } from './scope.js';
import { type PathKey, parseWith, YamlSource } from './source.js';
import { parseTask, type Task } from './task.js';

/**
 * The task tree of a play: tasks, blocks with their rescue and always parts, and the dynamic
 * includes decided per host when they are reached. Static imports (import_tasks, import_role,
 * roles:) are expanded here, at load, as Ansible does.
 */
export type TaskNode = Task | BlockNode | IncludeNode | FlushNode;

export interface BlockNode {
  kind: 'block';
  name?: string;
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  location: SourceLocation;
}

/** `include_tasks`, `include` and `include_role`: loaded when a host reaches them, once per loop item. */
export interface IncludeNode {
  kind: 'include';
  name: string;
  /** The tasks file (include_tasks), or the role's name (include_role); may be a template. */
  target: string;
  role?: RoleFrom;
  /** include_role's `public: true`: the role joins the play's roles (role_names) when included. */
  public?: boolean;
  when: (string | boolean)[];
  tags: string[];
  loop?: LoopSource;
  loopVar: string;
  loopControl?: LoopControl;
  /** The include's `vars`: parameters of the included tasks. */
  vars: Vars;
  /** What the include passes on: its inherited scope with `apply:` on top. */
  scope: Scope;
  location: SourceLocation;
}

/** Handlers run here: after pre_tasks, after roles and tasks, after post_tasks (Ansible's implicit flushes). */
export interface FlushNode {
  kind: 'flush';
}

interface RoleFrom {
  tasksFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  handlersFrom?: string;
}

/** What loading a play collects beside its tasks: the handlers of its roles and the roles themselves. */
export interface LoadContext {
  rolesSearchPath: string[];
  handlers: Task[];
  /** Roles of roles:, import_role and include_role: their defaults and vars are seen play-wide. */
  roles: RoleContext[];
  /** Roles already expanded in this play, by path and parameters: a role runs once unless allow_duplicates. */
  seenRoles: Set<string>;
  seenHandlers: Set<string>;
  /** Files being imported, to stop an import loop. */
  importing: string[];
  /** The part of the play being loaded: it orders the imported roles in role_names as Ansible does. */
  section: PlaySection;
  /** Roles import_role brings in, in load order, with the part of the play they were loaded in. */
  roleImports: { section: PlaySection; name: string }[];
  /** Roles brought in as a dependency (meta/main.yml) of another: Ansible's ansible_dependent_role_names. */
  dependentRoles: Set<string>;
  /** A dynamic include is being loaded (when a host reaches it): a legacy `include` in it is dynamic too. */
  inDynamic?: boolean;
}

export type PlaySection = 'roles' | 'pre_tasks' | 'tasks' | 'post_tasks' | 'handlers';

export function newLoadContext(rolesSearchPath: string[]): LoadContext {
  return {
    rolesSearchPath,
    handlers: [],
    roles: [],
    seenRoles: new Set(),
    seenHandlers: new Set(),
    importing: [],
    section: 'roles',
    roleImports: [],
    dependentRoles: new Set(),
  };
}

const INCLUDE_TASKS = new Set(['include_tasks', 'ansible.builtin.include_tasks', 'include', 'ansible.builtin.include']);
const LEGACY_INCLUDE = new Set(['include', 'ansible.builtin.include']);
const IMPORT_TASKS = new Set(['import_tasks', 'ansible.builtin.import_tasks']);
const INCLUDE_ROLE = new Set(['include_role', 'ansible.builtin.include_role']);
const IMPORT_ROLE = new Set(['import_role', 'ansible.builtin.import_role']);
const IMPORT_PLAYBOOK = new Set(['import_playbook', 'ansible.builtin.import_playbook']);

const blockSchema = z.strictObject(blockKeywordShape);

const includeSchema = z.strictObject({
  name: z.string().nullish(),
  when: inheritedKeywords.when,
  tags: inheritedKeywords.tags,
  vars: inheritedKeywords.vars,
  loop: z.unknown().optional(),
  ...withKeywordShape,
  loop_control: loopControlSchema.optional(),
  args: z.record(z.string(), z.unknown()).optional(),
});

const importSchema = z.strictObject({ ...inheritedKeywords, args: z.record(z.string(), z.unknown()).optional() });

const includeArgs = z.union([
  z.string(),
  z.strictObject({
    file: z.string().optional(),
    _raw_params: z.string().optional(),
    apply: z.record(z.string(), z.unknown()).optional(),
  }),
]);

const roleArgs = z.strictObject({
  name: z.string(),
  tasks_from: z.string().optional(),
  vars_from: z.string().optional(),
  defaults_from: z.string().optional(),
  handlers_from: z.string().optional(),
  allow_duplicates: z.boolean().optional(),
  public: z.boolean().optional(),
  apply: z.record(z.string(), z.unknown()).optional(),
  rolespec_validate: z.boolean().optional(),
});

const applySchema = z.strictObject(inheritedKeywords);

/** A list of tasks (a play's tasks, a block's parts, a tasks file) as a tree. */
export function parseTaskList(src: YamlSource, list: unknown, path: PathKey[], scope: Scope, ctx: LoadContext): TaskNode[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw inputError('expected a list of tasks', src.locate(path), 'start each task with "- name: ..."');
  return list.flatMap((raw, i) => parseItem(src, raw, [...path, i], scope, ctx));
}

function parseItem(src: YamlSource, raw: unknown, path: PathKey[], scope: Scope, ctx: LoadContext): TaskNode[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw inputError('a task must be a mapping', src.locate(path), 'write "- name: ..." followed by the module and its arguments');
  }
  const item = raw as Record<string, unknown>;
  const keys = Object.keys(item);
  const has = (set: Set<string>) => keys.find((k) => set.has(k));
  if ('block' in item) return [parseBlock(src, item, path, scope, ctx)];
  const importTasks = has(IMPORT_TASKS);
  if (importTasks) return parseImportTasks(src, item, importTasks, path, scope, ctx);
  const includeTasks = has(INCLUDE_TASKS);
  if (includeTasks && staticLegacyInclude(item, includeTasks, ctx)) return parseImportTasks(src, item, includeTasks, path, scope, ctx);
  if (includeTasks) return [parseInclude(src, item, includeTasks, path, scope, false)];
  const importRole = has(IMPORT_ROLE);
  if (importRole) return parseImportRole(src, item, importRole, path, scope, ctx);
  const includeRole = has(INCLUDE_ROLE);
  if (includeRole) return [parseInclude(src, item, includeRole, path, scope, true)];
  const playbook = has(IMPORT_PLAYBOOK);
  if (playbook) {
    throw inputError(
      `${playbook} belongs at the top level of a playbook, between plays`,
      src.locate([...path, playbook], { key: true }),
      'move it out of the task list, or use import_tasks for a tasks file',
    );
  }
  return [parseTask(src, item, path, scope)];
}

function refuseAnsibleKeywords(src: YamlSource, raw: Record<string, unknown>, path: PathKey[], allowed: Set<string>, where: string): void {
  for (const k of Object.keys(raw)) {
    if (!allowed.has(k) && isAnsibleKeyword(k)) throw notSupportedYet(k, where, src.locate([...path, k], { key: true }));
  }
}

const BLOCK_KEYS = new Set(Object.keys(blockSchema.shape));

function parseBlock(src: YamlSource, raw: Record<string, unknown>, path: PathKey[], scope: Scope, ctx: LoadContext): BlockNode {
  refuseAnsibleKeywords(src, raw, path, BLOCK_KEYS, 'on a block');
  for (const k of ['loop', 'with_items', 'register', 'notify']) {
    if (k in raw) {
      throw inputError(
        `"${k}" is not valid on a block (as in Ansible)`,
        src.locate([...path, k], { key: true }),
        `put it on the tasks inside the block`,
      );
    }
  }
  const kw = parseWith(blockSchema, src, raw, path, 'block');
  const inner = childScope(scope, kw, src, path);
  return {
    kind: 'block',
    name: kw.name ?? undefined,
    block: parseTaskList(src, kw.block, [...path, 'block'], inner, ctx),
    rescue: parseTaskList(src, kw.rescue, [...path, 'rescue'], inner, ctx),
    always: parseTaskList(src, kw.always, [...path, 'always'], inner, ctx),
    location: src.locate(path),
  };
}

/**
 * The old `include` is an import when it can be one, as ansible-core 2.14 decides: its file is not a
 * template, it does not loop, and it is not inside a dynamic include.
 */
function staticLegacyInclude(item: Record<string, unknown>, key: string, ctx: LoadContext): boolean {
  if (!LEGACY_INCLUDE.has(key) || ctx.inDynamic) return false;
  if (Object.keys(item).some((k) => k === 'loop' || k.startsWith('with_'))) return false;
  const v = item[key];
  const file =
    typeof v === 'string'
      ? v
      : v && typeof v === 'object'
        ? ((v as Record<string, unknown>).file ?? (v as Record<string, unknown>)._raw_params)
        : undefined;
  return typeof file === 'string' && !isTemplated(file);
}

/** `import_tasks: file.yml` or `import_tasks: { file: file.yml }`; the file's name as written. */
function includeTarget(src: YamlSource, value: unknown, path: PathKey[], key: string): { file: string; apply?: Record<string, unknown> } {
  const v = parseWith(includeArgs, src, value, [...path, key], key);
  if (typeof v === 'string') return { file: v };
  const file = v.file ?? v._raw_params;
  if (!file) throw inputError(`${key} needs a file`, src.locate([...path, key]), `write ${key}: tasks.yml`);
  return { file, apply: v.apply };
}

/** A tasks file relative to the file that names it, then to the playbook's folder. */
export function locateTasksFile(file: string, dir: string, fallbackDirs: string[], location: SourceLocation): string {
  if (isAbsolute(file)) {
    if (existsSync(file)) return file;
  } else {
    for (const d of [dir, ...fallbackDirs]) if (existsSync(join(d, file))) return resolve(d, file);
  }
  throw inputError(`tasks file "${file}" not found`, location, `looked in: ${[dir, ...fallbackDirs].join(', ')}`);
}

/** Load a tasks file as a tree under `scope`; an import loop is an error. */
export function loadTasksFile(file: string, scope: Scope, ctx: LoadContext, location: SourceLocation): TaskNode[] {
  if (ctx.importing.includes(file)) {
    throw inputError(`${file} imports itself (through ${ctx.importing.join(' -> ')})`, location, 'break the import loop');
  }
  ctx.importing.push(file);
  try {
    const src = YamlSource.fromFile(file);
    return parseTaskList(src, src.value, [], { ...scope, dir: dirname(file) }, ctx);
  } finally {
    ctx.importing.pop();
  }
}

function parseImportTasks(
  src: YamlSource,
  raw: Record<string, unknown>,
  key: string,
  path: PathKey[],
  scope: Scope,
  ctx: LoadContext,
): TaskNode[] {
  const { [key]: value, ...rest } = raw;
  refuseAnsibleKeywords(src, rest, path, new Set(Object.keys(importSchema.shape)), `on ${key}`);
  for (const k of ['loop', 'with_items', 'loop_control']) {
    if (k in rest)
      throw inputError(
        `${key} cannot loop (it is static)`,
        src.locate([...path, k], { key: true }),
        'use include_tasks to loop over a tasks file',
      );
  }
  const kw = parseWith(importSchema, src, rest, path, key);
  const target = includeTarget(src, value ?? kw.args, path, key);
  const location = src.locate([...path, key]);
  if (isTemplated(target.file)) {
    throw inputError(
      `${key} names its file with a template, which is known only when a host runs`,
      location,
      'use include_tasks for a file named by variables',
    );
  }
  const file = locateTasksFile(target.file, scope.dir, [dirname(src.file)], location);
  // import_tasks' vars are task vars of each imported task (below set_fact), as in Ansible; include_tasks' are parameters.
  const inner = childScope(scope, kw, src, path);
  return loadTasksFile(file, inner, ctx, location);
}

function parseInclude(
  src: YamlSource,
  raw: Record<string, unknown>,
  key: string,
  path: PathKey[],
  scope: Scope,
  isRole: boolean,
): IncludeNode {
  const { [key]: value, ...rest } = raw;
  const allowed = new Set(Object.keys(includeSchema.shape));
  for (const k of Object.keys(rest)) {
    if (!allowed.has(k) && k in inheritedKeywords) {
      throw inputError(
        `"${k}" on ${key} applies to the include only, not to the tasks it loads`,
        src.locate([...path, k], { key: true }),
        `put it under apply: (${key}: { file: ..., apply: { ${k}: ... } }), or use import_${isRole ? 'role' : 'tasks'}`,
      );
    }
  }
  refuseAnsibleKeywords(src, rest, path, allowed, `on ${key}`);
  const kw = parseWith(includeSchema, src, rest, path, key);
  const location = src.locate(path);
  let target: string;
  let apply: Record<string, unknown> | undefined;
  let role: RoleFrom | undefined;
  let isPublic: boolean | undefined;
  if (isRole) {
    const a = parseWith(roleArgs, src, value ?? kw.args, [...path, key], key);
    target = a.name;
    apply = a.apply;
    role = { tasksFrom: a.tasks_from, varsFrom: a.vars_from, defaultsFrom: a.defaults_from, handlersFrom: a.handlers_from };
    isPublic = a.public;
  } else {
    const t = includeTarget(src, value ?? kw.args, path, key);
    target = t.file;
    apply = t.apply;
  }
  const applied = apply ? parseWith(applySchema, src, apply, [...path, key, 'apply'], 'apply') : {};
  return {
    kind: 'include',
    name: `${scope.role ? `${scope.role.name} : ` : ''}${kw.name ?? `${isRole ? 'include_role' : 'include_tasks'} ${target}`}`,
    target,
    role,
    ...(isPublic ? { public: true } : {}),
    when: [...scope.when, ...(kw.when ?? [])],
    tags: [...new Set([...scope.tags, ...(kw.tags ?? [])])],
    loop: parseLoop(rest, (k) => src.locate([...path, k], { key: true })),
    ...parseLoopControl(kw.loop_control),
    vars: kw.vars ?? {},
    scope: childScope(scope, applied, src, [...path, key, 'apply']),
    location,
  };
}

const roleEntryKeys = new Set(['role', 'name', ...Object.keys(inheritedKeywords)]);

interface RoleEntry {
  name: string;
  kw: ScopeKeywords;
  vars: Vars;
  params: Vars;
  location: SourceLocation;
}

/** One entry of `roles:` or `dependencies:`: a name, or a mapping with role/name, keywords and parameters. */
function parseRoleEntry(src: YamlSource, raw: unknown, path: PathKey[]): RoleEntry {
  const location = src.locate(path);
  if (typeof raw === 'string') return { name: raw, kw: {}, vars: {}, params: {}, location };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw inputError('a role entry is a name or a mapping with role:', location, 'write - ntp, or - role: ntp');
  }
  const entry = raw as Record<string, unknown>;
  refuseAnsibleKeywords(src, entry, path, roleEntryKeys, 'on a role');
  const name = entry.role ?? entry.name;
  if (typeof name !== 'string' || !name) throw inputError('a role entry needs role: NAME', location, 'write - role: ntp');
  const kwRaw = Object.fromEntries(Object.entries(entry).filter(([k]) => roleEntryKeys.has(k) && k !== 'role' && k !== 'name'));
  const kw = parseWith(z.strictObject(inheritedKeywords), src, kwRaw, path, 'role entry');
  const params = Object.fromEntries(Object.entries(entry).filter(([k]) => !roleEntryKeys.has(k)));
  return { name, kw: { ...kw, vars: undefined }, vars: kw.vars ?? {}, params, location };
}

/** `roles:` of a play: each role (after its dependencies), as a tree of its tasks. */
export function parseRoles(src: YamlSource, list: unknown, path: PathKey[], scope: Scope, ctx: LoadContext): TaskNode[] {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw inputError('roles: must be a list', src.locate(path), 'write roles: [ntp, users]');
  return list.flatMap((raw, i) => {
    const entry = parseRoleEntry(src, raw, [...path, i]);
    return expandRole(entry, {}, src, [...path, i], scope, ctx);
  });
}

function parseImportRole(
  src: YamlSource,
  raw: Record<string, unknown>,
  key: string,
  path: PathKey[],
  scope: Scope,
  ctx: LoadContext,
): TaskNode[] {
  const { [key]: value, ...rest } = raw;
  refuseAnsibleKeywords(src, rest, path, new Set(Object.keys(importSchema.shape)), `on ${key}`);
  const kw = parseWith(importSchema, src, rest, path, key);
  const a = parseWith(roleArgs, src, value ?? kw.args, [...path, key], key);
  // import_role's vars are task vars of the role's tasks (below set_fact), as in Ansible; include_role's are parameters.
  const entry: RoleEntry = { name: a.name, kw, vars: {}, params: {}, location: src.locate(path) };
  const from = { tasksFrom: a.tasks_from, varsFrom: a.vars_from, defaultsFrom: a.defaults_from, handlersFrom: a.handlers_from };
  ctx.roleImports.push({ section: ctx.section, name: a.name });
  return expandRole(entry, from, src, path, withParentRole(scope), ctx, a.allow_duplicates);
}

/**
 * A role's dependencies, then its own tasks, under the entry's keywords. Its handlers join the
 * play's; its defaults and vars are recorded for the variable layers. A role already expanded in
 * this play with the same parameters is left out, unless it allows duplicates.
 */
function expandRole(
  entry: RoleEntry,
  from: RoleFrom,
  src: YamlSource,
  path: PathKey[],
  scope: Scope,
  ctx: LoadContext,
  allowDuplicates?: boolean,
): TaskNode[] {
  const files = findRole(entry.name, [...ctx.rolesSearchPath, scope.dir], entry.location);
  const meta = roleMeta(files);
  const key = JSON.stringify([files.path, entry.params, entry.vars, entry.kw.when, entry.kw.tags, from]);
  if (ctx.seenRoles.has(key) && !(allowDuplicates ?? meta.allowDuplicates)) return [];
  ctx.seenRoles.add(key);
  const entryScope = childScope(scope, entry.kw, src, path);
  const deps = meta.dependencies.flatMap((d) => {
    const dep = parseRoleEntry(d.src, d.entry, d.path);
    ctx.dependentRoles.add(dep.name);
    return expandRole(dep, {}, d.src, d.path, entryScope, ctx);
  });
  return [...deps, ...roleTasks(files, entry, from, entryScope, ctx)];
}

/** The role's own tasks and handlers, loaded under its scope. */
function roleTasks(
  files: RoleFiles,
  entry: { vars: Vars; params: Vars; location: SourceLocation },
  from: RoleFrom,
  entryScope: Scope,
  ctx: LoadContext,
): TaskNode[] {
  const role: RoleContext = {
    name: files.name,
    path: files.path,
    defaults: roleVars(files, 'defaults', from.defaultsFrom, entry.location),
    vars: { ...roleVars(files, 'vars', from.varsFrom, entry.location), ...entry.vars },
  };
  ctx.roles.push(role);
  const roleScope: Scope = {
    ...entryScope,
    role,
    params: { ...entryScope.params, ...entry.params, role_name: files.name, role_path: files.path },
    dir: join(files.path, 'tasks'),
  };
  const handlersFile = roleFile(files, 'handlers', from.handlersFrom);
  const handlersKey = `${files.path}\0${from.handlersFrom ?? 'main'}`;
  if (handlersFile && !ctx.seenHandlers.has(handlersKey)) {
    ctx.seenHandlers.add(handlersKey);
    const nodes = loadTasksFile(handlersFile, { ...roleScope, dir: join(files.path, 'handlers') }, ctx, entry.location);
    for (const h of flattenHandlers(nodes)) ctx.handlers.push({ ...h, listen: [...h.listen, h.name.replace(/^.* : /, '')] });
  }
  const tasksFile = roleFile(files, 'tasks', from.tasksFrom);
  if (!tasksFile) {
    if (from.tasksFrom)
      throw inputError(`role ${files.name} has no tasks/${from.tasksFrom}`, entry.location, `look in ${join(files.path, 'tasks')}`);
    return [];
  }
  return loadTasksFile(tasksFile, roleScope, ctx, entry.location);
}

/** Handlers stay a list: blocks and imports in a handlers file are flattened; a dynamic include cannot be. */
export function flattenHandlers(nodes: TaskNode[]): Task[] {
  return nodes.flatMap((n) => {
    if (n.kind === 'task') return [n];
    if (n.kind === 'block') return flattenHandlers([...n.block, ...n.always]);
    if (n.kind === 'include') throw inputError('include_tasks among handlers is not supported yet', n.location, 'use import_tasks');
    return [];
  });
}

/** Every task the tree holds now (includes are loaded later): for load-time checks. */
export function staticTasks(nodes: readonly TaskNode[]): Task[] {
  return nodes.flatMap((n) => {
    if (n.kind === 'task') return [n];
    if (n.kind === 'block') return staticTasks([...n.block, ...n.rescue, ...n.always]);
    return [];
  });
}

/**
 * What a dynamic include loads for one host (one loop item): `target` is its rendered file or
 * role name, `params` its rendered vars.
 */
export function loadIncluded(node: IncludeNode, target: string, params: Vars, ctx: LoadContext, playbookDir: string): TaskNode[] {
  const outer = ctx.inDynamic;
  ctx.inDynamic = true;
  try {
    return loadIncludedNodes(node, target, params, ctx, playbookDir);
  } finally {
    ctx.inDynamic = outer;
  }
}

function loadIncludedNodes(node: IncludeNode, target: string, params: Vars, ctx: LoadContext, playbookDir: string): TaskNode[] {
  const included: Scope = { ...node.scope, params: { ...node.scope.params, ...params } };
  if (!node.role) return loadTasksFile(locateTasksFile(target, included.dir, [playbookDir], node.location), included, ctx, node.location);
  const scope = withParentRole(included);
  const files = findRole(target, [...ctx.rolesSearchPath, scope.dir], node.location);
  const deps = roleMeta(files).dependencies.flatMap((d) =>
    expandRole(parseRoleEntry(d.src, d.entry, d.path), {}, d.src, d.path, scope, ctx),
  );
  return [...deps, ...roleTasks(files, { vars: {}, params: {}, location: node.location }, node.role, scope, ctx)];
}
