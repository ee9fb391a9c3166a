import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReadValue } from '../../src/core/reads.js';
import type { HostFacts } from '../../src/reads/host-facts.js';
import { compareFacts, unprefixed } from '../unit/facts/compare.js';
import { provision, runOn } from './helpers.js';

// The facts comparison's live half: provision gathers on a fresh fa-1 (booted for this file) and
// every fact is compared with Ansible's setup output recorded on fa-1 by scripts/record-facts.mjs
// (test/fixtures/facts). What depends on the machine or the boot (kernel, processors, memory,
// machine id, keys, addresses' hardware) is compared by shape and with what the host itself says.
const INV = 'test/e2e/inventories/facts.yaml';
const ADDRESS = '198.18.1.108';
const RECORDED = JSON.parse(readFileSync('test/fixtures/facts/ansible-setup.json', 'utf8')) as {
  variants: { gather_subset: string[]; facts: Record<string, ReadValue> }[];
};
const ansibleFacts = (subset: string) => {
  const v = RECORDED.variants.find((x) => x.gather_subset.join(',') === subset);
  if (!v) throw new Error(`no recorded variant ${subset}`);
  return unprefixed(v.facts);
};

describe('facts on a live lab host, against Ansible setup recorded on the same kind of host', () => {
  let facts: HostFacts;
  beforeAll(async () => {
    await runOn(ADDRESS, readFileSync('test/fixtures/facts/host-setup.sh', 'utf8'));
    const run = await provision(['up', INV, '--playbook', 'test/e2e/playbooks/facts.yaml', '--json']);
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    facts = JSON.parse(await runOn(ADDRESS, 'cat /root/facts-all.json')) as HostFacts;
  });

  it("every fact equals Ansible's, or differs only where the machine or the boot decides it", async () => {
    const truth = (
      await runOn(
        ADDRESS,
        "uname -r; cat /var/lib/dbus/machine-id 2>/dev/null || cat /etc/machine-id; awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo; nproc",
      )
    ).split('\n');
    expect([facts.kernel, facts.machine_id, facts.memtotal_mb, facts.processor_nproc]).toEqual([
      truth[0],
      truth[1],
      Number(truth[2]),
      Number(truth[3]),
    ]);
    const python = (await runOn(ADDRESS, 'command -v python3 || true')).trim();
    expect(facts.python === undefined).toBe(python === '');
    expect(compareFacts(ansibleFacts('all'), facts, { live: true, python: python !== '' })).toEqual([]);
  });

  it("an interface's facts are variables of their own: ansible_host0, ansible_lo_1", async () => {
    expect(await runOn(ADDRESS, 'cat /root/facts-vars.txt')).toBe(`${ADDRESS} 127.0.0.2 host0\n`);
  });

  it("a play's gather_subset gathers what Ansible's does", async () => {
    const run = await provision(['up', INV, '--playbook', 'test/e2e/playbooks/facts-network.yaml', '--json']);
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    const network = JSON.parse(await runOn(ADDRESS, 'cat /root/facts-network.json')) as HostFacts;
    // Without python3 on the host there is no python_version to give (Ansible could not run there at all).
    const python = (await runOn(ADDRESS, 'command -v python3 || true')).trim() !== '';
    const expected = Object.keys(ansibleFacts('!all,!min,network')).filter((k) => python || k !== 'python_version');
    expect(Object.keys(network).sort()).toEqual(expected.sort());
  });
});
