import type { Inventory, InventoryHost } from '../config/inventory.js';

/** Names Ansible treats as the controller itself when they are not inventory hosts. */
const CONTROLLER_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * The inventory host a task is delegated to: an inventory host by name, or, for `localhost`
 * and its addresses when the inventory has no such host, the controller (connection local),
 * as Ansible's implicit localhost. Anything else is refused: provision contacts only hosts
 * the inventory names.
 */
export function delegateHost(inv: Inventory, name: string): InventoryHost | undefined {
  const known = inv.hosts.get(name);
  if (known) return known;
  if (!CONTROLLER_NAMES.has(name)) return undefined;
  return {
    name,
    vars: { ansible_connection: 'local', inventory_hostname: name, group_names: [] },
    groups: [],
    location: { file: inv.file, line: 1, col: 1 },
    origins: {},
  };
}

/**
 * The host a delegated task runs as: the original host's state (variables, registered values,
 * stats, notifications) with the delegate's connection and read cache.
 */
export function delegatedView<T extends object>(original: T, delegate: { inv: { name: string }; transport?: unknown; reads: unknown }): T {
  return new Proxy(original, {
    get(target, key, receiver) {
      if (key === 'transport') return delegate.transport;
      if (key === 'reads') return delegate.reads;
      if (key === 'delegatedTo') return delegate.inv.name;
      return Reflect.get(target, key, receiver);
    },
  });
}

/** The variables a task changed on a host (registered or set), comparing references. */
export function changedVars(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k] !== v || !(k in before)));
}
