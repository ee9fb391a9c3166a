import type { Vars } from '../core/vars.js';
import type { HostFacts, HostFactsArgs } from '../reads/host-facts.js';
import type { FactNeeds } from './fact-needs.js';

/** Facts as variables: `ansible_facts.x` and, as Ansible injects them, `ansible_x` (interfaces too: `ansible_eth0`). */
export function factVars(f: HostFacts): Vars {
  const vars: Vars = { ansible_facts: f };
  for (const [k, v] of Object.entries(f)) vars[`ansible_${k}`] = v;
  return vars;
}

/**
 * A module's returned facts added to a host's fact variables as Ansible's fact cache takes them:
 * each a variable of the name it was returned under (INJECT_FACTS_AS_VARS), and in `ansible_facts`
 * without the `ansible_` prefix (namespace_facts).
 */
export function withReturnedFacts(current: Vars, returned: Vars): Vars {
  const known = current.ansible_facts;
  const facts = typeof known === 'object' && known !== null && !Array.isArray(known) ? (known as Vars) : {};
  const namespaced = Object.fromEntries(
    Object.entries(returned).map(([k, v]) => [k.startsWith('ansible_') ? k.slice('ansible_'.length) : k, v]),
  );
  return { ...current, ...returned, ansible_facts: { ...facts, ...namespaced } };
}

/**
 * The gathering a play asks for (its gather_subset and gather_timeout), as the host_facts read's
 * arguments, narrowed to the collectors whose facts the run can read.
 */
export function gatherArgs(play: { gatherSubset?: readonly string[]; gatherTimeout?: number }, needs?: FactNeeds): HostFactsArgs {
  return {
    ...(play.gatherSubset === undefined ? {} : { gather_subset: play.gatherSubset }),
    ...(play.gatherTimeout === undefined ? {} : { gather_timeout: play.gatherTimeout }),
    ...(needs === undefined || needs.all ? {} : { collectors: needs.collectors }),
  };
}
