import { isDeepStrictEqual } from 'node:util';
import type { InventoryUpdate } from '../core/plan.js';
import type { SourceLocation } from '../errors.js';
import { type Inventory, inventoryData } from './inventory.js';

/**
 * add_host and group_by at run time, as Ansible's add_dynamic_host and add_dynamic_group: the
 * host (added when new, its variables set) joins the groups (made when new, under their parents).
 * True when the inventory changed, which is what the task reports as changed. The inventory is
 * then built again in place with the same precedence.
 */
export function applyInventoryUpdate(inv: Inventory, host: string, u: InventoryUpdate, at: SourceLocation): boolean {
  const { data, rebuild } = inventoryData(inv);
  let changed = false;
  const group = (name: string) => {
    if (!data.groups.has(name)) changed = true;
    return data.group(name, at);
  };
  const join = (groupName: string, hostName: string) => {
    const g = group(groupName);
    if (groupName !== 'all' && !g.hosts.includes(hostName)) {
      g.hosts.push(hostName);
      changed = true;
    }
  };
  if (u.kind === 'add_host') {
    if (!data.hosts.has(u.name)) changed = true;
    const def = data.addHost(group('all'), u.name, at, inv.file);
    for (const [k, v] of Object.entries(u.vars)) {
      if (k in def.vars && isDeepStrictEqual(def.vars[k], v)) continue;
      data.setHostVar(def, k, v, at);
      changed = true;
    }
    for (const g of u.groups) join(g, u.name);
  } else {
    const g = group(u.group);
    for (const p of u.parents) {
      const parent = group(p);
      if (p !== 'all' && !parent.children.includes(g.name)) {
        data.addChild(parent, g);
        changed = true;
      }
    }
    join(u.group, host);
  }
  if (changed) rebuild();
  return changed;
}
