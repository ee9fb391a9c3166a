import { flagValue } from '../config/keywords.js';
import type { Task } from '../config/task.js';
import type { IncludeNode, TaskNode } from '../config/task-list.js';
import type { LoopItem, TaskStatus } from '../core/events.js';
import type { Vars } from '../core/vars.js';
import { ProvisionError } from '../errors.js';
import type { ControllerFiles } from '../modules/types.js';
import { evaluateCondition, renderString, renderValue, TemplateError } from '../template/render.js';
import { itemLabel, itemVars, loopItems, loopSettings } from './loop.js';
import { describeTaskError } from './results.js';
import type { TaskPosition } from './strategy.js';
import { lazyVars } from './vars.js';

/**
 * One host's walk through a play's task tree: blocks with rescue and always, includes loaded when
 * the host reaches them, keywords written as templates decided for the host. Every task runs
 * through the runner's own runTask; this file only decides which, in what order, and with what.
 *
 * Each task gets its position in the tree (node indexes, a block's section, an include's item), the
 * same on every host: the linear strategy orders hosts by it, so a host in a rescue or an include
 * runs before hosts that are past the block.
 */

/** What the runner reports of one task it ran for the host. */
export interface TaskRun {
  status: TaskStatus;
  result: Record<string, unknown>;
}

/** What the walk needs from the runner, for one host of one play. */
export interface TreeHost {
  runTask(task: Task, at: TaskPosition): Promise<TaskRun | undefined>;
  /** meta: flush_handlers, and the implicit flushes between pre_tasks, roles/tasks and post_tasks. */
  flushHandlers(at: TaskPosition): Promise<void>;
  isFlush(task: Task): boolean;
  /** Interrupted, aborted, failed or unreachable: start nothing more. */
  stopped(): boolean;
  failed(): boolean;
  setFailed(failed: boolean): void;
  /** A failure a rescue handles: not counted as failed; ansible_failed_task and ansible_failed_result are set. */
  rescue(task: Task, result: Record<string, unknown>): void;
  /** The host's variables as a task of this scope sees them (unrendered). */
  varsFor(scope: Pick<Task, 'vars' | 'params' | 'role'>): Vars;
  selectedByTags(tags: string[]): boolean;
  /** An include (or a task that could not start) as a result line: ok, skipped or failed; a looped include with its items. */
  report(name: string, status: TaskStatus, msg?: string, items?: LoopItem[]): void;
  /** The controller files a task of this role and module finds `src` in. */
  filesFor(task: Task): ControllerFiles;
  /** `at`: the include's position (with the loop item's index), the same on every host. */
  loadIncluded(node: IncludeNode, target: string, params: Vars, at: TaskPosition): TaskNode[];
}

interface Failure {
  task: Task;
  result: Record<string, unknown>;
}

/** Walk `nodes` in order; returns the failure that stopped the walk, if a task failed. */
export async function runTaskTree(nodes: readonly TaskNode[], host: TreeHost, at: TaskPosition = []): Promise<Failure | undefined> {
  for (const [i, node] of nodes.entries()) {
    if (host.stopped()) return undefined;
    const failure = await runNode(node, host, [...at, i]);
    if (failure) return failure;
  }
  return undefined;
}

async function runNode(node: TaskNode, host: TreeHost, at: TaskPosition): Promise<Failure | undefined> {
  switch (node.kind) {
    case 'flush':
      await host.flushHandlers(at);
      return undefined;
    case 'block':
      return runBlock(node.block, node.rescue, node.always, host, at);
    case 'include':
      return runInclude(node, host, at);
    case 'task': {
      if (host.isFlush(node)) {
        await host.flushHandlers(at);
        return undefined;
      }
      return runLeaf(node, host, at);
    }
  }
}

/**
 * Ansible's block: a task that fails in `block` sends the host to `rescue` (the host is then no
 * longer failed); `always` runs in every case, and a failure it does not clear stays.
 */
async function runBlock(
  block: TaskNode[],
  rescue: TaskNode[],
  always: TaskNode[],
  host: TreeHost,
  at: TaskPosition,
): Promise<Failure | undefined> {
  let failure = await runTaskTree(block, host, [...at, 0]);
  if (failure && rescue.length > 0 && host.failed()) {
    host.rescue(failure.task, failure.result);
    failure = await runTaskTree(rescue, host, [...at, 1]);
  }
  if (always.length === 0) return failure;
  const failedBefore = host.failed();
  if (failedBefore) host.setFailed(false);
  const alwaysFailure = await runTaskTree(always, host, [...at, 2]);
  if (failedBefore && !host.failed()) host.setFailed(true);
  return alwaysFailure ?? failure;
}

async function runLeaf(task: Task, host: TreeHost, at: TaskPosition): Promise<Failure | undefined> {
  let bound: Task;
  try {
    bound = bindTask(task, host);
  } catch (err) {
    if (!isUserError(err)) throw err;
    host.report(task.name, 'failed', describeTaskError(err));
    host.setFailed(true);
    return { task, result: { failed: true, msg: describeTaskError(err) } };
  }
  const run = await host.runTask(bound, at);
  if (run?.status === 'failed' && host.failed()) return { task: bound, result: run.result };
  return undefined;
}

/** The task as it runs on this host: yes/no keywords written as templates decided. */
function bindTask(task: Task, host: TreeHost): Task {
  const t = task.templated;
  if (Object.keys(t).length === 0) return task;
  const vars = lazyVars(host.varsFor(task));
  const decide = (tpl: string | undefined, keyword: string) => (tpl === undefined ? undefined : flagValue(renderValue(tpl, vars), keyword));
  const bound: Task = { ...task, templated: {} };
  bound.become = decide(t.become, 'become') ?? task.become;
  bound.ignoreErrors = decide(t.ignoreErrors, 'ignore_errors') ?? task.ignoreErrors;
  bound.noLog = decide(t.noLog, 'no_log') ?? task.noLog;
  bound.checkMode = decide(t.checkMode, 'check_mode') ?? task.checkMode;
  return bound;
}

/** include_tasks / include_role: decided for this host, loaded and walked once per loop item. */
async function runInclude(node: IncludeNode, host: TreeHost, at: TaskPosition): Promise<Failure | undefined> {
  if (!host.selectedByTags(node.tags)) return undefined;
  let loaded: TaskNode[][] | 'skipped';
  try {
    loaded = loadForHost(node, host, at);
  } catch (err) {
    if (!isUserError(err)) throw err;
    host.report(node.name, 'failed', describeTaskError(err));
    host.setFailed(true);
    return { task: includeAsTask(node), result: { failed: true, msg: describeTaskError(err) } };
  }
  if (loaded === 'skipped') return undefined;
  for (const [item, nodes] of loaded.entries()) {
    const failure = await runTaskTree(nodes, host, [...at, item]);
    if (failure) return failure;
  }
  return undefined;
}

function loadForHost(node: IncludeNode, host: TreeHost, at: TaskPosition): TaskNode[][] | 'skipped' {
  const raw = host.varsFor({ vars: { ...node.scope.vars, ...node.vars }, params: node.scope.params, role: node.scope.role });
  const vars = lazyVars(raw);
  for (const cond of node.when) {
    if (!evaluateCondition(cond, vars)) {
      host.report(node.name, 'skipped', `condition false: ${String(cond)}`);
      return 'skipped';
    }
  }
  if (node.loop === undefined) {
    const params = renderValue(node.vars, vars) as Vars;
    const nodes = host.loadIncluded(node, renderString(node.target, vars), params, [...at, 0]);
    host.report(node.name, 'ok', `included: ${renderString(node.target, vars)}`);
    return [nodes];
  }
  const items = loopItems(node.loop, raw, node.role ? 'include_role' : 'include_tasks', node.location);
  const settings = loopSettings(node.loopVar, node.loopControl, vars);
  const lines: string[] = [];
  const shown: LoopItem[] = [];
  const loaded = items.map((_, i) => {
    const keys = itemVars(settings, items, i);
    const itemVarsLazy = lazyVars({ ...raw, ...keys });
    const target = renderString(node.target, itemVarsLazy);
    const params = renderValue(node.vars, itemVarsLazy) as Vars;
    const nodes = host.loadIncluded(node, target, { ...params, ...keys }, [...at, i]);
    const label = itemLabel(settings, itemVarsLazy);
    shown.push({ label: 'label' in label ? label.label : 'None', status: 'ok' });
    lines.push(`included: ${target} (item=${'label' in label ? label.label : 'None'})`);
    return nodes;
  });
  // One result for the include, its items in it, as Ansible reports a looped task.
  host.report(node.name, items.length ? 'ok' : 'skipped', lines.join('\n') || undefined, shown);
  return loaded;
}

/** What ansible_failed_task shows for an include that could not load. */
function includeAsTask(node: IncludeNode): Task {
  return {
    kind: 'task',
    name: node.name,
    module: node.role ? 'include_role' : 'include_tasks',
    args: {},
    when: node.when,
    loopVar: node.loopVar,
    notify: [],
    listen: [],
    tags: node.tags,
    noLog: false,
    ignoreErrors: false,
    vars: node.vars,
    params: node.scope.params,
    environment: [],
    dir: node.scope.dir,
    templated: {},
    limits: { until: [] },
    strategy: { delegateFacts: false },
    location: node.location,
  };
}

/** A mistake in the user's content (a template, a missing file): the task fails; anything else is a bug. */
function isUserError(err: unknown): boolean {
  return err instanceof ProvisionError || err instanceof TemplateError;
}
