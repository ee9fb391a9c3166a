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
  const plan = planConnection(host, s);
  return SshTransport.connect({ ...plan.target, name: host.name, jumps: plan.jumps, attempts: 4, signal: s.signal });
}

/** The variables that bring ssh_config into a host's connection: an error without a config line points at them. */
const SSH_CONFIG_VARS = ['provision_ssh_config', 'ansible_ssh_common_args', 'ansible_ssh_extra_args', 'ansible_host'];

function planConnection(host: InventoryHost, s: ConnectSettings): SshPlan {
  try {
    return sshPlan(host.name, host.vars, { inventoryFile: s.inventoryFile, hostKeyPolicy: s.hostKeyPolicy, files: systemSshConfigFiles() });
  } catch (err) {
    if (!(err instanceof ProvisionError) || err.host !== undefined) throw err;
    const set = SSH_CONFIG_VARS.find((k) => host.origins[k] !== undefined);
    const location = err.location ?? (set ? host.origins[set] : host.location);
    throw new ProvisionError(err.kind, err.message, { hint: err.hint, host: host.name, cause: err.cause, location });
  }
}

/**
 * Every host's connection settings, worked out before the first connection: a broken ssh_config,
 * a bad HostName or ProxyJump is bad input (exit 4) before any host is contacted.
 */
export function checkConnections(hosts: Iterable<InventoryHost>, s: ConnectSettings): void {
  for (const h of hosts) if (h.vars.ansible_connection !== 'local') planConnection(h, s);
}

/**
 * become for a command outside a play (`provision verify`): the host's variables only. Tasks
 * resolve it with their keywords and the command line through resolveBecome.
 */
export function becomeOptions(vars: Vars): BecomeOptions | undefined {
  return resolveBecome(vars);
}
