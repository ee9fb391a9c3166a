import type { Inventory } from '../config/inventory.js';
import type { Playbook, Task } from '../config/playbook.js';
import { staticTasks } from '../config/task-list.js';
import type { Vars } from '../core/vars.js';
import { inputError } from '../errors.js';
import { findModule } from '../registry/modules.js';
import { guardedNames, isTemplated, referencedNames } from '../template/render.js';
import { MAGIC_VARIABLES } from './magic-vars.js';

/** Names every run defines, beside the inventory's and the playbook's own. */
const BUILTIN = new Set<string>([
  ...MAGIC_VARIABLES,
  'inventory_file',
  'inventory_dir',
  'item',
  'result',
  'ansible_facts',
  'role_name',
  'role_path',
  'ansible_failed_task',
  'ansible_failed_result',
  'True',
  'False',
  'None',
  'true',
  'false',
  'none',
]);
const FACT_PREFIX = 'ansible_';

/**
 * A variable that no layer can ever define is an error before any host is contacted: it points
 * at the task, names the variable, and nothing runs. (Ansible finds it only when the task runs.)
 * Guarded uses (`x is defined`, `x | default(...)`) are left alone.
 */
export function checkUndefinedVariables(pb: Playbook, inv: Inventory, extra: Vars): void {
  const known = new Set<string>([...BUILTIN, ...runWideNames(pb, inv, extra)]);
  // From a play with add_host or group_by on, a host's variables include those of groups made at run time (group_vars/ of a new group).
  let regrouped = false;
  for (const play of pb.plays) {
    const tasks = [...staticTasks(play.tasks), ...play.handlers];
    regrouped ||= tasks.some((t) => findModule(t.module)?.changesInventory);
    // include_vars may define any name, from a file chosen per host: the play's names cannot be known here.
    if (regrouped || tasks.some((t) => findModule(t.module)?.definesAnyVariable)) continue;
    const playKnown = new Set(known);
    const layers = [play.vars, play.varsFiles, ...play.roles.flatMap((r) => [r.defaults, r.vars])];
    for (const v of layers) for (const k of Object.keys(v)) playKnown.add(k);
    for (const t of tasks) checkTask(t, playKnown);
  }
}

/**
 * Names the run defines for every play: inventory variables, -e, and what tasks register or set
 * (registered and set_fact names count from anywhere: they live on with the host across plays).
 */
export function runWideNames(pb: Playbook, inv: Inventory, extra: Vars): Set<string> {
  const names = new Set(Object.keys(extra));
  for (const h of inv.hosts.values()) for (const k of Object.keys(h.vars)) names.add(k);
  for (const t of pb.plays.flatMap((p) => [...staticTasks(p.tasks), ...p.handlers])) {
    if (t.register) names.add(t.register);
    for (const name of findModule(t.module)?.definesVariables?.(t.args) ?? []) names.add(name);
  }
  return names;
}

function checkTask(t: Task, known: Set<string>): void {
  const local = new Set(known);
  for (const k of Object.keys({ ...t.vars, ...t.params })) local.add(k);
  for (const k of [t.loopVar, t.loopControl?.indexVar, 'ansible_loop_var', 'ansible_index_var', 'ansible_loop']) if (k) local.add(k);
  const texts: string[] = [];
  collectStrings([t.args, t.loopControl?.label, t.environment, Object.values(t.vars)], texts);
  collectStrings([t.limits.timeout, t.limits.retries, t.limits.delay], texts);
  const conditions = [...t.when, t.changedWhen, t.failedWhen, ...t.limits.until].filter((c): c is string => typeof c === 'string');
  const asTemplate = (c: string) => `{{ ${c.replace(/^\s*\{\{|\}\}\s*$/g, '')} }}`;
  for (const c of conditions) texts.push(asTemplate(c));
  checkTexts(t, texts, local);
  // As in Ansible, a `when` that tests a name guards the loop: an undefined loop under a false condition skips the task.
  const whenGuards = t.when.filter((c): c is string => typeof c === 'string').flatMap((c) => [...guardedNames(asTemplate(c))]);
  const loopTexts: string[] = [];
  // first_found drops the terms it cannot render (Ansible's fail_on_undefined=False), so they are not checked.
  if (t.loop?.kind === 'list') collectStrings(t.loop.value, loopTexts);
  else if (t.loop && t.loop.lookup !== 'first_found') collectStrings(t.loop.terms, loopTexts);
  checkTexts(t, loopTexts, new Set([...local, ...whenGuards]));
}

function collectStrings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collectStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collectStrings(x, out);
}

function checkTexts(t: Task, texts: string[], local: Set<string>): void {
  for (const text of texts) {
    if (!isTemplated(text)) continue;
    for (const name of referencedNames(text)) {
      if (local.has(name) || name.startsWith(FACT_PREFIX)) continue;
      throw inputError(
        `task "${t.name}" uses the variable '${name}', which is defined nowhere (inventory, play vars, vars_files, register, set_fact, -e)`,
        t.location,
        `define '${name}', or guard it with "${name} | default(...)" or "${name} is defined"`,
      );
    }
  }
}
