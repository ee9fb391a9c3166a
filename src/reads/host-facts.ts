import { defineRead, type ReadValue } from '../core/reads.js';
import { grouped } from '../shell/command-group.js';
import { type FactCollector, type Facts, SECTION } from './facts/collector.js';
import { distributionCollector, lsbCollector } from './facts/distribution.js';
import {
  capsCollector,
  chrootCollector,
  cmdlineCollector,
  dnsCollector,
  fibreChannelCollector,
  fipsCollector,
  iscsiCollector,
  loadavgCollector,
  localCollector,
  nvmeCollector,
  sshPubKeysCollector,
} from './facts/extras.js';
import { hardwareCollector } from './facts/hardware.js';
import { networkCollector } from './facts/network.js';
import { platformCollector } from './facts/platform.js';
import { dateTimeCollector, envCollector, pythonCollector, userCollector } from './facts/session.js';
import { COLLECTORS, resolveGatherSubset } from './facts/subset.js';
import { apparmorCollector, pkgMgrCollector, selinuxCollector, serviceMgrCollector } from './facts/system.js';
import { virtualCollector } from './facts/virtual.js';

export { BadSubsetError, normalizeGatherSubset, resolveGatherSubset } from './facts/subset.js';

/** Facts in Ansible's names and shapes (`ansible_facts` without the prefix). */
export type HostFacts = Facts;

/**
 * The collectors provision has, in the order their facts are parsed: platform and distribution
 * first, as the others read them (Ansible's collected_facts). Ansible's facter and ohai
 * collectors (Puppet's and Chef's tools) are not run.
 */
export const FACT_COLLECTORS: readonly FactCollector[] = [
  platformCollector,
  distributionCollector,
  lsbCollector,
  selinuxCollector,
  apparmorCollector,
  chrootCollector,
  fipsCollector,
  pythonCollector,
  capsCollector,
  pkgMgrCollector,
  serviceMgrCollector,
  cmdlineCollector,
  dateTimeCollector,
  envCollector,
  loadavgCollector,
  sshPubKeysCollector,
  userCollector,
  virtualCollector,
  hardwareCollector,
  dnsCollector,
  fibreChannelCollector,
  networkCollector,
  iscsiCollector,
  nvmeCollector,
  localCollector,
];

/** Ansible's default gather_timeout, in seconds. */
export const DEFAULT_GATHER_TIMEOUT = 10;

export type HostFactsArgs = {
  /** gather_subset as written (a list; the default is ["all"]): it selects the collectors and is itself a fact. */
  gather_subset?: readonly string[];
  /** gather_timeout in seconds: what one mount's statvfs may take. */
  gather_timeout?: number;
  /**
   * Only these of the collectors gather_subset selects (and those they need first): the ones whose
   * facts the run can read (src/engine/fact-needs.ts). Unset, all that gather_subset selects run.
   */
  collectors?: readonly string[];
};

/** The collector that gives a fact (a name without `ansible_`); undefined for a name no collector gives by that name. */
export function collectorOfFact(name: string): string | undefined {
  return FACT_COLLECTORS.find((c) => c.facts.includes(name))?.name;
}

/** gather_subset's selection narrowed to `wanted` and what those need first (network needs platform and distribution). */
function selectedCollectors(args: HostFactsArgs): Set<string> {
  const selected = new Set(resolveGatherSubset(args.gather_subset));
  if (args.collectors === undefined) return selected;
  const wanted = new Set<string>();
  const add = (name: string): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const r of COLLECTORS[name]?.requires ?? []) add(r);
  };
  args.collectors.forEach(add);
  return new Set([...selected].filter((c) => wanted.has(c)));
}

/** Facts that move by themselves (time, free memory, load, addresses: a VIP moves): not state a plan can hold. */
const VOLATILE = new Set([
  'date_time',
  'memfree_mb',
  'swapfree_mb',
  'memory_mb',
  'mounts',
  'uptime_seconds',
  'loadavg',
  'env',
  'all_ipv4_addresses',
  'all_ipv6_addresses',
  'default_ipv4',
  'default_ipv6',
]);

/** Everything the gathering needs, in one command, one round trip: each selected collector's part after its marker line. */
export const hostFacts = defineRead({
  name: 'host_facts',
  // Its own lines only echo; a collector runs in a subshell unless it is inline-safe itself.
  inline: true,
  command: (args: HostFactsArgs) => {
    const selected = selectedCollectors(args);
    const options = { timeout: args.gather_timeout ?? DEFAULT_GATHER_TIMEOUT };
    // A collector that finds nothing (a false test last) is no failure of the gathering.
    const parts = FACT_COLLECTORS.filter((c) => selected.has(c.name)).map(
      (c) => `echo '${SECTION}${c.name}'\n${grouped({ command: c.script(options), inline: c.inline ?? false }, '2>/dev/null')}`,
    );
    return [...parts, 'true'].join('\n');
  },
  parse: ({ stdout }, args) => parseHostFacts(stdout, args),
  stable: (facts) => {
    const interfaces = new Set(Array.isArray(facts.interfaces) ? facts.interfaces.map(String) : []);
    return Object.fromEntries(Object.entries(facts).filter(([k]) => !VOLATILE.has(k) && !interfaces.has(k)));
  },
});

/** Each collector's part parsed in collector order, so the later ones see the earlier facts. */
export function parseHostFacts(stdout: string, args: HostFactsArgs): HostFacts {
  const parts = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith(SECTION)) {
      if (name) parts.set(name, lines.join('\n'));
      name = line.slice(SECTION.length);
      lines = [];
    } else lines.push(line);
  }
  if (name) parts.set(name, lines.join('\n'));
  const facts: Facts = {};
  for (const c of FACT_COLLECTORS) {
    const text = parts.get(c.name);
    if (text !== undefined) Object.assign(facts, c.parse(text, facts));
  }
  facts.gather_subset = [...(args.gather_subset ?? ['all'])] satisfies ReadValue;
  facts.module_setup = true;
  return facts;
}
