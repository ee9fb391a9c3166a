import { loadInventory } from '../config/inventory.js';
import { becomeOptions, connectHost } from '../engine/connect.js';
import { ExitCode, must, ProvisionError } from '../errors.js';
import { safe } from '../report/format.js';
import { truthy } from '../template/render.js';
import type { Transport } from '../transport/transport.js';
import { clusterNodes } from './model.js';
import { runFailoverTest } from './verify.js';
import { formatStep, stepColumns } from './verify-table.js';

/** The host whose page answers at the VIP: nginx's page names it (see files/index.html.j2). */
async function whoAnswers(vip: string): Promise<string | undefined> {
  try {
    const res = await fetch(`http://${vip}/`, { signal: AbortSignal.timeout(3000) });
    const text = await res.text();
    return /served by ([A-Za-z0-9._-]+)/.exec(text)?.[1];
  } catch (err) {
    return `no answer (${(err as Error).message})`;
  }
}

/** `provision verify`: the failover test on a deployed cluster; exit 8 when a step fails. */
export async function verifyCommand(inventoryFile: string, o: { json?: boolean }, out: (l: string) => void): Promise<number> {
  const inv = loadInventory(inventoryFile);
  const nodes = clusterNodes(inv);
  const [firstNode] = nodes;
  if (!firstNode || nodes.length < 2)
    throw new ProvisionError('input', `verify needs a keepalived cluster of at least 2 nodes; ${inventoryFile} has ${nodes.length}`);
  const inventoryHost = (name: string) => must(inv.hosts.get(name), `inventory host ${name}`);
  const columns = stepColumns(nodes.map((n) => n.host));
  const transports = new Map<string, Transport>();
  try {
    await Promise.all(
      nodes.map(async (n) => transports.set(n.host, await connectHost(inventoryHost(n.host), { inventoryFile: inv.file }))),
    );
    const exec = (host: string, cmd: string) =>
      must(transports.get(host), `connection to ${host}`).exec(cmd, { become: becomeOptions(inventoryHost(host).vars) });
    const steps = await runFailoverTest(nodes, exec, {
      timeoutMs: 20_000,
      pollMs: 50,
      httpCheck: truthy(inventoryHost(firstNode.host).vars.keepalived_verify_http ?? true) ? whoAnswers : undefined,
      onStep: (s) => out(safe(o.json ? JSON.stringify({ event: 'step', ...s }) : formatStep(s, columns))),
    });
    const failed = steps.filter((s) => !s.ok).length;
    if (o.json) out(JSON.stringify({ event: 'verify', passed: steps.length - failed, failed }));
    else out(`${steps.length - failed} passed, ${failed} failed`);
    return failed ? ExitCode.verifyFailed : ExitCode.ok;
  } finally {
    await Promise.all([...transports.values()].map((t) => t.close()));
  }
}
