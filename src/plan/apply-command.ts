import type { Inventory, InventoryHost } from '../config/inventory.js';
import type { Playbook } from '../config/playbook.js';
import { Runner, type RunOptions } from '../engine/runner.js';
import { ExitCode } from '../errors.js';
import type { Reporter } from '../report/plain.js';
import type { HostKeyPolicy } from '../transport/ssh.js';
import { describeChange } from './changes.js';
import { checkHosts, type HostDrift } from './drift.js';
import { PlanEnforcer } from './enforcer.js';
import type { PlanDigest } from './plan-key.js';
import { changedInputs } from './run-inputs.js';
import type { ReadFingerprint, SavedPlan } from './schema.js';

export interface ApplyInput {
  plan: SavedPlan;
  inv: Inventory;
  pb: Playbook;
  options: Omit<RunOptions, 'check' | 'planHooks' | 'connections' | 'limit' | 'sink'>;
  version: string;
  /** The plan's hashes made again: keyed under the plan key when the plan names one (plan-key.ts applyDigest). */
  digest: PlanDigest;
  allOrNothing: boolean;
  hostKeyPolicy?: HostKeyPolicy;
  reporter: Reporter;
  write(line: string): void;
}

/**
 * `provision apply PLAN`: refuse what drifted since the plan (a file every host read: the whole run;
 * a file only some hosts' tasks read, or a host's state: those hosts, or the whole run with
 * --all-or-nothing), then run holding every decision to the plan.
 */
export async function applyPlan(i: ApplyInput): Promise<number> {
  const { plan } = i;
  if (plan.provision !== i.version) {
    i.write(`refused: the plan was made by provision ${plan.provision}, this is ${i.version}: make the plan again`);
    return ExitCode.planRefused;
  }
  const changed = changedInputs(plan.inputs);
  if (changed.everyHost.length) {
    for (const f of changed.everyHost) i.write(`refused: input ${f} changed since the plan (every host: make the plan again)`);
    return ExitCode.planRefused;
  }
  if (!plan.pending) {
    i.write('the plan has no changes: nothing to apply');
    return ExitCode.ok;
  }
  const hosts = new Map<string, { inv: InventoryHost; reads: readonly ReadFingerprint[] }>();
  const planned = [...new Set(plan.tasks.map((t) => t.host))];
  const missing: HostDrift[] = [];
  for (const name of planned) {
    const inv = i.inv.hosts.get(name);
    const inputs = changed.byHost.get(name);
    if (!inv) missing.push({ host: name, task: '(inventory)', what: 'no longer in the inventory' });
    // Its state is not read: what it would do is decided from a file that is no longer the reviewed one.
    else if (inputs)
      for (const f of inputs)
        missing.push({ host: name, task: '(input)', what: `input ${f}, which its tasks read, changed since the plan` });
    else hosts.set(name, { inv, reads: plan.hosts[name]?.reads ?? [] });
  }
  const check = await checkHosts(hosts, { inventoryFile: i.inv.file, hostKeyPolicy: i.hostKeyPolicy, digest: i.digest });
  const drifts = [...missing, ...check.drifts];
  for (const d of drifts) i.write(`refused: [${d.host}] task "${d.task}": ${d.what}`);
  const refused = new Set(drifts.map((d) => d.host));
  const go = planned.filter((h) => !refused.has(h) && hosts.has(h));
  const closeLeft = () => Promise.all([...check.connections.values()].map((t) => t.close()));
  if ((refused.size && i.allOrNothing) || go.length === 0) {
    await closeLeft();
    i.write(
      refused.size
        ? `nothing applied: ${refused.size === planned.length ? 'every host' : `${[...refused].join(', ')}`} drifted${i.allOrNothing ? ' (--all-or-nothing)' : ''}`
        : 'nothing to apply',
    );
    return refused.size ? ExitCode.planRefused : ExitCode.ok;
  }
  for (const h of refused) {
    check.connections.get(h)?.destroy();
    check.connections.delete(h);
  }
  const enforcer = new PlanEnforcer(plan, i.pb.dir, i.digest);
  const runner = new Runner(i.inv, i.pb, {
    ...i.options,
    check: false,
    limit: go.join(','),
    planHooks: enforcer,
    connections: check.connections,
    sink: (e) => i.reporter.handle(e),
  });
  let summary: Awaited<ReturnType<Runner['run']>>;
  try {
    summary = await runner.run();
  } finally {
    await closeLeft();
  }
  await i.reporter.flush();
  if (enforcer.decidedAtApply.length) {
    i.write('\nDECIDED AT APPLY (not in the reviewed plan: they depended on an earlier change)');
    for (const d of enforcer.decidedAtApply) i.write(`  [${d.host}] ${d.task}: ${d.changes.map(describeChange).join(', ')}`);
  }
  const notMade = enforcer.notMade().filter((line) => go.some((h) => line.startsWith(`${h}:`)));
  for (const n of notMade) i.write(`planned but not made: ${n}`);
  if (refused.size) i.write(`refused hosts (nothing changed there): ${[...refused].join(', ')}; applied: ${go.join(', ')}`);
  if (summary.exitCode === ExitCode.interrupted || summary.exitCode === ExitCode.unreachable) return summary.exitCode;
  return refused.size || enforcer.refusals.length ? ExitCode.planRefused : summary.exitCode;
}
