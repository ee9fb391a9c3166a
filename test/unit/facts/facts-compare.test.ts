import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReadValue } from '../../../src/core/reads.js';
import { factVars } from '../../../src/engine/facts.js';
import { BadSubsetError, hostFacts, parseHostFacts, resolveGatherSubset } from '../../../src/reads/host-facts.js';
import { compareFacts, LISTED, NOT_GATHERED, ruleFor, unprefixed } from './compare.js';

// Ansible's setup output and provision's gathering, recorded one after the other on the same lab
// host by scripts/record-facts.mjs: every fact is compared, for each recorded gather_subset.
const DIR = join(import.meta.dirname, '../../fixtures/facts');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');
type Variant = { gather_subset: string[] };
const ansible = JSON.parse(read('ansible-setup.json')) as { variants: (Variant & { facts: Record<string, ReadValue> })[] };
const gathered = JSON.parse(read('provision-gather.json')) as { variants: (Variant & { command: string; stdout: string })[] };
const pairs = ansible.variants.map((a, i) => ({ subset: a.gather_subset.join(','), a, p: gathered.variants[i] }));
const all = pairs[0];

describe('facts: provision against Ansible setup on the same lab host (test/fixtures/facts)', () => {
  it('the recordings are the ones SHA256SUMS names (re-record with scripts/record-facts.mjs, never edit)', () => {
    for (const line of read('SHA256SUMS').trim().split('\n')) {
      const [sum, name = ''] = line.split(/\s+/);
      expect(
        createHash('sha256')
          .update(JSON.stringify(JSON.parse(read(name))))
          .digest('hex'),
        name,
      ).toBe(sum);
    }
  });

  it.each(pairs)("gather_subset $subset: every fact equal to Ansible's, or its difference documented", ({ a, p }) => {
    expect(p?.gather_subset).toEqual(a.gather_subset);
    // A changed gathering command needs a new recording: its output is what is parsed here.
    expect(hostFacts.command({ gather_subset: a.gather_subset }), 're-record with scripts/record-facts.mjs').toBe(p?.command);
    const facts = parseHostFacts(p?.stdout ?? '', { gather_subset: a.gather_subset });
    expect(compareFacts(unprefixed(a.facts), facts)).toEqual([]);
  });

  it('every fact issue 12 lists is gathered and compared, none only by shape without saying why', () => {
    const names = Object.keys(unprefixed(all?.a.facts ?? {}));
    for (const pattern of LISTED) {
      const matching = names.filter((n) => pattern.test(n));
      expect(matching, String(pattern)).not.toEqual([]);
      for (const n of matching) expect(ruleFor(n)?.kind, n).not.toBe('not-gathered');
    }
    for (const [name, why] of Object.entries(NOT_GATHERED)) expect(why, name).not.toBe('');
  });

  it('the comparison can fail: a wrong value, a missing fact and an extra one are each reported', () => {
    const facts = parseHostFacts(all?.p?.stdout ?? '', { gather_subset: ['all'] });
    const recorded = unprefixed(all?.a.facts ?? {});
    const { machine_id: _dropped, ...without } = facts;
    expect(compareFacts(recorded, { ...without, os_family: 'RedHat', extra: 1 })).toEqual([
      'machine_id: Ansible has it, provision does not',
      'os_family: "RedHat" is not Ansible\'s "Debian"',
      'extra: provision has it, Ansible does not',
    ]);
  });

  it('facts are variables as Ansible injects them: ansible_facts.x, ansible_x, ansible_<interface>', () => {
    const vars = factVars(parseHostFacts(all?.p?.stdout ?? '', { gather_subset: ['all'] }));
    expect(vars.ansible_distribution_release).toBe('bookworm');
    expect(vars.ansible_os_family).toBe('Debian');
    expect((vars.ansible_host0 as { device?: string }).device).toBe('host0');
    expect((vars.ansible_facts as Record<string, unknown>).lo_1).toEqual(vars.ansible_lo_1);
  });

  it("gather_subset: Ansible's words, its refusal of an unknown one, and what each selects", () => {
    expect(resolveGatherSubset(undefined)).toEqual(resolveGatherSubset(['all']));
    expect(resolveGatherSubset(['!all', '!min', 'network'])).toEqual(['distribution', 'network', 'platform']);
    expect(resolveGatherSubset('!all,!min,mounts')).toEqual(['hardware', 'platform']);
    // In a list (a play's keyword), a comma is part of the word, as in Ansible: an unknown exclusion is ignored, an unknown subset refused.
    expect(resolveGatherSubset(['!all,!min,network'])).toEqual(resolveGatherSubset(['!all']));
    expect(() => resolveGatherSubset(['network,virtual'])).toThrow("Bad subset 'network,virtual'");
    // A subset named explicitly survives its exclusion; `!all` keeps the minimal set.
    expect(resolveGatherSubset(['!all', 'virtual'])).toContain('virtual');
    expect(resolveGatherSubset(['!all'])).not.toContain('hardware');
    expect(() => resolveGatherSubset(['nosuch'])).toThrow(BadSubsetError);
    expect(() => resolveGatherSubset(['nosuch'])).toThrow("Bad subset 'nosuch' given to Ansible. gather_subset options allowed: all, ");
  });
});
