import type { Vars } from '../core/vars.js';
import type { HostFacts, HostFactsArgs } from '../reads/host-facts.js';

/** Facts as variables: `ansible_facts.x` and, as Ansible injects them, `ansible_x` (interfaces too: `ansible_eth0`). */
export function factVars(f: HostFacts): Vars {
  const vars: Vars = { ansible_facts: f };
  for (const [k, v] of Object.entries(f)) vars[`ansible_${k}`] = v;
  return vars;
}

/** The gathering a play asks for (its gather_subset and gather_timeout), as the host_facts read's arguments. */
export function gatherArgs(play: { gatherSubset?: readonly string[]; gatherTimeout?: number }): HostFactsArgs {
  return {
    ...(play.gatherSubset === undefined ? {} : { gather_subset: play.gatherSubset }),
    ...(play.gatherTimeout === undefined ? {} : { gather_timeout: play.gatherTimeout }),
  };
}
