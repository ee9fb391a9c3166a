import { readFileSync } from 'node:fs';
import type { Inventory } from '../config/inventory.js';
import type { Play, Playbook, Task, TaskNode } from '../config/playbook.js';
import { type IncludeNode, loadIncluded, newLoadContext } from '../config/task-list.js';
import type { Vars } from '../core/vars.js';
import { ProvisionError } from '../errors.js';
import { type AccessPath, ANY_KEY, type TemplateReads } from '../jinja/reads.js';
import { collectorOfFact } from '../reads/host-facts.js';
import { findModule } from '../registry/modules.js';
import { isTemplated, readsOf } from '../template/render.js';
import { controllerFiles } from './controller-files.js';
import { MAGIC_VARIABLES } from './magic-vars.js';
import { runWideNames } from './preflight.js';

/**
 * Which gathered facts a run can read. Gathering every collector costs a host over a second of
 * process starts (the keepalived job reads only its distribution), so provision gathers only the
 * collectors whose facts something in the run names: a template, a condition, a variable of any
 * layer, a template file. Where the names cannot be known before the run (a whole `ansible_facts`,
 * `hostvars[h]` or `vars` read at once, a computed name, a `vars` lookup, a file chosen at run time),
 * every collector runs, as in Ansible. What a task can see is the same either way.
 */
export type FactNeeds = { all: true; why: string } | { all: false; facts: string[]; collectors: string[] };

/** Variables a module returns as facts (package_facts, service_facts, getent): never gathered, no reason to gather. */
const RETURNED_BY_MODULES = /^(packages|services|getent_\w+)$/;

/** Names Ansible gives beside the facts: connection settings and the run's magic variables. */
const NOT_FACTS =
  /^ansible_(host|port|user|password|connection|ssh_\w+|scp_\w+|sftp_\w+|become\w*|\w+_interpreter|shell_\w+|private_key_file|pipelining|timeout|remote_tmp|module_compression|async_dir|loop\w*|index_var|failed_\w+|limit|inventory_sources|playbook_python|search_path|parent_role_\w+|collection_name|delegated_vars|play_\w+|role_names|dependent_role_names|managed)$/;

/** A text that can read a fact: nothing else can reach one. */
const MAY_READ_FACTS = /ansible_|vars|lookup|query|\bq\s*\(/;
/** A bare (untemplated) string read as an expression only when it looks like one that reads a fact. */
const BARE_MAY_READ_FACTS = /ansible_\w|hostvars|\bvars\s*[[.]|\b(?:lookup|query|q)\s*\(/;

/** The lookups that read variables by a name given as text, or render a template file. */
const OPAQUE_LOOKUPS = new Set(['vars', 'ansible.builtin.vars', 'template', 'ansible.builtin.template']);

class Needs {
  readonly facts = new Set<string>();
  why: string | undefined;
  constructor(private readonly defined: ReadonlySet<string>) {}

  all(why: string): void {
    this.why ??= why;
  }

  /** A variable read by name, with what is read from it. */
  name(name: string, rest: readonly (string | typeof ANY_KEY)[]): void {
    if (name === 'ansible_facts') {
      const key = rest[0];
      if (key === undefined || key === ANY_KEY) this.all('ansible_facts is read whole or by a computed key');
      else this.fact(key, `ansible_facts.${key}`);
    } else if (name.startsWith('ansible_') && !this.defined.has(name)) {
      const key = name.slice('ansible_'.length);
      // A collector's fact first: ansible_ssh_host_key_rsa_public is one, though ansible_ssh_* names are settings.
      if (collectorOfFact(key) !== undefined || (!NOT_FACTS.test(name) && !MAGIC.has(name))) this.fact(key, name);
    }
  }

  private fact(key: string, as: string): void {
    if (RETURNED_BY_MODULES.test(key)) return;
    // A name no collector declares may be an interface's facts (ansible_eth0): only all of them give it.
    if (collectorOfFact(key) === undefined) this.all(`${as} is no fact a collector names`);
    else this.facts.add(key);
  }

  /** Every access a template makes, and the lookups it calls. */
  reads(reads: TemplateReads, where: string): void {
    for (const path of reads.accesses) this.access(path);
    for (const l of reads.lookups) if (l === ANY_KEY || OPAQUE_LOOKUPS.has(l)) this.all(`${where} calls lookup('${String(l)}')`);
  }

  private access([root, ...rest]: AccessPath): void {
    if (root === 'hostvars' || root === 'vars') {
      // hostvars[host].name, vars.name: the name is read as any variable is; a whole or computed one may be a fact.
      const [name, ...after] = root === 'hostvars' ? rest.slice(1) : rest;
      if (root === 'hostvars' && rest.length === 0) this.all('hostvars is read whole');
      else if (name === undefined || name === ANY_KEY) this.all(`${root} is read whole or by a computed name`);
      else this.name(name, after);
    } else this.name(root, rest);
  }
}

const MAGIC = new Set<string>(MAGIC_VARIABLES);

/** The facts a run of `pb` can read, from what it names (see FactNeeds). */
export function factNeeds(pb: Playbook, inv: Inventory, extra: Vars): FactNeeds {
  const needs = new Needs(definedNames(pb, inv, extra));
  const scan = new Scanner(needs, pb);
  for (const h of inv.hosts.values()) scan.value(h.vars, `inventory variables of ${h.name}`);
  scan.value(extra, 'extra variables');
  for (const play of pb.plays) scan.play(play);
  if (needs.why !== undefined) return { all: true, why: needs.why };
  const facts = [...needs.facts].sort();
  const collectors = [...new Set(facts.map((f) => collectorOfFact(f) ?? ''))].sort();
  return { all: false, facts, collectors };
}

/** Names some layer defines (an inventory's ansible_user, a play's var): never a fact, even when named ansible_*. */
function definedNames(pb: Playbook, inv: Inventory, extra: Vars): Set<string> {
  const names = runWideNames(pb, inv, extra);
  for (const play of pb.plays)
    for (const layer of [play.vars, play.varsFiles, ...play.roles.flatMap((r) => [r.defaults, r.vars])])
      for (const k of Object.keys(layer)) names.add(k);
  return names;
}

class Scanner {
  private readonly included = new Set<string>();
  constructor(
    private readonly needs: Needs,
    private readonly pb: Playbook,
  ) {}

  play(play: Play): void {
    const where = `play "${play.name}"`;
    this.value([play.name, play.hosts, play.vars, play.varsFiles], where);
    for (const r of play.roles) this.value([r.defaults, r.vars], `role ${r.name}`);
    this.nodes(play.tasks, play);
    for (const h of play.handlers) this.task(h);
  }

  private nodes(nodes: readonly TaskNode[], play: Play): void {
    for (const n of nodes) {
      if (n.kind === 'task') this.task(n);
      else if (n.kind === 'block') for (const part of [n.block, n.rescue, n.always]) this.nodes(part, play);
      else if (n.kind === 'include') this.include(n, play);
    }
  }

  /** A dynamic include's file or role, loaded here as the run would load it; one named by a template is known only then. */
  private include(node: IncludeNode, play: Play): void {
    const where = `include "${node.name}" (${node.location.file}:${node.location.line})`;
    this.value([node.when, node.vars, node.loop, node.name], where);
    if (isTemplated(node.target)) {
      this.needs.all(`${where} loads a file named by a template`);
      return;
    }
    const key = `${node.scope.dir}\0${node.role ? 'role:' : ''}${node.target}`;
    if (this.included.has(key)) return;
    this.included.add(key);
    const ctx = newLoadContext(play.loadContext.rolesSearchPath);
    try {
      this.nodes(loadIncluded(node, node.target, {}, ctx, this.pb.dir), play);
    } catch (err) {
      // The run reports it when the include is reached; here it only means the facts read there are unknown.
      if (!(err instanceof ProvisionError)) throw err;
      this.needs.all(`${where} could not be loaded before the run: ${err.message}`);
      return;
    }
    for (const r of ctx.roles) this.value([r.defaults, r.vars], `role ${r.name}`);
    for (const h of ctx.handlers) this.task(h);
  }

  private task(t: Task): void {
    const where = `task "${t.name}" (${t.location.file}:${t.location.line})`;
    const { role: _role, location: _location, dir: _dir, ...fields } = t;
    this.value(fields, where);
    const mod = findModule(t.module);
    if (mod?.definesAnyVariable) this.needs.all(`${where} loads variables chosen at run time`);
    if (mod?.changesInventory) this.needs.all(`${where} adds hosts or groups, whose variables are read at run time`);
    if (mod?.roleSearchDir === 'templates') this.templateFile(t, where);
  }

  /** A template module's file is a template too: what it reads is read by the task. */
  private templateFile(t: Task, where: string): void {
    const src = t.args.src;
    if (typeof src !== 'string') return;
    if (isTemplated(src)) {
      this.needs.all(`${where} renders a file named by a template`);
      return;
    }
    const files = controllerFiles(this.pb.dir, { roleDir: t.role?.path, sub: 'templates', taskDir: t.dir });
    // A file that is not there fails the task when it runs: nothing to read from it here.
    if (!files.exists(src)) return;
    // Read directly, not as an input of the run: a task that is skipped never reads it.
    const reads = readsOf(readFileSync(files.resolve(src), 'utf8'));
    if (reads?.loadsTemplates) {
      this.needs.all(`${where}: ${src} includes or imports other templates`);
      return;
    }
    if (reads) this.needs.reads(reads, `${where}: ${src}`);
  }

  /** Every string inside a value: a template is read as one, a bare string as an expression when it may be one. */
  value(v: unknown, where: string, seen = new Set<object>()): void {
    if (typeof v === 'string') this.text(v, where);
    else if (v !== null && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      for (const [k, x] of Object.entries(v)) {
        if (!Array.isArray(v)) this.text(k, where);
        this.value(x, where, seen);
      }
    }
  }

  private text(s: string, where: string): void {
    if (!MAY_READ_FACTS.test(s)) return;
    if (isTemplated(s)) {
      const reads = readsOf(s);
      if (reads) this.needs.reads(reads, where);
    } else if (BARE_MAY_READ_FACTS.test(s)) {
      // when:, assert's that:, debug's var: are expressions without braces.
      const reads = readsOf(`{{ ${s} }}`);
      if (reads) this.needs.reads(reads, where);
    }
  }
}
