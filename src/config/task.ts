import { z } from 'zod';
import { VARIABLE_ARGS } from '../core/variable-args.js';
import { inputError, type SourceLocation } from '../errors.js';
import type { Module } from '../modules/types.js';
import { findModule, moduleNames } from '../registry/modules.js';
import { secrets } from '../secrets.js';
import { isTemplated } from '../template/render.js';
import { closestName } from '../util/suggest.js';
import type { Vars } from './inventory.js';
import { type Flag, isAnsibleKeyword, notSupportedYet, taskKeywordShape } from './keywords.js';
import { COMMAND_LINE_MODULES, parseKv, splitArgs } from './kv-args.js';
import { type LoopControl, type LoopSource, parseLoop, parseLoopControl } from './loop.js';
import { childScope, type EnvLayer, type RoleContext, type Scope } from './scope.js';
import { firstIssue, issueToError, type PathKey, parseWith, type YamlSource } from './source.js';
import { parseTaskStrategy, type TaskStrategy } from './strategy-keywords.js';
import { parseTaskLimits, type TaskLimits } from './task-limits.js';

export interface Task {
  kind: 'task';
  name: string;
  module: string;
  args: Record<string, unknown>;
  when: (string | boolean)[];
  /** `loop:` or `with_<lookup>:`, run per host when the task runs. */
  loop?: LoopSource;
  loopVar: string;
  loopControl?: LoopControl;
  notify: string[];
  listen: string[];
  register?: string;
  become?: boolean;
  becomeUser?: string;
  /** become_method, become_flags, become_exe of the task or what holds it (play, block, role). */
  becomeMethod?: string;
  becomeFlags?: string;
  becomeExe?: string;
  tags: string[];
  changedWhen?: string | boolean;
  failedWhen?: string | boolean;
  noLog: boolean;
  checkMode?: boolean;
  ignoreErrors: boolean;
  /** Block and task `vars`, the task's winning. */
  vars: Vars;
  /** Role and include parameters: above set_fact and registered values, below extra vars. */
  params: Vars;
  /** `environment` of the play, blocks and task, outermost first; each a mapping or a template of one. */
  environment: EnvLayer[];
  /** The role the task belongs to: its defaults, vars and files. */
  role?: RoleContext;
  /** The folder of the file the task is written in: includes and `src` are found from there. */
  dir: string;
  /** Yes/no keywords written as templates: decided per host when the task runs. */
  templated: TemplatedKeywords;
  /** timeout, until, retries, delay. */
  limits: TaskLimits;
  /** run_once, delegate_to, delegate_facts, throttle, any_errors_fatal, ignore_unreachable. */
  strategy: TaskStrategy;
  location: SourceLocation;
}

export interface TemplatedKeywords {
  become?: string;
  ignoreErrors?: string;
  noLog?: string;
  checkMode?: string;
}

const taskKeywords = z.strictObject(taskKeywordShape);
export const TASK_KEYWORDS = new Set(Object.keys(taskKeywords.shape));

/** A task that calls a module, with what its blocks, role and includes pass down to it. */
export function parseTask(src: YamlSource, raw: Record<string, unknown>, path: PathKey[], scope: Scope): Task {
  const location = src.locate(path);
  const { moduleKey, moduleValue, kvText } = findModuleKey(src, raw, path);
  const mod = findModule(moduleKey);
  if (!mod) {
    const suggestion = closestName(moduleKey.replace(/^ansible\.builtin\./, ''), moduleNames());
    throw inputError(
      `unknown module "${moduleKey}"`,
      src.locate([...path, moduleKey], { key: true }),
      suggestion ? `did you mean "${suggestion}"?` : `known modules: ${moduleNames().join(', ')}`,
    );
  }
  const kwRaw = Object.fromEntries(Object.entries(raw).filter(([k]) => TASK_KEYWORDS.has(k)));
  const parsed = parseWith(taskKeywords, src, kwRaw, path, 'task');
  const local = Object.hasOwn(raw, 'local_action');
  // local_action is action with delegate_to: localhost, over the task's own delegate_to (Ansible's mod_args).
  const kw = local ? { ...parsed, delegate_to: 'localhost' } : parsed;
  const argsPath = [...path, local ? 'local_action' : moduleKey === 'action' ? 'action' : moduleKey];
  // Inline arguments win over `args:`, as in Ansible.
  const inline = { ...normalizeArgs(moduleValue, mod, src, argsPath), ...(kvText ? kvArgs(kvText, mod, src, argsPath) : {}) };
  const args = { ...argsKeyword(kw.args, src, [...path, 'args']), ...inline };
  // Arguments from a variable are known per host only: checked once rendered.
  if (!Object.hasOwn(args, VARIABLE_ARGS)) {
    const valid = checkArgs(mod.schema, args, src, argsPath, mod.name);
    if (valid !== undefined) registerSecretArgs(mod, valid);
  }
  const own = childScope(scope, kw, src, path);
  if (kw.no_log === true || own.noLog === true) secrets.collect({ secret: args });
  const loop = parseLoop(kwRaw, (k) => src.locate([...path, k], { key: true }));
  const { loopVar, loopControl } = parseLoopControl(kw.loop_control);
  const templated: TemplatedKeywords = {};
  const decide = (v: Flag | undefined, k: keyof TemplatedKeywords): boolean | undefined => {
    if (typeof v === 'string') templated[k] = v;
    return typeof v === 'boolean' ? v : undefined;
  };
  const shown = typeof moduleValue === 'string' ? ` ${String(moduleValue).slice(0, 40)}` : '';
  const name = kw.name ?? `${mod.name}${shown}`;
  return {
    kind: 'task',
    name: scope.role ? `${scope.role.name} : ${name}` : name,
    module: mod.name,
    args,
    when: own.when,
    loop,
    loopVar,
    loopControl,
    notify: kw.notify ?? [],
    listen: kw.listen ?? [],
    register: kw.register,
    become: decide(own.become, 'become'),
    becomeUser: own.becomeUser,
    becomeMethod: own.becomeMethod,
    becomeFlags: own.becomeFlags,
    becomeExe: own.becomeExe,
    tags: own.tags,
    changedWhen: kw.changed_when,
    failedWhen: kw.failed_when,
    noLog: decide(own.noLog, 'noLog') ?? false,
    checkMode: decide(own.checkMode, 'checkMode'),
    ignoreErrors: decide(own.ignoreErrors, 'ignoreErrors') ?? false,
    vars: own.vars,
    params: own.params,
    environment: own.environment,
    role: own.role,
    dir: own.dir,
    templated,
    limits: parseTaskLimits(kw, (k) => src.locate([...path, k])),
    strategy: parseTaskStrategy(kw, (k) => src.locate([...path, k])),
    location,
  };
}

/** The one key that names the module (`action: copy src=a` included); anything else is a keyword or an error. */
interface ModuleKey {
  moduleKey: string;
  moduleValue: unknown;
  /** `action: { module: "copy src=a", dest: b }`: the words after the module's name, read as a k=v string. */
  kvText?: string;
}

function findModuleKey(src: YamlSource, raw: Record<string, unknown>, path: PathKey[]): ModuleKey {
  const location = src.locate(path);
  for (const k of Object.keys(raw)) {
    if (!TASK_KEYWORDS.has(k) && isAnsibleKeyword(k)) throw notSupportedYet(k, 'on a task', src.locate([...path, k], { key: true }));
  }
  const moduleKeys = Object.keys(raw).filter((k) => !TASK_KEYWORDS.has(k));
  const [first, second] = moduleKeys;
  if (first === undefined) throw inputError('the task names no module', location, `add one of: ${moduleNames().join(', ')}`);
  if (second !== undefined) {
    const offending = (moduleKeys.find((k) => findModule(k)) && moduleKeys.find((k) => !findModule(k))) ?? second;
    const near = closestName(offending, [...TASK_KEYWORDS]);
    throw inputError(
      `the task has more than one module or an unknown keyword: ${moduleKeys.map((k) => `"${k}"`).join(', ')}`,
      src.locate([...path, offending], { key: true }),
      near ? `did you mean "${near}"?` : `a task calls exactly one module; task keywords are ${[...TASK_KEYWORDS].join(', ')}`,
    );
  }
  if (first !== 'action' && first !== 'local_action') return { moduleKey: first, moduleValue: raw[first] };
  return actionForm(raw[first], src, [...path, first]);
}

/** `action: copy src=a dest=b` or `action: { module: copy, src: a }` (the module's own words read as its string would be). */
function actionForm(value: unknown, src: YamlSource, path: PathKey[]): ModuleKey {
  if (typeof value === 'string') {
    const [name, ...rest] = splitArgs(value, src.locate(path));
    if (name) return { moduleKey: name.trim(), moduleValue: rest.length > 0 ? rest.join(' ') : null };
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>).module === 'string') {
    const { module, ...rest } = value as Record<string, unknown>;
    const [name, ...words] = splitArgs(module as string, src.locate([...path, 'module']));
    if (name) return { moduleKey: name.trim(), moduleValue: rest, kvText: words.length > 0 ? words.join(' ') : undefined };
  }
  throw inputError('action: must name a module', src.locate(path), 'write action: copy src=a dest=b, or action: { module: copy, src: a }');
}

/**
 * `command: ls -l chdir=/tmp` and `copy: src=a dest=b` become argument maps, as Ansible reads them:
 * the words that are not key=value are the free form, taken only by a module that has one.
 */
function normalizeArgs(raw: unknown, mod: Module, src: YamlSource, path: PathKey[]): Record<string, unknown> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw === 'string') return kvArgs(raw, mod, src, path);
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  throw inputError('module arguments must be a mapping', src.locate(path), 'write "module:" followed by indented "key: value" lines');
}

function kvArgs(text: string, mod: Module, src: YamlSource, path: PathKey[]): Record<string, unknown> {
  const at = src.locate(path);
  const { args, freeForm } = parseKv(text, { commandLine: COMMAND_LINE_MODULES.has(mod.name), at });
  if (freeForm === undefined || freeForm === '') return args;
  if (mod.freeForm) return { ...args, [mod.freeForm]: freeForm };
  // `debug: "{{ m }}"`: the arguments are m's keys, once rendered for the host (Ansible's _variable_params).
  if (isTemplated(freeForm)) return { ...args, [VARIABLE_ARGS]: freeForm };
  throw inputError(
    `this task '${mod.name}' has extra params, which is only allowed in modules with a free form: "${freeForm}" is not key=value`,
    at,
    'write every argument as key=value, or as a YAML mapping',
  );
}

/** `args:` as Ansible takes it: a mapping, or a template of one (`args: "{{ m }}"`). */
function argsKeyword(value: Record<string, unknown> | string | undefined, src: YamlSource, path: PathKey[]): Record<string, unknown> {
  if (typeof value !== 'string') return value ?? {};
  if (isTemplated(value)) return { [VARIABLE_ARGS]: value };
  throw inputError(
    "Complex args containing variables cannot use bare variables (without Jinja2 delimiters), and must use the full variable style ('{{var_name}}')",
    src.locate(path),
    `write args: "{{ ${value.trim()} }}", or the arguments as a mapping`,
  );
}

/** A secret written as it is in the task (a literal url_password) is masked from loading on; templates are registered once rendered. */
function registerSecretArgs(mod: Module, parsed: unknown): void {
  for (const v of mod.secretValues?.(parsed) ?? []) if (!isTemplated(v)) secrets.add(v);
}

/**
 * Check arguments at load time; values still to be templated are checked again after rendering.
 * Returns the parsed arguments when they are valid as written, undefined when templates decide.
 */
function checkArgs(schema: z.ZodType, args: Record<string, unknown>, src: YamlSource, path: PathKey[], module: string): unknown {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  const real = result.error.issues.filter((issue) => !touchesTemplate(args, issue.path as PathKey[]));
  if (real.length === 0) return undefined;
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
