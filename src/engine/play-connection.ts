import type { InventoryHost } from '../config/inventory.js';
import type { PlayConnection } from '../config/play-connection.js';
import type { Transport } from '../transport/transport.js';

/**
 * Where a host's tasks run in a play: its own ansible_connection wins over the play's `connection:`,
 * as in Ansible (a variable beats a keyword), and ssh is the default.
 */
export function connectionKind(host: InventoryHost, play: { connection?: PlayConnection }): PlayConnection {
  const own = host.vars.ansible_connection;
  if (own !== undefined && own !== null) return own === 'local' ? 'local' : 'ssh';
  return play.connection ?? 'ssh';
}

/** The host as connectHost reaches it with that kind of connection. */
export function hostForConnection(host: InventoryHost, kind: PlayConnection): InventoryHost {
  if (kind !== 'local' || host.vars.ansible_connection === 'local') return host;
  return { ...host, vars: { ...host.vars, ansible_connection: 'local' } };
}

/**
 * A host's connections when plays reach it differently (`connection: local` in one, ssh in the
 * next): the one in use, and the other kind kept open for a later play.
 */
export class HostConnections {
  private readonly parked = new Map<PlayConnection, Transport>();

  constructor(public kind: PlayConnection) {}

  /** Switch to `kind`: returns the transport to use (undefined: connect), parking the current one. */
  switchTo(kind: PlayConnection, current: Transport | undefined): Transport | undefined {
    if (kind === this.kind) return current;
    if (current) this.parked.set(this.kind, current);
    const next = this.parked.get(kind);
    this.parked.delete(kind);
    this.kind = kind;
    return next;
  }

  /** The transports not in use, to close or destroy with the run. */
  others(): Transport[] {
    return [...this.parked.values()];
  }
}
