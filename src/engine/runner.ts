import { setMaxListeners } from 'node:events';
import { writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Inventory, InventoryHost } from '../config/inventory.js';
import { applyInventoryUpdate } from '../config/inventory-updates.js';
import { selectHosts } from '../config/patterns.js';
import type { Play, Playbook, Task } from '../config/playbook.js';
import { orderHosts } from '../config/strategy-keywords.js';
import { renderCount } from '../config/task-limits.js';
import { loadIncluded, staticTasks } from '../config/task-list.js';
import { type EventSink, emptyStats, type HostStats, type LoopItem, type TaskStatus } from '../core/events.js';
import type { ExecResult } from '../core/exec.js';
import { readingFor } from '../core/input-files.js';
import type { Change, InventoryUpdate, Plan, RebootRequest } from '../core/plan.js';
import type { DecisionSite, PlanHooks } from '../core/plan-hooks.js';
import type { HostReader, ReadRequest, ReadValue } from '../core/reads.js';
import { mergeVariableArgs, VARIABLE_ARGS_WARNING } from '../core/variable-args.js';
import type { Vars } from '../core/vars.js';
import { ExitCode, type ExitCodeValue, formatLocation, inputError, must, ProvisionError } from '../errors.js';
import { pyStr } from '../jinja/value.js';
import type { ControllerFiles, EngineAction } from '../modules/types.js';
import { hostFacts } from '../reads/host-facts.js';
import { findModule } from '../registry/modules.js';
import { secrets } from '../secrets.js';
import { dropOmitted, evaluateCondition, renderValue } from '../template/render.js';
import { templateFileVariables, useAnsibleManaged } from '../template/template-vars.js';
import { CommandTimeout } from '../transport/kill.js';
import type { HostKeyPolicy } from '../transport/ssh.js';
import type { BecomeOptions, Transport } from '../transport/transport.js';
import { sleep } from '../util/limiter.js';
import { type BecomeDefaults, resolveBecome } from './become.js';
import { checkConnections, connectHost } from './connect.js';
import { controllerFiles } from './controller-files.js';
import { changedVars, delegatedView, delegateHost } from './delegation.js';
import { taskEnvironment, withEnvironment } from './environment.js';
import { type FactNeeds, factNeeds } from './fact-needs.js';
import { factVars, gatherArgs, withReturnedFacts } from './facts.js';
import { createHostReader, ReadCache } from './host-reader.js';
import { formatFinding, runLoadChecks } from './load-checks.js';
import { isUndefinedError, itemLabel, itemVars, loopItems, loopResult, loopSettings, SKIPPED_ITEM } from './loop.js';
import { groupsOf, hostvarsView, magicVars, playMagicVars, runMagicVars, templateFileVars } from './magic-vars.js';
import { connectionKind, HostConnections, hostForConnection } from './play-connection.js';
import { BatchRun, type SharedOutcome } from './play-run.js';
import { checkUndefinedVariables } from './preflight.js';
import { PublicRoles } from './public-roles.js';
import { rebootHost } from './reboot.js';
import { describeTaskError, reportsChanged, resultOf, tail } from './results.js';
import { nextStep, type RetryPolicy, retryPolicy } from './retry.js';
import { serialBatches } from './serial.js';
import { SETUP_POSITION, type TaskPosition } from './strategy.js';
import { shownTaskName } from './task-name.js';
import { runTaskTree, type TaskRun, type TreeHost } from './task-tree.js';
import { taskTimeout, timedOutResult, withDeadline } from './time-limit.js';
import { decidedAtApplyMessage, UnknownUntilApply } from './unknown-until-apply.js';
import { lazyVars, mergeLayers, renderTemplateFile, roleLayers } from './vars.js';
import { atomicWriteCommand, writeOnController } from './write-file.js';

export interface RunOptions {
  check: boolean;
  diff: boolean;
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  extraVars: Vars;
  forks: number;
  forceHandlers?: boolean;
  detailedExitCode?: boolean;
  hostKeyPolicy?: HostKeyPolicy;
  /** Run the checks the playbook's modules declare before connecting (default: yes). */
  loadChecks?: boolean;
  /** Default `timeout` (seconds) of tasks whose play and task set none. */
  taskTimeout?: number;
  /** -v count: ansible_verbosity. */
  verbosity?: number;
  /** The ansible.cfg read (ansible_config_file) and its ansible_managed. */
  configFile?: string;
  managed?: string;
  /** -b, --become-user, --become-method, -K over ansible.cfg: below every keyword and host variable. */
  become?: BecomeDefaults;
  /** A saved plan's recorder or enforcer (src/plan): sees every read and every decision. */
  planHooks?: PlanHooks;
  /** Connections opened before the run (apply's drift check): each is taken out when used instead of a new one. */
  connections?: Map<string, Transport>;
  /** What templates see as ansible_check_mode (default: check); a plan predicts an apply, which is no check. */
  ansibleCheckMode?: boolean;
  sink: EventSink;
}

export interface RunSummary {
  exitCode: ExitCodeValue;
  hosts: Record<string, HostStats>;
  changedHosts: string[];
}

/** Per host, for the whole run: its connection, facts, registered values and outcome. */
interface HostState {
  inv: InventoryHost;
  transport?: Transport;
  /** What was read from the host; forgotten whenever a change is applied there. */
  reads: ReadCache;
  facts: Vars;
  runtime: Vars;
  stats: HostStats;
  failed: boolean;
  unreachable: boolean;
  notified: Set<string>;
  /** The serial batch of the play the host is in now. */
  batch?: BatchRun;
  /** Set only on the view of a host whose task runs on another host (delegate_to). */
  delegatedTo?: string;
  /** Check mode: variables whose values only the applied run knows. */
  unknown: UnknownUntilApply;
  /** The kind of `transport` (a play's connection: local runs on the controller) and the other kind, kept open. */
  connections: HostConnections;
}

interface TaskOutcome {
  status: TaskStatus;
  msg?: string;
  result: Record<string, unknown>;
  plan?: Plan;
  changes: string[];
  attempts?: number;
  retries?: number;
  timedOut?: boolean;
  /** A loop's items as the output shows them. */
  items?: LoopItem[];
  /** Check mode: the task registers a command's result the run did not produce (it would run on apply). */
  unknownResult?: boolean;
  /** Check mode: the task reads a value only the applied run knows (`decidedAtApplyMessage` says which). */
  decidedAtApply?: boolean;
}

/** The first `when` condition of the task that does not hold with these variables. */
function falseCondition(task: Task, vars: Vars): string | boolean | undefined {
  return task.when.find((cond) => !evaluateCondition(cond, vars, `task "${task.name}" when`));
}

/** What the engine does itself for this task, as its module declares (meta: flush_handlers). */
function engineAction(task: Task): EngineAction | undefined {
  const mod = findModule(task.module);
  if (!mod?.engineAction) return undefined;
  const args = mod.schema.safeParse(task.args);
  return args.success ? mod.engineAction(args.data) : undefined;
}

/**
 * provision does not prompt: what vars_prompt asks for comes with -e or, with no terminal to ask
 * on, is its default (a play variable, as text), as ansible-playbook takes it with a warning;
 * anything else refuses the run before it starts. Returns the warnings.
 */
function answerVarsPrompt(pb: Playbook, extra: Vars): string[] {
  const warnings = new Set<string>();
  for (const play of pb.plays) {
    for (const p of play.varsPrompt) {
      if (p.name in extra) continue;
      if (p.default !== undefined && !process.stdin.isTTY) {
        play.vars[p.name] = pyStr(p.default);
        warnings.add('Not prompting as we are not in interactive mode');
        continue;
      }
      throw inputError(
        `vars_prompt asks for "${p.name}": provision does not prompt${process.stdin.isTTY ? ' (not supported yet)' : ', and there is no terminal to ask on'}`,
        p.location,
        `pass it on the command line: -e ${p.name}=VALUE`,
      );
    }
  }
  return [...warnings];
}

/** Refuse a playbook that cannot run before any host is contacted. */
export function validateAgainstInventory(pb: Playbook, inv: Inventory): void {
  // After a play that adds hosts or groups (add_host, group_by), a pattern is matched when its play starts, as in Ansible.
  let regrouped = false;
  for (const play of pb.plays) {
    if (!regrouped && selectHosts(inv, play.hosts).length === 0) {
      const implicit = ['localhost', '127.0.0.1'].includes(play.hosts.trim());
      throw inputError(
        `play "${play.name}" targets "${play.hosts}", which matches no host in ${inv.file}`,
        play.location,
        implicit
          ? `Ansible's implicit localhost is not supported yet: add the host to the inventory, as "localhost ansible_connection=local"`
          : `use one of the groups (${[...inv.groups.keys()].join(', ')}) or hosts (${[...inv.hosts.keys()].join(', ')})`,
      );
    }
    regrouped ||= staticTasks(play.tasks).some((t) => findModule(t.module)?.changesInventory);
  }
}

export class Runner {
  private readonly hosts = new Map<string, HostState>();
  private interrupted = false;
  private readonly warnedVariableArgs = new WeakSet<Task>();
  private readonly aborter = new AbortController();
  private readonly files: ControllerFiles;
  private readonly filesCache = new Map<string, ControllerFiles>();
  private readonly running = new Map<string, string>();
  private readonly publicRoles = new PublicRoles();
  private readonly batches = new Set<BatchRun>();
  private readonly delegateConnects = new Map<string, Promise<Transport>>();
  /** `groups` as templates see it; made again when a task changes the inventory (add_host, group_by). */
  private groups: Record<string, string[]>;
  private readonly runMagic: Vars;
  /** The facts the run can read: gathering runs only the collectors that give them. */
  private factNeeds: FactNeeds = { all: true, why: 'not decided yet' };

  constructor(
    private readonly inv: Inventory,
    private readonly pb: Playbook,
    private readonly opts: RunOptions,
  ) {
    // Every connecting host listens for the abort: hundreds of listeners are expected, not a leak.
    setMaxListeners(0, this.aborter.signal);
    this.files = controllerFiles(pb.dir);
    this.groups = groupsOf(inv);
    const { check, diff, forks, verbosity = 0, tags, skipTags, configFile } = opts;
    this.runMagic = runMagicVars({ check, diff, forks, verbosity, tags, skipTags, configFile, playbookDir: pb.dir });
    for (const h of inv.hosts.values()) {
      this.hosts.set(h.name, freshHostState(h));
    }
  }

  /** Ctrl-C: start nothing new, report what was running, cut the connections. */
  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    this.aborter.abort();
    this.opts.sink({ event: 'interrupted', running: [...this.running].map(([host, task]) => ({ host, task })) });
    for (const b of this.batches) b.rdv.abort();
    for (const h of this.hosts.values()) for (const t of [h.transport, ...h.connections.others()]) t?.destroy();
  }

  async run(): Promise<RunSummary> {
    const started = Date.now();
    useAnsibleManaged(this.opts.managed);
    validateAgainstInventory(this.pb, this.inv);
    for (const msg of answerVarsPrompt(this.pb, this.opts.extraVars)) this.opts.sink({ event: 'warning', msg });
    const warnings = this.opts.loadChecks === false ? [] : runLoadChecks(this.pb, this.inv);
    checkUndefinedVariables(this.pb, this.inv, this.opts.extraVars);
    this.factNeeds = factNeeds(this.pb, this.inv, this.opts.extraVars);
    const limited = this.opts.limit ? new Set(selectHosts(this.inv, this.opts.limit)) : undefined;
    checkConnections(
      [...this.inv.hosts.values()].filter((h) => !limited || limited.has(h.name)),
      { inventoryFile: this.inv.file, hostKeyPolicy: this.opts.hostKeyPolicy },
    );
    this.opts.sink({ event: 'run_start', check: this.opts.check, playbook: this.pb.file, inventory: this.inv.file });
    for (const f of warnings) this.opts.sink({ event: 'warning', msg: formatFinding(f).join('\n'), host: f.host });
    let changedAny = false;
    try {
      for (const play of this.pb.plays) {
        if (this.interrupted) break;
        const names = selectHosts(this.inv, play.hosts).filter((h) => !limited || limited.has(h));
        const live = names.filter((n) => !this.state(n).failed && !this.state(n).unreachable);
        this.opts.sink({ event: 'play_start', play: play.name, hosts: live });
        if (live.length === 0) {
          this.opts.sink({ event: 'warning', msg: `play "${play.name}": no hosts left to run on` });
          continue;
        }
        const stop = await this.runPlay(play, live);
        if (stop) break;
      }
    } finally {
      await Promise.all([...this.hosts.values()].flatMap((h) => [h.transport, ...h.connections.others()].map((t) => t?.close())));
    }
    const hosts: Record<string, HostStats> = {};
    const touched = [...this.hosts.values()].filter(
      (h) => h.stats.ok + h.stats.changed + h.stats.failed + h.stats.unreachable + h.stats.skipped > 0,
    );
    for (const h of touched) {
      hosts[h.inv.name] = h.stats;
      if (h.stats.changed > 0) changedAny = true;
    }
    const bad = touched.filter((h) => h.failed || h.unreachable).map((h) => h.inv.name);
    const retryFile = bad.length ? this.writeRetry(bad) : undefined;
    this.opts.sink({ event: 'recap', hosts, durationMs: Date.now() - started, retryFile });
    let exitCode: ExitCodeValue = ExitCode.ok;
    if (this.interrupted) exitCode = ExitCode.interrupted;
    else if (touched.some((h) => h.unreachable)) exitCode = ExitCode.unreachable;
    else if (touched.some((h) => h.failed)) exitCode = ExitCode.hostFailed;
    else if (this.opts.check && this.opts.detailedExitCode && changedAny) exitCode = ExitCode.changesPending;
    return { exitCode, hosts, changedHosts: touched.filter((h) => h.stats.changed > 0).map((h) => h.inv.name) };
  }

  /** Beside the playbook, as Ansible puts it: never wherever the user happens to stand. */
  private writeRetry(names: string[]): string {
    const file = join(this.pb.dir, `${basename(this.pb.file, extname(this.pb.file))}.retry`);
    writeFileSync(file, secrets.mask(`${names.join('\n')}\n`));
    return file;
  }

  /** Returns true when the whole run must stop (any_errors_fatal, max_fail_percentage crossed). */
  private async runPlay(play: Play, names: string[]): Promise<boolean> {
    for (const batch of serialBatches(orderHosts(names, play.strategy.order), play.serial)) {
      if (this.interrupted) return true;
      const run = new BatchRun({
        play,
        all: names,
        batch,
        forks: this.opts.forks,
        isDown: (n) => this.state(n).failed || this.state(n).unreachable,
        markFailed: (n) => {
          this.state(n).failed = true;
        },
      });
      this.batches.add(run);
      await Promise.all(
        batch.map(async (n) => {
          await readingFor(n, () => this.runHostPlay(this.state(n), play, run));
          this.opts.sink({ event: 'host_done', play: play.name, host: n });
        }),
      );
      this.batches.delete(run);
      run.finish();
      if (run.stopped) {
        this.opts.sink({ event: 'warning', msg: run.reason ?? `play "${play.name}" stopped` });
        return true;
      }
    }
    return false;
  }

  /** One host through the play's task tree; every step takes its turn under the play's strategy (linear or free). */
  private async runHostPlay(h: HostState, play: Play, run: BatchRun): Promise<void> {
    h.batch = run;
    const transport = h.connections.switchTo(connectionKind(h.inv, play), h.transport);
    if (transport !== h.transport) {
      // Another connection reads another machine: nothing read through the last one holds.
      h.transport = transport;
      h.reads.clear();
    }
    try {
      if (!(await this.turn(h, play, undefined, SETUP_POSITION))) return;
      const up = await this.ensureConnected(h, play);
      // Every play that gathers gathers again (Ansible's default `gathering = implicit`): an earlier play may have changed the host.
      if (up && play.gatherFacts) await this.gatherFacts(h, play);
      await runTaskTree(play.tasks, this.treeHost(h, play));
      if (!this.interrupted && !h.unreachable && (!h.failed || this.forceHandlers(play)))
        await this.runHandlers(h, play, [play.tasks.length]);
    } finally {
      run.settle(h.inv.name);
      run.rdv.leave(h.inv.name);
    }
  }

  private stopped(h: HostState): boolean {
    return this.interrupted || h.failed || h.unreachable || (h.batch?.stopped ?? false);
  }

  /**
   * Wait for the host's turn at the task at `at` (the setup step without a task); false when it
   * must not run it: the run was interrupted, the batch stopped, or the host is down.
   */
  private async turn(h: HostState, play: Play, task: Task | undefined, at: TaskPosition, handler = false): Promise<boolean> {
    const run = must(h.batch, `the batch of ${h.inv.name}`);
    run.settle(h.inv.name);
    const throttleOf = task?.strategy.throttle ?? play.strategy.throttle;
    const throttle =
      throttleOf === undefined || (task && this.runsOnce(h, play, task))
        ? undefined
        : renderCount('throttle', throttleOf, lazyVars(this.baseVars(h, play, task ?? NO_SCOPE)), task?.location ?? play.location);
    await run.rdv.arrive(h.inv.name, at, { throttle });
    if (task) run.lastTask.set(h.inv.name, task);
    const off = handler ? this.interrupted || h.unreachable || ((h.failed || run.stopped) && !this.forceHandlers(play)) : this.stopped(h);
    if (off) return false;
    // A host left unreachable by an ignore_unreachable task is tried again at its next task.
    return !task || h.transport !== undefined || (await this.ensureConnected(h, play));
  }

  /** run_once holds under linear; under free Ansible runs the task on every host, with a warning. */
  private runsOnce(h: HostState, play: Play, task: Task): boolean {
    const v = findModule(task.module)?.bypassHostLoop ? true : task.strategy.runOnce;
    if (v === undefined || v === false) return false;
    const once = v === true || evaluateCondition(v, lazyVars(this.baseVars(h, play, task)));
    if (once && h.batch?.strategy === 'free') {
      if (!h.batch.warned.has(task)) {
        h.batch.warned.add(task);
        this.opts.sink({
          event: 'warning',
          msg: `task "${task.name}": run_once under strategy free runs the task on every host, as Ansible does`,
        });
      }
      return false;
    }
    return once;
  }

  private async ensureConnected(h: HostState, play: Play): Promise<boolean> {
    if (h.transport) return true;
    const target = hostForConnection(h.inv, h.connections.kind);
    try {
      h.transport =
        (target === h.inv ? this.takeConnection(h.inv.name) : undefined) ??
        (await connectHost(target, {
          inventoryFile: this.inv.file,
          hostKeyPolicy: this.opts.hostKeyPolicy,
          signal: this.aborter.signal,
        }));
      return true;
    } catch (err) {
      this.hostLost(h, play, 'connect', err, Date.now());
      return false;
    }
  }

  /** A connection opened before the run is used once: a host reconnecting later opens a new one. */
  private takeConnection(name: string): Transport | undefined {
    const t = this.opts.connections?.get(name);
    if (t) this.opts.connections?.delete(name);
    return t;
  }

  private async gatherFacts(h: HostState, play: Play): Promise<void> {
    const t0 = Date.now();
    this.opts.sink({ event: 'task_start', play: play.name, task: 'Gathering Facts', host: h.inv.name, handler: false });
    try {
      const { ansible_facts: _, ...gathered } = factVars(
        await this.readerFor(h, connected(h), undefined).get(hostFacts, gatherArgs(play, this.factNeeds)),
      );
      // What modules returned earlier (getent_passwd) stays beside the gathered facts.
      h.facts = withReturnedFacts(h.facts, gathered);
      h.stats.ok++;
      this.opts.sink({
        event: 'task_result',
        play: play.name,
        task: 'Gathering Facts',
        host: h.inv.name,
        handler: false,
        status: 'ok',
        check: this.opts.check,
        durationMs: Date.now() - t0,
        roundTrips: 1,
      });
    } catch (err) {
      this.hostLost(h, play, 'Gathering Facts', err, t0);
    }
  }

  /** The host can no longer be reached (at connect or mid-run): it is unreachable for the rest of the run. */
  private hostLost(h: HostState, play: Play, task: string, err: unknown, t0: number): void {
    if (!(err instanceof ProvisionError)) throw err;
    const last = h.batch?.lastTask.get(h.inv.name);
    const ignore =
      (task !== 'connect' && task !== 'Gathering Facts' ? last?.strategy.ignoreUnreachable : undefined) ?? play.strategy.ignoreUnreachable;
    const msg0 = err.hint ? `${err.message}\n  hint: ${err.hint}` : err.message;
    if (ignore && !this.interrupted) {
      // ignore_unreachable: counted ok as Ansible does, and the host is tried again at its next task.
      h.transport?.destroy();
      h.transport = undefined;
      h.stats.ok++;
    } else {
      h.unreachable = true;
      h.stats.unreachable++;
    }
    const msg = ignore && !this.interrupted ? `${msg0} (ignored)` : msg0;
    this.opts.sink({
      event: 'task_result',
      play: play.name,
      task,
      host: h.inv.name,
      handler: false,
      status: ignore && !this.interrupted ? 'ok' : 'unreachable',
      check: this.opts.check,
      msg,
      durationMs: Date.now() - t0,
      roundTrips: 0,
    });
  }

  /**
   * Ansible's handler semantics: each notified handler runs once, in the order handlers are
   * defined, whether notified by its name or a `listen` topic. A handler may notify others;
   * those run in a following round.
   */
  private async runHandlers(h: HostState, play: Play, at: TaskPosition): Promise<void> {
    for (let round = 0; round < 10 && h.notified.size > 0; round++) {
      const fired = new Set(h.notified);
      h.notified.clear();
      for (const [k, handler] of play.handlers.entries()) {
        if (this.interrupted || h.unreachable || (h.failed && !this.forceHandlers(play))) return;
        if ([handler.name, ...handler.listen].some((t) => fired.has(t))) await this.runTask(h, play, handler, true, [...at, round, k]);
      }
    }
  }

  private forceHandlers(play: Play): boolean {
    return !!this.opts.forceHandlers || play.forceHandlers;
  }

  /** What the task tree walk needs of this runner for one host of one play (src/engine/task-tree.ts). */
  private treeHost(h: HostState, play: Play): TreeHost {
    return {
      runTask: (task, at) => this.runTask(h, play, task, false, at),
      flushHandlers: (at) => this.runHandlers(h, play, at),
      isFlush: (task) => engineAction(task) === 'flush_handlers',
      stopped: () => this.stopped(h),
      failed: () => h.failed,
      setFailed: (failed) => {
        h.failed = failed;
      },
      rescue: (task, result) => {
        h.failed = false;
        h.stats.failed--;
        h.stats.rescued = (h.stats.rescued ?? 0) + 1;
        h.runtime.ansible_failed_task = { name: task.name.replace(/^.* : /, ''), action: task.module, args: task.args };
        h.runtime.ansible_failed_result = result;
      },
      varsFor: (scope) => this.baseVars(h, play, scope),
      selectedByTags: (tags) => this.selectedByTags({ tags }),
      report: (name, status, msg, items) => this.report(h, play, name, status, msg, items),
      filesFor: (task) => this.filesFor(task),
      loadIncluded: (node, target, params, at) => {
        const nodes = loadIncluded(node, target, params, play.loadContext, this.pb.dir);
        if (node.public) this.publicRoles.add(play, at, target, params);
        return nodes;
      },
    };
  }

  /** A result line for what is not a module run: an include, or a task whose keywords could not be decided. */
  private report(h: HostState, play: Play, task: string, status: TaskStatus, msg?: string, items?: LoopItem[]): void {
    // Ansible's recap counts each file a looped include loaded.
    h.stats[status === 'unreachable' ? 'unreachable' : status] += items?.length || 1;
    this.opts.sink({ event: 'task_start', play: play.name, task, host: h.inv.name, handler: false });
    this.opts.sink({
      event: 'task_result',
      play: play.name,
      task,
      host: h.inv.name,
      handler: false,
      status,
      check: this.opts.check,
      msg,
      durationMs: 0,
      roundTrips: 0,
      items,
    });
  }

  /** Controller files as the task's role and module look for them: the role's templates/ or files/ first. */
  private filesFor(task: Task): ControllerFiles {
    const sub = findModule(task.module)?.roleSearchDir;
    if (!task.role && task.dir === this.pb.dir && !sub) return this.files;
    const key = `${task.role?.path ?? ''}\0${sub ?? ''}\0${task.dir}`;
    let files = this.filesCache.get(key);
    if (!files) {
      files = controllerFiles(this.pb.dir, { roleDir: task.role?.path, sub, taskDir: task.dir });
      this.filesCache.set(key, files);
    }
    return files;
  }

  private selectedByTags(task: { tags: string[] }): boolean {
    const tags = new Set(task.tags);
    if (this.opts.skipTags?.some((t) => tags.has(t))) return false;
    if (!this.opts.tags?.length) return !tags.has('never');
    if (tags.has('always')) return true;
    return this.opts.tags.some((t) => tags.has(t) || (t === 'all' && !tags.has('never')) || (t === 'untagged' && tags.size === 0));
  }

  private baseVars(h: HostState, play: Play, task: Pick<Task, 'vars' | 'params' | 'role'>): Vars {
    const run = h.batch;
    const magic = run
      ? magicVars(h.inv.name, run.hosts, {
          groups: this.groups,
          hostvars: hostvarsView([...this.inv.hosts.keys()], (n) =>
            lazyVars(this.baseVars({ ...this.state(n), batch: run }, play, NO_SCOPE)),
          ),
        })
      : {};
    return mergeLayers({
      ...roleLayers(play.roles, task.role),
      params: task.params,
      inventory: h.inv.vars,
      facts: h.facts,
      play: {
        ...magic,
        ...play.vars,
        ...this.runMagic,
        ...playMagicVars(play, this.publicRoles.names(play)),
        ansible_check_mode: this.opts.ansibleCheckMode ?? this.opts.check,
      },
      varsFiles: play.varsFiles,
      task: task.vars,
      runtime: h.runtime,
      extra: this.opts.extraVars,
    });
  }

  /** One task (or handler) on one host at its place in the play, under the play's strategy. */
  private async runTask(h: HostState, play: Play, task: Task, handler: boolean, at: TaskPosition): Promise<TaskRun | undefined> {
    if (!handler && !this.selectedByTags(task)) return undefined;
    if (!(await this.turn(h, play, task, at, handler))) return undefined;
    const run = must(h.batch, `the batch of ${h.inv.name}`);
    const onceKey = `${handler ? 'handler ' : ''}${at.join('.')}`;
    const once = this.runsOnce(h, play, task) ? run.once.get(onceKey) : undefined;
    if (once) {
      // run_once: another host ran it; its registered and set values are this host's too.
      const shared = await once;
      Object.assign(h.runtime, shared.vars);
      const failed = shared.failed && !task.ignoreErrors;
      if (failed) h.failed = true;
      const result = task.register ? shared.vars[task.register] : undefined;
      const registered = result && typeof result === 'object' && !Array.isArray(result) ? (result as Record<string, unknown>) : { failed };
      return { status: failed ? 'failed' : 'ok', result: registered };
    }
    let share: ((o: SharedOutcome) => void) | undefined;
    if (this.runsOnce(h, play, task)) run.once.set(onceKey, new Promise((resolve) => (share = resolve)));
    const delegate = await this.delegateFor(h, play, task, handler);
    if (delegate === 'lost') {
      share?.({ vars: {}, failed: true });
      return { status: h.unreachable ? 'unreachable' : 'failed', result: { failed: true } };
    }
    const before = { ...h.runtime };
    try {
      return await this.runTaskOn(delegate ? delegatedView(h, delegate) : h, play, task, handler);
    } finally {
      const changed = changedVars(before, h.runtime);
      if (delegate && task.strategy.delegateFacts) {
        // delegate_facts: what the task set belongs to the delegate; only the registered value stays.
        for (const k of Object.keys(changed).filter((k) => k !== task.register)) {
          delegate.runtime[k] = changed[k];
          if (k in before) h.runtime[k] = before[k];
          else delete h.runtime[k];
        }
      }
      share?.({ vars: changed, failed: h.failed });
    }
  }

  /** The delegate's state when the task is delegated to another host; 'lost' when it cannot be reached. */
  private async delegateFor(h: HostState, play: Play, task: Task, handler: boolean): Promise<HostState | undefined | 'lost'> {
    if (task.strategy.delegateTo === undefined) return undefined;
    const t0 = Date.now();
    const name = String(renderValue(task.strategy.delegateTo, lazyVars(this.baseVars(h, play, task))));
    if (name === h.inv.name) return undefined;
    let d = this.hosts.get(name);
    if (!d) {
      const inv = delegateHost(this.inv, name);
      if (!inv) {
        // Only hosts the inventory names are ever contacted: an unknown name fails the task.
        h.failed = true;
        h.stats.failed++;
        this.opts.sink({
          event: 'task_result',
          play: play.name,
          task: task.name,
          host: h.inv.name,
          handler,
          status: 'failed',
          check: this.isCheck(task),
          msg: `delegate_to: "${name}" is not a host of ${this.inv.file} (only inventory hosts and localhost can be delegated to)`,
          durationMs: Date.now() - t0,
          roundTrips: 0,
        });
        return 'lost';
      }
      d = freshHostState(inv);
      this.hosts.set(name, d);
    }
    if (!d.transport) {
      const target = d;
      // Hosts delegating at once share one connection attempt (and then one connection).
      const connecting =
        this.delegateConnects.get(name) ??
        connectHost(target.inv, { inventoryFile: this.inv.file, hostKeyPolicy: this.opts.hostKeyPolicy, signal: this.aborter.signal });
      this.delegateConnects.set(name, connecting);
      try {
        target.transport ??= await connecting;
      } catch (err) {
        this.delegateConnects.delete(name);
        this.hostLost(h, play, task.name, err, t0);
        return 'lost';
      }
    }
    return d;
  }

  private async runTaskOn(h: HostState, play: Play, task: Task, handler: boolean): Promise<TaskRun> {
    const t0 = Date.now();
    const trips0 = connected(h).roundTrips;
    const host = h.inv.name;
    const shown = shownTaskName(task.name, lazyVars(this.baseVars(h, play, task)));
    this.running.set(host, shown);
    this.opts.sink({ event: 'task_start', play: play.name, task: shown, host, handler });
    let outcome: TaskOutcome;
    try {
      outcome = await this.executeTask(h, play, task);
    } catch (err) {
      if (err instanceof ProvisionError && (err.kind === 'connect' || err.kind === 'hostkey')) {
        this.hostLost(h, play, task.name, this.interrupted ? new ProvisionError('connect', 'interrupted', { host }) : err, t0);
        return { status: 'unreachable', result: { unreachable: true } };
      }
      outcome = { status: 'failed', msg: describeTaskError(err), result: { failed: true }, changes: [] };
    } finally {
      this.running.delete(host);
    }
    // As Ansible: the task is shown failed and ignored, the host goes on and counts it ok and ignored.
    const ignored = outcome.status === 'failed' && task.ignoreErrors ? true : undefined;
    if (task.register) {
      h.runtime[task.register] = outcome.result;
      if (outcome.unknownResult) h.unknown.registeredFrom(task.register, task.name);
      else if (!outcome.decidedAtApply) h.unknown.known(task.register);
    }
    const counted: TaskStatus = ignored ? 'ok' : outcome.status;
    h.stats[counted]++;
    if (ignored) h.stats.ignored = (h.stats.ignored ?? 0) + 1;
    if (counted === 'failed') h.failed = true;
    if (outcome.status === 'changed')
      task.notify.forEach((n) => {
        h.notified.add(n);
      });
    const diffs = this.opts.diff && !task.noLog ? outcome.plan?.diffs : undefined;
    this.opts.sink({
      event: 'task_result',
      play: play.name,
      task: shown,
      host,
      handler,
      status: outcome.status,
      check: this.isCheck(task),
      msg:
        task.noLog && outcome.status !== 'failed' ? undefined : task.noLog ? 'the task failed; its output is hidden (no_log)' : outcome.msg,
      changes: task.noLog ? undefined : outcome.changes,
      diffs,
      durationMs: Date.now() - t0,
      roundTrips: connected(h).roundTrips - trips0,
      attempts: outcome.attempts,
      retries: outcome.retries,
      timedOut: outcome.timedOut,
      delegatedTo: h.delegatedTo,
      items: outcome.items,
      decidedAtApply: outcome.decidedAtApply,
      ignored,
    });
    return { status: counted, result: outcome.result };
  }

  private isCheck(task: Task): boolean {
    return task.checkMode ?? this.opts.check;
  }

  private async executeTask(h: HostState, play: Play, task: Task): Promise<TaskOutcome> {
    const waiting = this.isCheck(task) ? this.waitsForApply(h, task) : undefined;
    if (waiting) return waiting;
    const raw = this.baseVars(h, play, task);
    const vars = lazyVars(raw);
    if (task.loop === undefined) {
      const cond = falseCondition(task, vars);
      if (cond !== undefined)
        return { status: 'skipped', msg: `condition false: ${String(cond)}`, result: { ...SKIPPED_ITEM }, changes: [] };
      return this.executeTries(h, play, task, vars, raw);
    }
    let items: unknown[];
    try {
      items = loopItems(task.loop, raw, task.module, task.location);
    } catch (err) {
      // As Ansible: a loop over an undefined variable fails only if the task's condition holds without it.
      const cond = isUndefinedError(err) ? falseCondition(task, vars) : undefined;
      if (cond === undefined) throw err;
      return { status: 'skipped', msg: `condition false: ${String(cond)}`, result: { ...SKIPPED_ITEM }, changes: [] };
    }
    return this.executeLoop(h, play, task, raw, items);
  }

  /** Each item in turn, `when` decided per item; a failed item does not stop the others, as in Ansible. */
  private async executeLoop(h: HostState, play: Play, task: Task, raw: Vars, items: unknown[]): Promise<TaskOutcome> {
    const settings = loopSettings(task.loopVar, task.loopControl, lazyVars(raw));
    const outcomes: TaskOutcome[] = [];
    const shown: LoopItem[] = [];
    for (const [i, item] of items.entries()) {
      if (i > 0 && settings.pauseS > 0) await sleep(settings.pauseS * 1000, this.aborter.signal);
      const keys = itemVars(settings, items, i);
      const itemRaw = { ...raw, ...keys };
      const itemVarsLazy = lazyVars(itemRaw);
      const o: TaskOutcome =
        falseCondition(task, itemVarsLazy) !== undefined
          ? { status: 'skipped' as const, result: { ...SKIPPED_ITEM }, changes: [] }
          : await this.executeLoopItem(h, play, task, itemVarsLazy, itemRaw, item);
      const label = itemLabel(settings, itemVarsLazy);
      const result = { ...o.result, ...keys };
      const outcome: TaskOutcome =
        'error' in label
          ? { ...o, status: 'failed', msg: label.error, result: { ...result, failed: true, msg: label.error } }
          : { ...o, result };
      outcomes.push(outcome);
      shown.push({ label: task.noLog ? '(censored due to no_log)' : 'error' in label ? 'None' : label.label, status: outcome.status });
    }
    const result = loopResult(outcomes.map((o) => o.result));
    const status: TaskStatus = result.failed ? 'failed' : result.changed ? 'changed' : result.skipped ? 'skipped' : 'ok';
    return {
      status,
      msg:
        outcomes
          .map((o) => o.msg)
          .filter(Boolean)
          .join('\n') || (items.length === 0 ? String(result.skipped_reason) : undefined),
      result,
      plan: { changes: [], diffs: outcomes.flatMap((o) => o.plan?.diffs ?? []) },
      changes: outcomes.flatMap((o) => o.changes),
      items: shown,
      unknownResult: outcomes.some((o) => o.unknownResult) || undefined,
      ...sumTries(outcomes),
    };
  }

  /** One item; what fails it (a module's error included) is that item's failure, not the loop's. */
  private async executeLoopItem(h: HostState, play: Play, task: Task, vars: Vars, raw: Vars, item: unknown): Promise<TaskOutcome> {
    try {
      return await this.executeTries(h, play, task, vars, raw, item);
    } catch (err) {
      if (err instanceof ProvisionError && (err.kind === 'connect' || err.kind === 'hostkey')) throw err;
      const msg = describeTaskError(err);
      return { status: 'failed', msg, result: { failed: true, changed: false, msg }, changes: [] };
    }
  }

  /** Check mode: a task that reads a value only the applied run knows is decided then; what it would define is unknown too. */
  private waitsForApply(h: HostState, task: Task): TaskOutcome | undefined {
    const mod = findModule(task.module);
    const expressions = (mod?.expressionArgs ?? []).map((a) => task.args[a]).filter((v): v is string => typeof v === 'string');
    // changed_when and failed_when read the task's own result; check mode decides without them.
    const sources = h.unknown.readBy({ conditions: task.when, expressions, templates: [task.args, task.loop] });
    if (sources.length === 0) return undefined;
    const defines = [...(task.register ? [task.register] : []), ...(mod?.definesVariables?.(task.args) ?? [])];
    h.unknown.derivedFrom(defines, sources);
    const msg = decidedAtApplyMessage(sources);
    return { status: 'skipped', msg, result: { changed: false, skipped: true, msg }, changes: [], decidedAtApply: true };
  }

  /** One item, tried again while `until` asks for it (never in check mode); each try has the task's time limit. */
  private async executeTries(h: HostState, play: Play, task: Task, vars: Vars, rawVars: Vars, item?: unknown): Promise<TaskOutcome> {
    const count = (k: 'retries' | 'delay') => {
      const v = task.limits[k];
      return v === undefined ? undefined : renderCount(k, v, vars, task.location);
    };
    const policy = this.isCheck(task)
      ? undefined
      : retryPolicy({ until: task.limits.until, retries: count('retries'), delay: count('delay') });
    const limitS = taskTimeout(task, play, this.opts.taskTimeout, vars);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.executeTry(h, play, task, vars, rawVars, limitS, policy, attempt);
      if (!policy) return outcome;
      const step = nextStep(policy, attempt, () => this.untilHolds(task, policy, outcome, rawVars));
      const tries = { attempts: attempt, retries: attempt - 1 };
      if (step === 'done') return { ...outcome, ...tries };
      if (step === 'exhausted' || this.interrupted) {
        const msg = `still failing its until condition after ${attempt} tries${outcome.msg ? `; the last one: ${outcome.msg}` : ''}`;
        return { ...outcome, ...tries, status: 'failed', msg, result: { ...outcome.result, failed: true } };
      }
      this.opts.sink({
        event: 'task_retry',
        play: play.name,
        task: task.name,
        host: h.inv.name,
        attempt,
        retriesLeft: policy.attempts - attempt,
        msg: task.noLog ? undefined : outcome.msg,
        timedOut: outcome.timedOut,
        item,
      });
      await sleep(policy.delayMs, this.aborter.signal);
    }
  }

  /** `until` sees the try's result as `result` and under the registered name; without `until`, a try that did not fail is enough. */
  private untilHolds(task: Task, policy: RetryPolicy, outcome: TaskOutcome, rawVars: Vars): boolean {
    if (policy.until.length === 0) return outcome.status !== 'failed';
    const condVars = lazyVars({ ...rawVars, result: outcome.result, ...(task.register ? { [task.register]: outcome.result } : {}) });
    return policy.until.every((c) => evaluateCondition(c, condVars, `task "${task.name}" until`));
  }

  /** One try: a command that runs past the limit is killed and the try fails with what it printed. */
  private async executeTry(
    h: HostState,
    play: Play,
    task: Task,
    vars: Vars,
    rawVars: Vars,
    limitS: number | undefined,
    policy: RetryPolicy | undefined,
    attempt: number,
  ): Promise<TaskOutcome> {
    const transport = limitS ? withDeadline(connected(h), Date.now() + limitS * 1000, limitS * 1000) : connected(h);
    try {
      return await this.executeItem(h, play, task, vars, rawVars, transport, policy ? attempt : undefined);
    } catch (err) {
      if (err instanceof CommandTimeout) {
        const r = timedOutResult(err);
        return {
          status: 'failed',
          msg: r.msg,
          result: { ...r.result, ...(policy ? { attempts: attempt } : {}) },
          changes: [],
          timedOut: true,
        };
      }
      // With retries, a failure the module reports is a failed try that until may retry, as in Ansible.
      if (policy && err instanceof ProvisionError && (err.kind === 'module' || err.kind === 'command')) {
        const msg = describeTaskError(err);
        return { status: 'failed', msg, result: { failed: true, changed: false, msg, attempts: attempt }, changes: [] };
      }
      throw err;
    }
  }

  /** `vars` renders lazily; `rawVars` are the same values unrendered, to layer more on top. */
  private async executeItem(
    h: HostState,
    play: Play,
    task: Task,
    vars: Vars,
    rawVars: Vars,
    transport: Transport,
    attempt?: number,
  ): Promise<TaskOutcome> {
    const mod = must(findModule(task.module), `module ${task.module}`);
    const { value: renderedArgs, tainted } = secrets.track(() => dropOmitted(renderValue(task.args, vars, `task "${task.name}"`)));
    const rendered = this.variableArgs(renderedArgs, task);
    const parsed = mod.schema.safeParse(rendered);
    if (!parsed.success) {
      const issue = must(parsed.error.issues[0], 'an issue of a failed argument parse');
      throw new ProvisionError(
        'input',
        `arguments of ${mod.name}${issue.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue.message}`,
        { location: task.location },
      );
    }
    for (const value of mod.secretValues?.(parsed.data) ?? []) secrets.add(value);
    const become = resolveBecome(
      vars,
      {
        become: task.become ?? play.become,
        user: task.becomeUser ?? play.becomeUser,
        method: task.becomeMethod,
        flags: task.becomeFlags,
        exe: task.becomeExe,
      },
      this.opts.become,
    );
    const reader = this.readerFor(h, transport, become);
    const check = this.isCheck(task);
    const env = taskEnvironment(task.environment, vars);
    const plan =
      check && mod.checkModeSkip
        ? { changes: [], skipped: mod.checkModeSkip }
        : await mod.plan({
            host: h.inv.name,
            args: parsed.data,
            vars,
            reader,
            files: this.filesFor(task),
            render: (template, origin, file) =>
              renderTemplateFile(
                template,
                templateFileVars(vars, file && templateFileVariables({ path: file.src, fullpath: origin, dest: file.dest })),
                origin,
                file?.syntax,
              ),
            check,
            signal: this.aborter.signal,
          });
    const descriptions = plan.changes.map((c) => c.description);
    if (plan.failed)
      return { status: 'failed', msg: plan.failed, result: { failed: true, msg: plan.failed, ...plan.data }, plan, changes: [] };
    if (plan.skipped)
      return {
        status: 'skipped',
        msg: plan.skipped,
        result: { skipped: true, changed: false, msg: plan.skipped, ...plan.data },
        plan,
        changes: [],
      };
    const refused = this.opts.planHooks?.decided(decisionSite(h.inv.name, play, task, check, attempt), plan);
    if (refused !== undefined)
      return { status: 'failed', msg: refused, result: { failed: true, changed: false, msg: refused }, changes: [] };
    if (check && plan.skipInCheck !== undefined) {
      const msg = plan.skipInCheck;
      return { status: 'skipped', msg, result: { changed: false, skipped: true, msg }, plan, changes: descriptions, unknownResult: true };
    }
    if (plan.facts) {
      secrets.collect(plan.facts);
      Object.assign(h.runtime, plan.facts);
      for (const k of Object.keys(plan.facts)) h.unknown.known(k);
    }
    if (plan.hostFacts) {
      // They join those gathered before, as Ansible merges them.
      h.facts = withReturnedFacts(h.facts, plan.hostFacts);
      for (const k of Object.keys(plan.hostFacts)) h.unknown.known(k);
    }
    // The run's own inventory changes in check mode too, as in Ansible: later plays see the hosts and groups.
    const regrouped = (plan.inventory ?? []).map((u) => this.updateInventory(h, u, task)).some(Boolean);

    let last: ExecResult | undefined;
    let execFailure: string | undefined;
    if (!check) {
      for (const change of plan.changes) {
        const r = await this.apply(transport, h, task, change, become, env);
        last = r;
        if (r.exitCode !== 0 && !(change.kind === 'exec' && change.okExitCodes?.includes(r.exitCode))) {
          execFailure = `${change.description} failed (exit ${r.exitCode})\n  command: ${(r.command.split('\n')[0] ?? '').slice(0, 300)}\n${tail(r.stderr || r.stdout)}`;
          break;
        }
      }
    }
    let failed = execFailure !== undefined;
    let changed = reportsChanged(plan.changes, failed) || regrouped;
    const tries = attempt === undefined ? {} : { attempts: attempt };
    const applied = !check && changed && !failed && mod.resultAfterApply ? await mod.resultAfterApply({ args: parsed.data, reader }) : {};
    // A message read after the apply (ufw's status) is the result's when the plan had none.
    const appliedMsg = typeof applied.msg === 'string' ? applied.msg : undefined;
    const result = resultOf(changed, last, { ...plan.data, ...applied, msg: execFailure ?? plan.msg ?? appliedMsg, failed, ...tries });
    // Taint: what a task given a secret gets back from the host is secret, except the plain arguments
    // it echoes; everything a no_log task returns is secret.
    if (task.noLog) secrets.addDeep(result);
    else if (tainted) secrets.addDeep(hostOutput(result), secrets.plainStrings(rendered));
    const condVars = lazyVars({ ...rawVars, result, ...(task.register ? { [task.register]: result } : {}) });
    // A failed_when decides failure itself, as in Ansible: a non-zero exit is then only data.
    if (task.failedWhen !== undefined && !check) {
      failed = evaluateCondition(task.failedWhen, condVars, `task "${task.name}" failed_when`);
      Object.assign(result, { failed, failed_when_result: failed });
    }
    const outputUnknown = check && plan.changes.some((c) => c.kind === 'exec' && c.registersOutput === true);
    if (task.changedWhen !== undefined && !outputUnknown) {
      changed = evaluateCondition(task.changedWhen, condVars, `task "${task.name}" changed_when`);
      result.changed = changed;
    }
    const status: TaskStatus = failed ? 'failed' : changed ? 'changed' : 'ok';
    const msg = failed ? (execFailure ?? `failed_when matched: ${String(task.failedWhen)}`) : plan.msg;
    return { status, msg, result, plan, changes: descriptions, unknownResult: outputUnknown || undefined };
  }

  /** add_host, group_by: the inventory changes, and with it `groups`, the states of new hosts and every host's variables. */
  private updateInventory(h: HostState, u: InventoryUpdate, task: Task): boolean {
    if (!applyInventoryUpdate(this.inv, h.inv.name, u, task.location)) return false;
    this.groups = groupsOf(this.inv);
    for (const inv of this.inv.hosts.values()) {
      const state = this.hosts.get(inv.name);
      if (state) state.inv = inv;
      else this.hosts.set(inv.name, freshHostState(inv));
    }
    return true;
  }

  /** Arguments given as a variable (`debug: "{{ m }}"`): its mapping under the task's own, with Ansible's warning once per task. */
  private variableArgs(rendered: unknown, task: Task): unknown {
    if (rendered === null || typeof rendered !== 'object' || Array.isArray(rendered)) return rendered;
    const merged = mergeVariableArgs(rendered as Record<string, unknown>, pyStr);
    if ('error' in merged) throw new ProvisionError('input', merged.error, { location: task.location });
    if (merged.args !== rendered && !this.warnedVariableArgs.has(task)) {
      this.warnedVariableArgs.add(task);
      this.opts.sink({ event: 'warning', msg: VARIABLE_ARGS_WARNING });
    }
    return merged.args;
  }

  /** Every inventory host has a state from the constructor on. */
  private state(name: string): HostState {
    return must(this.hosts.get(name), `run state of host ${name}`);
  }

  /** Reads for a task, batched and cached per host; what `become` sees is cached apart. */
  private readerFor(h: HostState, transport: Transport, become: BecomeOptions | undefined): HostReader {
    const scope = become?.user ?? '';
    const hooks = this.opts.planHooks;
    const observe = hooks && ((request: ReadRequest, value: Promise<ReadValue>) => hooks.read(h.inv.name, scope, request, value));
    return createHostReader((command, inline) => transport.exec(command, { become, read: true, inline }), h.reads, scope, observe);
  }

  private async apply(
    t: Transport,
    h: HostState,
    task: Task,
    change: Change,
    become: BecomeOptions | undefined,
    env: Record<string, string>,
  ): Promise<ExecResult> {
    // The host is about to change (even a failed change may change it): later reads must ask again.
    // Nothing reads this host while its change runs, so forgetting now is as good as after.
    h.reads.clear();
    if (change.kind === 'exec') {
      const onLine = change.streamOutput
        ? (line: string) => this.opts.sink({ event: 'task_output', host: h.inv.name, task: task.name, line })
        : undefined;
      return t.exec(withEnvironment(change.command, env), { stdin: change.stdin, become, onLine });
    }
    if (change.kind === 'reboot') return this.reboot(h, change.reboot, become);
    if (change.kind === 'controller-write') return writeOnController(change.path, change.content);
    const { file } = change;
    const content = typeof file.content === 'function' ? await file.content() : file.content;
    return t.exec(atomicWriteCommand({ ...file, content }), { stdin: content, become });
  }

  /** The reboot module's change: the host comes back on a new connection, which later tasks use. */
  private async reboot(h: HostState, req: RebootRequest, become: BecomeOptions | undefined): Promise<ExecResult> {
    const settings = { inventoryFile: this.inv.file, hostKeyPolicy: this.opts.hostKeyPolicy, signal: this.aborter.signal };
    const { transport, result } = await rebootHost(connected(h), req, become, {
      connect: (s) => connectHost(s === undefined ? h.inv : { ...h.inv, vars: { ...h.inv.vars, provision_connect_timeout: s } }, settings),
      signal: this.aborter.signal,
    });
    h.transport = transport;
    return result;
  }
}

/** A loop's tries, summed over its items; absent when no item was retried by policy. */
function sumTries(outcomes: TaskOutcome[]): Pick<TaskOutcome, 'attempts' | 'retries' | 'timedOut'> {
  const counted = outcomes.filter((o) => o.attempts !== undefined);
  const timedOut = outcomes.some((o) => o.timedOut) || undefined;
  if (counted.length === 0) return { timedOut };
  return {
    attempts: counted.reduce((n, o) => n + (o.attempts ?? 0), 0),
    retries: counted.reduce((n, o) => n + (o.retries ?? 0), 0),
    timedOut,
  };
}

/** A host's state before the run touches it. */
function freshHostState(inv: InventoryHost): HostState {
  return {
    inv,
    reads: new ReadCache(),
    facts: {},
    runtime: {},
    stats: emptyStats(),
    failed: false,
    unreachable: false,
    notified: new Set(),
    unknown: new UnknownUntilApply(),
    connections: new HostConnections(connectionKind(inv, {})),
  };
}

/** What a saved plan knows a decision by (src/core/plan-hooks.ts). */
function decisionSite(host: string, play: Play, task: Task, check: boolean, attempt: number | undefined): DecisionSite {
  return {
    host,
    play: play.name,
    task: task.name,
    handler: play.handlers.includes(task),
    location: formatLocation(task.location),
    attempt,
    check,
    register: task.register,
    neverChanges: task.changedWhen === false,
    source: () => JSON.stringify([task.args, task.when, task.loop, task.vars, task.changedWhen, task.failedWhen]),
  };
}

/** Variables of no block, role or task: the play's and the host's only. */
const NO_SCOPE: Pick<Task, 'vars' | 'params'> = { vars: {}, params: {} };

/** Tasks run only after `connect` succeeded for the host. */
function connected(h: HostState): Transport {
  return must(h.transport, `connection to ${h.inv.name}`);
}

/** The parts of a result that came from the host (a command's output, a slurped file), not from provision. */
const HOST_OUTPUT_KEYS = ['stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'content'];

function hostOutput(result: Record<string, unknown>): unknown[] {
  return HOST_OUTPUT_KEYS.map((k) => result[k]);
}
