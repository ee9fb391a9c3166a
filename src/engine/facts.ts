import type { Vars } from '../core/vars.js';
import type { HostFacts } from '../reads/host-facts.js';

/** Facts as variables: `ansible_facts.x` and, as Ansible injects them, `ansible_x`. */
export function factVars(f: HostFacts): Vars {
  const vars: Vars = { ansible_facts: f };
  for (const [k, v] of Object.entries(f)) vars[`ansible_${k}`] = v;
  return vars;
}
