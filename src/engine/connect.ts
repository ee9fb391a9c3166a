import type { InventoryHost } from '../config/inventory.js';
import type { Vars } from '../core/vars.js';
import { ProvisionError } from '../errors.js';
import { type HostKeyPolicy, SshTransport } from '../transport/ssh.js';
import { systemSshConfigFiles } from '../transport/ssh-config-files.js';
import type { BecomeOptions, Transport } from '../transport/transport.js';
import { resolveBecome } from './become.js';
import { type SshPlan, sshPlan } from './ssh-plan.js';

export interface ConnectSettings {
  hostKeyPolicy?: HostKeyPolicy;
  inventoryFile: string;
  signal?: AbortSignal;
}

/**
 * Open the host's connection: its inventory variables over ssh_config (~/.ssh/config, or the
 * file named by provision_ssh_config or `-F` in ansible_ssh_common_args), through its jump hosts.
 */
export async function connectHost(host: InventoryHost, s: ConnectSettings): Promise<Transport> {
  const v = host.vars;
  if (v.ansible_connection === 'local') return new (await import('../transport/local.js')).LocalTransport(host.name);
  let plan: SshPlan;
  try {
    plan = sshPlan(host.name, v, { inventoryFile: s.inventoryFile, hostKeyPolicy: s.hostKeyPolicy, files: systemSshConfigFiles() });
  } catch (err) {
    if (!(err instanceof ProvisionError) || err.host !== undefined) throw err;
    throw new ProvisionError(err.kind, err.message, { hint: err.hint, host: host.name, cause: err.cause });
  }
  return SshTransport.connect({ ...plan.target, name: host.name, jumps: plan.jumps, attempts: 4, signal: s.signal });
}

/**
 * become for a command outside a play (`provision verify`): the host's variables only. Tasks
 * resolve it with their keywords and the command line through resolveBecome.
 */
export function becomeOptions(vars: Vars): BecomeOptions | undefined {
  return resolveBecome(vars);
}
