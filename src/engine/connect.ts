import { userInfo } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { InventoryHost } from '../config/inventory.js';
import type { Vars } from '../core/vars.js';
import { truthy } from '../template/render.js';
import { defaultKnownHostsFile, type HostKeyPolicy, SshTransport } from '../transport/ssh.js';
import type { BecomeOptions, Transport } from '../transport/transport.js';

export interface ConnectSettings {
  hostKeyPolicy?: HostKeyPolicy;
  inventoryFile: string;
  signal?: AbortSignal;
}

/** Paths in an inventory are relative to the inventory file, as Ansible's are. */
function inventoryPath(p: string, inventoryFile: string): string {
  return isAbsolute(p) || p.startsWith('~') ? p.replace(/^~/, process.env.HOME ?? '~') : resolve(dirname(inventoryFile), p);
}

export async function connectHost(host: InventoryHost, s: ConnectSettings): Promise<Transport> {
  const v = host.vars;
  if (v.ansible_connection === 'local') return new (await import('../transport/local.js')).LocalTransport(host.name);
  const str = (k: string) => (v[k] === undefined ? undefined : String(v[k]));
  const keyFile = str('ansible_ssh_private_key_file');
  const known = str('provision_known_hosts_file');
  return SshTransport.connect({
    name: host.name,
    address: str('ansible_host') ?? host.name,
    port: Number(v.ansible_port ?? 22),
    user: str('ansible_user') ?? userInfo().username,
    privateKeyFile: keyFile && inventoryPath(keyFile, s.inventoryFile),
    password: str('ansible_password'),
    knownHostsFile: known ? inventoryPath(known, s.inventoryFile) : defaultKnownHostsFile(),
    hostKeyPolicy: s.hostKeyPolicy ?? (str('provision_host_key_checking') as HostKeyPolicy | undefined) ?? 'strict',
    connectTimeoutMs: Number(v.provision_connect_timeout ?? 10) * 1000,
    attempts: 4,
    signal: s.signal,
  });
}

/**
 * sudo settings from the host's variables (ansible_become, ansible_become_user,
 * ansible_become_password); a task or play may switch it on and name the user.
 */
export function becomeOptions(vars: Vars, o: { enabled?: boolean; user?: string; fallbackUser?: string } = {}): BecomeOptions | undefined {
  if (!(o.enabled ?? truthy(vars.ansible_become ?? false))) return undefined;
  const user = o.user ?? (vars.ansible_become_user as string | undefined) ?? o.fallbackUser ?? 'root';
  const pw = vars.ansible_become_password;
  return { user, password: pw === undefined ? undefined : String(pw) };
}
