import type { InventoryHost } from '../config/inventory.js';
import { ask, type ReadRequest } from '../core/reads.js';
import { resolveBecome } from '../engine/become.js';
import { connectHost } from '../engine/connect.js';
import { createHostReader, ReadCache } from '../engine/host-reader.js';
import { ProvisionError } from '../errors.js';
import { findRead } from '../reads/registry.js';
import type { HostKeyPolicy } from '../transport/ssh.js';
import type { Transport } from '../transport/transport.js';
import { readState } from './changes.js';
import type { PlanDigest } from './plan-key.js';
import type { ReadFingerprint } from './schema.js';

/** What differs on a host from what its plan read. */
export interface HostDrift {
  host: string;
  task: string;
  what: string;
}

export interface DriftCheck {
  drifts: HostDrift[];
  /** Open connections of the hosts checked (drifted or not): the run uses them, the caller closes what is left. */
  connections: Map<string, Transport>;
  roundTrips: number;
}

/**
 * Read again, on every host of the plan, what its decisions depended on: one round trip per host and
 * become user (the reads of a scope go as one batch), all hosts at once.
 */
export async function checkHosts(
  hosts: ReadonlyMap<string, { inv: InventoryHost; reads: readonly ReadFingerprint[] }>,
  o: { inventoryFile: string; hostKeyPolicy?: HostKeyPolicy; digest: PlanDigest },
): Promise<DriftCheck> {
  const connections = new Map<string, Transport>();
  const drifts: HostDrift[] = [];
  let roundTrips = 0;
  await Promise.all(
    [...hosts].map(async ([name, { inv, reads }]) => {
      let t: Transport;
      try {
        t = await connectHost(inv, { inventoryFile: o.inventoryFile, hostKeyPolicy: o.hostKeyPolicy });
      } catch (err) {
        if (!(err instanceof ProvisionError)) throw err;
        drifts.push({ host: name, task: '(connect)', what: `unreachable: ${err.message}` });
        return;
      }
      connections.set(name, t);
      const byScope = new Map<string, ReadFingerprint[]>();
      for (const r of reads) byScope.set(r.scope, [...(byScope.get(r.scope) ?? []), r]);
      await Promise.all([...byScope].map(([scope, rs]) => checkScope(t, inv, scope, rs, drifts, o.digest)));
      roundTrips += t.roundTrips;
    }),
  );
  return { drifts, connections, roundTrips };
}

async function checkScope(
  t: Transport,
  inv: InventoryHost,
  scope: string,
  reads: readonly ReadFingerprint[],
  drifts: HostDrift[],
  digest: PlanDigest,
) {
  // The reads were made as this user: become it whatever the host's own become settings say.
  const become = scope === '' ? undefined : resolveBecome({ ...inv.vars, ansible_become: true, ansible_become_user: scope });
  const reader = createHostReader((command, inline) => t.exec(command, { become, read: true, inline }), new ReadCache(), scope);
  const requests: (ReadRequest | undefined)[] = reads.map((r) => {
    const read = findRead(r.read);
    return read && ask(read, r.args as never);
  });
  // Asked in the same tick, the reads go to the host as one batch; each settles on its own.
  const answers = await Promise.allSettled(
    requests.map((q) => (q ? reader.getAll([q] as const).then(([v]) => v) : Promise.reject(new Error('unknown read')))),
  );
  reads.forEach((r, i) => {
    const q = requests[i];
    const a = answers[i];
    const what = describeRead(r);
    if (!q || !a) drifts.push({ host: inv.name, task: r.task, what: `${what}: a read this version of provision does not know` });
    else if (a.status === 'rejected')
      drifts.push({ host: inv.name, task: r.task, what: `${what} cannot be read now: ${String(a.reason)}` });
    else if (!sameState(r, readState(q, a.value), digest))
      drifts.push({ host: inv.name, task: r.task, what: `${what} changed since the plan` });
  });
}

/** The state read now is the one the plan fingerprinted (keyed for a secret, as the plan made it). */
function sameState(r: ReadFingerprint, state: string, digest: PlanDigest): boolean {
  return r.hmac !== undefined ? digest.keyed(state) === r.hmac : digest.plain(state) === r.sha256;
}

/** The read's subject as a person names it: its path, unit or package, else its arguments. */
function describeRead(r: ReadFingerprint): string {
  const subject = r.args.path ?? r.args.name ?? r.args.dest;
  return typeof subject === 'string' ? `${subject} (${r.read})` : `${r.read} ${JSON.stringify(r.args)}`;
}
