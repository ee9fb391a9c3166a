import type { z } from 'zod';
import type { Plan } from '../core/plan.js';
import type { HostReader } from '../core/reads.js';
import type { Vars } from '../core/vars.js';
import type { SourceLocation } from '../errors.js';
import type { JinjaSettings } from '../jinja/header.js';

/** Files on the controller: `src` of copy and template, relative to the playbook. */
export interface ControllerFiles {
  readText(path: string): string;
  readBytes(path: string): Buffer;
  resolve(path: string): string;
  exists(path: string): boolean;
  /** A YAML (or vault) file of variables. */
  readVars(path: string): Vars;
  /** The files under a folder, as paths relative to it, sorted. */
  listFiles(path: string): string[];
  /** A folder's tree as Ansible's copy walks it (links followed): its folders and files relative to it, sorted; null when not a folder. */
  walk(path: string): { dirs: string[]; files: string[] } | null;
  /** A path relative to the playbook's folder, whether it exists or not (fetch's dest). */
  dwim(path: string): string;
}

export interface PlanContext<A> {
  host: string;
  args: A;
  vars: Vars;
  reader: HostReader;
  files: ControllerFiles;
  /**
   * Render a template string with the host's variables (template module). A template file's name as
   * the task gives it (`src`) and its `dest` give it Ansible's template_* variables and ansible_managed;
   * `syntax` is the template module's Jinja options (trim_blocks, newline_sequence...).
   */
  render(template: string, origin: string, file?: { src: string; dest?: string; syntax?: JinjaSettings }): string;
  check: boolean;
  /** Aborted when the run is interrupted (Ctrl-C): a module that waits (pause) stops waiting. */
  signal?: AbortSignal;
}

/** Something only the engine can do, asked for by a task instead of a plan. */
export type EngineAction = 'flush_handlers';

/** A host as a load-time check sees it: inventory variables and where each was set. */
export interface CheckedHost {
  name: string;
  vars: Vars;
  location: SourceLocation;
  origins: Record<string, SourceLocation>;
}

/** What a load-time check reports; an error stops the run before any connection (exit 7). */
export interface CheckFinding {
  severity: 'error' | 'warning';
  rule: string;
  host?: string;
  message: string;
  hint: string;
  location?: SourceLocation;
}

/** The Ansible collections whose fully qualified names provision accepts. */
export type Collection = 'ansible.builtin' | 'ansible.posix' | 'community.general';

export interface Module<S extends z.ZodType = z.ZodType> {
  name: string;
  /** Where Ansible has it: `ansible.posix.sysctl` names this module (ansible.builtin when absent). */
  collection?: Collection;
  /** Other names Ansible gives the same module (systemd_service for systemd). */
  aliases?: readonly string[];
  schema: S;
  /** `command: ls -l` style: the free-form string goes to this argument. */
  freeForm?: string;
  /** The task is an engine action (meta: flush_handlers): the engine carries it out, there is no plan. */
  engineAction?: (args: z.infer<S>) => EngineAction;
  /** Variables a task defines, from its unrendered arguments (set_fact): the preflight counts them as defined. */
  definesVariables?: (args: Record<string, unknown>) => string[];
  /** May add hosts and groups to the run's inventory (Plan.inventory): a later play's pattern is matched when it starts. */
  changesInventory?: boolean;
  /** Runs once for all the play's hosts, on the first, as Ansible's BYPASS_HOST_LOOP actions (pause, add_host). */
  bypassHostLoop?: boolean;
  /** Arguments that are bare expressions, not templates (debug's `var`): what the task reads. */
  expressionArgs?: readonly string[];
  /** The task may define any variable (include_vars): the preflight cannot know which. */
  definesAnyVariable?: boolean;
  /** Ansible's module or action does not run in check mode: the task is skipped there, with this message. */
  checkModeSkip?: string;
  /** The folder of a role where this module's relative `src` is looked for first (templates, files, vars). */
  roleSearchDir?: 'templates' | 'files' | 'vars';
  /**
   * The secrets a task's arguments hold (Ansible's `no_log` arguments: get_url's url_password): the
   * engine registers them before the module plans, so every output masks them.
   */
  secretValues?: (args: z.infer<S>) => string[];
  /** The reference's text when the arguments are not named ones (set_fact: any `name: value` pairs). */
  argumentsDoc?: string;
  plan(ctx: PlanContext<z.infer<S>>): Promise<Plan>;
  /**
   * Result keys only the host can tell once the changes are applied (the uid useradd chose): read
   * again after an applied run changed something, and added to the registered result.
   */
  resultAfterApply?(ctx: { args: z.infer<S>; reader: HostReader }): Promise<Record<string, unknown>>;
  /**
   * A check the engine runs once per task, over all the hosts of the task's play (before --limit),
   * before any host is contacted: how a job brings its own cross-host checks (a cluster lint).
   */
  loadCheck?(hosts: readonly CheckedHost[]): CheckFinding[];
}

export function defineModule<S extends z.ZodType>(m: Module<S>): Module<S> {
  return m;
}
