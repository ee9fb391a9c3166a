import type { Vars } from '../core/vars.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Facts a module returns (package_facts, service_facts), as Ansible stores them: merged into the
 * host's `ansible_facts`, and each one also a variable of its own name (INJECT_FACTS_AS_VARS).
 */
export function moduleFacts(vars: Vars, facts: Record<string, unknown>): Vars {
  const current = vars.ansible_facts;
  return { ansible_facts: { ...(isRecord(current) ? current : {}), ...facts }, ...facts };
}
