import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import type { Vars } from '../core/vars.js';
import { BadSubsetError, DEFAULT_GATHER_TIMEOUT, hostFacts } from '../reads/host-facts.js';
import { fnmatchRegExp } from '../util/fnmatch.js';
import { defineModule } from './types.js';

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v));

const schema = z.strictObject({
  gather_subset: list
    .default(['all'])
    .describe('which facts: all, min, hardware, network, virtual, a collector name; !NAME leaves one out'),
  gather_timeout: z.coerce.number().int().default(DEFAULT_GATHER_TIMEOUT).describe("seconds one mount's size lookup may take"),
  filter: list.default([]).describe('only facts whose name (ansible_distribution*, or without ansible_) matches one of these patterns'),
  fact_path: z.string().optional().describe('accepted for Ansible: local facts (facts.d) are not read'),
});
export type SetupArgs = z.infer<typeof schema>;

/** Ansible's fact filter: fnmatch on `ansible_NAME`, a pattern without that prefix tried with it too. */
function matchesFilter(name: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0 || patterns.every((p) => p === '' || p === '*')) return true;
  const full = `ansible_${name}`;
  return patterns.some(
    (p) => !p || fnmatchRegExp(p).test(full) || (!/^(ansible_|facter|ohai)/.test(p) && fnmatchRegExp(`ansible_${p}`).test(full)),
  );
}

/** The gathered facts a setup task keeps: those that pass the filter, also under `ansible_facts` with Ansible's prefix. */
export function selectFacts(facts: Vars, filter: readonly string[]): Plan {
  const kept = Object.fromEntries(Object.entries(facts).filter(([k]) => matchesFilter(k, filter)));
  const prefixed = Object.fromEntries(Object.entries(kept).map(([k, v]) => [`ansible_${k}`, v]));
  return { changes: [], hostFacts: prefixed, data: { ansible_facts: prefixed }, msg: `${Object.keys(kept).length} facts` };
}

export const setup = defineModule({
  name: 'setup',
  schema,
  async plan({ args, reader }) {
    // The play's gathering, one round trip, narrowed to the asked-for collectors on the host. The
    // read resolves the subset to build its command: a word Ansible refuses fails this task there.
    let facts: Vars;
    try {
      facts = await reader.get(hostFacts, { gather_subset: args.gather_subset, gather_timeout: args.gather_timeout });
    } catch (err) {
      if (err instanceof BadSubsetError) return { changes: [], failed: err.message };
      throw err;
    }
    return selectFacts(facts, args.filter);
  },
});
