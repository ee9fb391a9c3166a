import { isTemplated, referencedNames } from '../template/render.js';

/**
 * Values a check run cannot know. A command that check mode only previews ("would run") has no
 * output yet, so what it registers is unknown until the run applies; so is every variable later set
 * from it. A task whose condition or arguments read such a variable is not failed in check mode:
 * it is reported as decided at apply, and what it would register or set becomes unknown in turn.
 */

/** The word a check run's output shows for such a task. */
export const DECIDED_AT_APPLY = 'decided at apply';

/** Why a variable is unknown: the task whose command runs only on apply, through whichever variable. */
export interface UnknownSource {
  variable: string;
  /** The task that registered the first unknown value of the chain. */
  task: string;
}

/** What a task reads before it runs: its conditions, loop and arguments, unrendered. */
export interface TaskInputs {
  /** Bare expressions (when, changed_when, failed_when, until). */
  conditions: readonly (string | boolean)[];
  /** Values that may hold `{{ templates }}` (arguments, loop, keyword templates). */
  templates: readonly unknown[];
  /** Bare expressions among the arguments (debug's `var`). */
  expressions?: readonly string[];
}

/** Per host: the variables a check run cannot know yet. Empty outside check mode. */
export class UnknownUntilApply {
  private readonly sources = new Map<string, UnknownSource>();

  /** `variable` was registered from a command the check run did not run. */
  registeredFrom(variable: string, task: string): void {
    this.sources.set(variable, { variable, task });
  }

  /** `variables` were set or registered by a task decided at apply, which read `from`. */
  derivedFrom(variables: readonly string[], from: readonly UnknownSource[]): void {
    const first = from[0];
    if (!first) return;
    for (const v of variables) this.sources.set(v, { variable: v, task: first.task });
  }

  /** `variable` holds a known value again (a later task set it). */
  known(variable: string): void {
    this.sources.delete(variable);
  }

  has(variable: string): boolean {
    return this.sources.has(variable);
  }

  /** The unknown variables a task reads, in the order it reads them; empty when it can run now. */
  readBy(inputs: TaskInputs): UnknownSource[] {
    if (this.sources.size === 0) return [];
    const names = new Set<string>();
    for (const c of inputs.conditions) if (typeof c === 'string') for (const n of referencedNames(`{{ ${c} }}`)) names.add(n);
    for (const e of inputs.expressions ?? []) for (const n of referencedNames(`{{ ${e} }}`)) names.add(n);
    for (const t of templateStrings(inputs.templates)) for (const n of referencedNames(t)) names.add(n);
    return [...names].flatMap((n) => {
      const s = this.sources.get(n);
      return s ? [s] : [];
    });
  }
}

/** The message of a task decided at apply: what it waits for, and why that is not known now. */
export function decidedAtApplyMessage(sources: readonly UnknownSource[]): string {
  const parts = sources.map((s) => `${s.variable} (from "${s.task}", which runs only on apply)`);
  return `${DECIDED_AT_APPLY}: depends on ${parts.join(', ')}`;
}

/** Every templated string inside a value (strings, lists, mappings), keys included. */
function templateStrings(values: readonly unknown[]): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (isTemplated(v)) out.push(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
  };
  values.forEach(walk);
  return out;
}
