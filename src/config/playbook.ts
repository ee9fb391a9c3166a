import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { inputError, type SourceLocation } from '../errors.js';
import { findModule, moduleNames } from '../registry/modules.js';
import { secrets } from '../secrets.js';
import { isTemplated } from '../template/render.js';
import { closestName } from '../util/suggest.js';
import type { Vars } from './inventory.js';
import { firstIssue, issueToError, type PathKey, parseWith, YamlSource } from './source.js';
import {
  type PlayStrategy,
  parsePlayStrategy,
  parseTaskStrategy,
  strategyPlayKeywords,
  strategyTaskKeywords,
  type TaskStrategy,
} from './strategy-keywords.js';
import { type Count, parseCount, parseTaskLimits, type TaskLimits } from './task-limits.js';

export interface Task {
  name: string;
  module: string;
  args: Record<string, unknown>;
  when: (string | boolean)[];
  loop?: unknown;
  loopVar: string;
  notify: string[];
  listen: string[];
  register?: string;
  become?: boolean;
  becomeUser?: string;
  tags: string[];
  changedWhen?: string | boolean;
  failedWhen?: string | boolean;
  noLog: boolean;
  checkMode?: boolean;
  ignoreErrors: boolean;
  vars: Vars;
  /** timeout, until, retries, delay. */
  limits: TaskLimits;
  /** run_once, delegate_to, delegate_facts, throttle, any_errors_fatal, ignore_unreachable. */
  strategy: TaskStrategy;
  location: SourceLocation;
}

export type Serial = (number | string)[];

export interface Play {
  name: string;
  hosts: string;
  vars: Vars;
  varsFiles: Vars;
  become: boolean;
  becomeUser: string;
  gatherFacts: boolean;
  serial?: Serial;
  maxFailPercentage?: number;
  anyErrorsFatal: boolean;
  /** Default `timeout` of the play's tasks (seconds). */
  timeout?: Count;
  /** strategy, order, throttle, ignore_unreachable. */
  strategy: PlayStrategy;
  tasks: Task[];
  handlers: Task[];
  location: SourceLocation;
}

export interface Playbook {
  file: string;
  dir: string;
  plays: Play[];
}

const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const condition = z.union([z.string(), z.boolean()]);

const taskKeywords = z.strictObject({
  name: z.string().optional(),
  when: z.union([condition, z.array(condition)]).optional(),
  loop: z.unknown().optional(),
  with_items: z.unknown().optional(),
  loop_control: z.strictObject({ loop_var: z.string().regex(/^[A-Za-z_]\w*$/) }).optional(),
  notify: stringList.optional(),
  listen: stringList.optional(),
  register: z
    .string()
    .regex(/^[A-Za-z_]\w*$/, 'must be a variable name')
    .optional(),
  become: z.boolean().optional(),
  become_user: z.string().optional(),
  tags: stringList.optional(),
  changed_when: condition.optional(),
  failed_when: condition.optional(),
  no_log: z.boolean().optional(),
  check_mode: z.boolean().optional(),
  ignore_errors: z.boolean().optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  // Checked by parseTaskLimits, which says what a good value looks like.
  timeout: z.unknown().optional(),
  until: z.union([condition, z.array(condition)]).optional(),
  retries: z.unknown().optional(),
  delay: z.unknown().optional(),
  ...strategyTaskKeywords,
});
const KEYWORDS = new Set(Object.keys(taskKeywords.shape));

const serialSchema = z
  .union([
    z.number().int().positive(),
    z.string().regex(/^\d+%?$/),
    z.array(z.union([z.number().int().positive(), z.string().regex(/^\d+%?$/)])),
  ])
  .transform((v) => (Array.isArray(v) ? v : [v]));

const playSchema = z.strictObject({
  name: z.string().optional(),
  hosts: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  vars: z.record(z.string(), z.unknown()).nullish(),
  vars_files: z.array(z.string()).optional(),
  become: z.boolean().optional(),
  become_user: z.string().optional(),
  gather_facts: z.boolean().optional(),
  serial: serialSchema.optional(),
  max_fail_percentage: z.number().min(0).max(100).optional(),
  any_errors_fatal: z.boolean().optional(),
  timeout: z.unknown().optional(),
  tasks: z.array(z.record(z.string(), z.unknown())).nullish(),
  handlers: z.array(z.record(z.string(), z.unknown())).nullish(),
  pre_tasks: z.array(z.record(z.string(), z.unknown())).nullish(),
  post_tasks: z.array(z.record(z.string(), z.unknown())).nullish(),
  ...strategyPlayKeywords,
});

export function loadPlaybook(file: string): Playbook {
  const src = YamlSource.fromFile(file);
  const dir = dirname(resolve(file));
  if (!Array.isArray(src.value) || src.value.length === 0) {
    throw inputError('a playbook must be a list of plays', src.locate([]), 'start the file with "- name: ...", "hosts: ..." and "tasks:"');
  }
  const plays = src.value.map((raw, i) => parsePlay(src, dir, raw, [i]));
  return { file, dir, plays };
}

function parsePlay(src: YamlSource, dir: string, raw: unknown, path: PathKey[]): Play {
  const p = parseWith(playSchema, src, raw, path, 'play');
  const hosts = Array.isArray(p.hosts) ? p.hosts.join(',') : p.hosts;
  const varsFiles: Vars = {};
  (p.vars_files ?? []).forEach((f, i) => {
    const vf = YamlSource.fromFile(resolve(dir, f));
    if (vf.value === null || typeof vf.value !== 'object' || Array.isArray(vf.value)) {
      throw inputError(
        `vars file ${f} must be a mapping of variables`,
        src.locate([...path, 'vars_files', i]),
        'write "name: value" lines',
      );
    }
    Object.assign(varsFiles, vf.value);
  });
  const vars = p.vars ?? {};
  secrets.collect(vars);
  secrets.collect(varsFiles);
  const tasks = [...(p.pre_tasks ?? []), ...(p.tasks ?? []), ...(p.post_tasks ?? [])];
  const offsets = { pre_tasks: 0, tasks: (p.pre_tasks ?? []).length, post_tasks: (p.pre_tasks ?? []).length + (p.tasks ?? []).length };
  const taskPath = (i: number): PathKey[] => {
    if (i < offsets.tasks) return [...path, 'pre_tasks', i];
    if (i < offsets.post_tasks) return [...path, 'tasks', i - offsets.tasks];
    return [...path, 'post_tasks', i - offsets.post_tasks];
  };
  const handlers = (p.handlers ?? []).map((h, i) => parseTask(src, h, [...path, 'handlers', i]));
  const handlerNames = new Set(handlers.flatMap((h) => [h.name, ...h.listen]));
  const parsedTasks = tasks.map((t, i) => parseTask(src, t, taskPath(i)));
  for (const t of [...parsedTasks, ...handlers]) {
    for (const n of t.notify) {
      if (!handlerNames.has(n) && !isTemplated(n)) {
        throw inputError(
          `task "${t.name}" notifies "${n}", but no handler has that name or listens to it`,
          t.location,
          `define a handler named "${n}" in this play`,
        );
      }
    }
  }
  return {
    name: p.name ?? hosts,
    hosts,
    vars,
    varsFiles,
    become: p.become ?? false,
    becomeUser: p.become_user ?? 'root',
    gatherFacts: p.gather_facts ?? true,
    serial: p.serial,
    maxFailPercentage: p.max_fail_percentage,
    anyErrorsFatal: p.any_errors_fatal ?? false,
    timeout: p.timeout === undefined || p.timeout === null ? undefined : parseCount('timeout', p.timeout, src.locate([...path, 'timeout'])),
    strategy: parsePlayStrategy(p, (k) => src.locate([...path, k])),
    tasks: parsedTasks,
    handlers,
    location: src.locate(path),
  };
}

export function parseTask(src: YamlSource, raw: Record<string, unknown>, path: PathKey[]): Task {
  const location = src.locate(path);
  const moduleKeys = Object.keys(raw).filter((k) => !KEYWORDS.has(k));
  const [moduleKey, secondKey] = moduleKeys;
  if (moduleKey === undefined) throw inputError('the task names no module', location, `add one of: ${moduleNames().join(', ')}`);
  if (secondKey !== undefined) {
    const second = moduleKeys.find((k) => findModule(k)) && moduleKeys.find((k) => !findModule(k));
    const offending = second ?? secondKey;
    throw inputError(
      `the task has more than one module or an unknown keyword: ${moduleKeys.map((k) => `"${k}"`).join(', ')}`,
      src.locate([...path, offending], { key: true }),
      `a task calls exactly one module; task keywords are ${[...KEYWORDS].join(', ')}`,
    );
  }
  const mod = findModule(moduleKey);
  if (!mod) {
    const suggestion = closestName(moduleKey.replace(/^ansible\.builtin\./, ''), moduleNames());
    throw inputError(
      `unknown module "${moduleKey}"`,
      src.locate([...path, moduleKey], { key: true }),
      suggestion ? `did you mean "${suggestion}"?` : `known modules: ${moduleNames().join(', ')}`,
    );
  }
  const kw = parseWith(taskKeywords, src, Object.fromEntries(Object.entries(raw).filter(([k]) => KEYWORDS.has(k))), path, 'task');
  const args = normalizeArgs(raw[moduleKey], mod.freeForm, src, [...path, moduleKey]);
  checkArgs(mod.schema, args, src, [...path, moduleKey], mod.name);
  const when = kw.when === undefined ? [] : Array.isArray(kw.when) ? kw.when : [kw.when];
  if (kw.no_log) secrets.collect({ secret: args });
  return {
    name: kw.name ?? `${mod.name}${typeof raw[moduleKey] === 'string' ? ` ${String(raw[moduleKey]).slice(0, 40)}` : ''}`,
    module: mod.name,
    args,
    when,
    loop: kw.loop ?? kw.with_items,
    loopVar: kw.loop_control?.loop_var ?? 'item',
    notify: kw.notify ?? [],
    listen: kw.listen ?? [],
    register: kw.register,
    become: kw.become,
    becomeUser: kw.become_user,
    tags: kw.tags ?? [],
    changedWhen: kw.changed_when,
    failedWhen: kw.failed_when,
    noLog: kw.no_log ?? false,
    checkMode: kw.check_mode,
    ignoreErrors: kw.ignore_errors ?? false,
    vars: kw.vars ?? {},
    limits: parseTaskLimits(kw, (k) => src.locate([...path, k])),
    strategy: parseTaskStrategy(kw, (k) => src.locate([...path, k])),
    location,
  };
}

/** `command: ls -l` and `copy: src=a dest=b` become argument maps. */
function normalizeArgs(raw: unknown, freeForm: string | undefined, src: YamlSource, path: PathKey[]): Record<string, unknown> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw === 'string') {
    if (freeForm) return { [freeForm]: raw };
    const args: Record<string, unknown> = {};
    for (const token of raw.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
      const eq = token.indexOf('=');
      if (eq <= 0) throw inputError(`cannot read "${token}" as key=value`, src.locate(path), 'write the arguments as a YAML mapping');
      args[token.slice(0, eq)] = token.slice(eq + 1).replace(/^(["'])(.*)\1$/s, '$2');
    }
    return args;
  }
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  throw inputError('module arguments must be a mapping', src.locate(path), 'write "module:" followed by indented "key: value" lines');
}

/** Check arguments at load time; values still to be templated are checked again after rendering. */
function checkArgs(schema: z.ZodType, args: Record<string, unknown>, src: YamlSource, path: PathKey[], module: string): void {
  const result = schema.safeParse(args);
  if (result.success) return;
  const real = result.error.issues.filter((issue) => !touchesTemplate(args, issue.path as PathKey[]));
  if (real.length === 0) return;
  const known = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  throw issueToError(firstIssue(real), src, path, `arguments of ${module}`, known);
}

function touchesTemplate(args: unknown, path: PathKey[]): boolean {
  let cur: unknown = args;
  for (const k of path) {
    if (typeof cur === 'string') return isTemplated(cur);
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[k as string];
  }
  return typeof cur === 'string' && isTemplated(cur);
}
