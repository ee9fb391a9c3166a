import type { Vars } from '../core/vars.js';
import { inputError, type SourceLocation } from '../errors.js';

// What the inventory sources (YAML and INI files, in the order given) declare, before group_vars/,
// host_vars/ and precedence are applied. Every source adds to one InventoryData, as every Ansible
// inventory plugin adds to one inventory: a group or host named twice is one group or host.

export interface GroupDef {
  name: string;
  vars: Vars;
  origins: Record<string, SourceLocation>;
  hosts: string[];
  children: string[];
  location: SourceLocation;
  /** `ansible_group_priority`: orders groups of the same depth (higher wins), as in Ansible. */
  priority: number;
}

export interface HostDef {
  name: string;
  vars: Vars;
  origins: Record<string, SourceLocation>;
  location: SourceLocation;
  /** The inventory source that declared it first: Ansible's inventory_file. */
  file: string;
}

const hostnameOrIp =
  /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\[?[0-9a-fA-F:]+\]?)$/;

export class InventoryData {
  readonly groups = new Map<string, GroupDef>();
  readonly hosts = new Map<string, HostDef>();

  /** The group named `name`, made where it is first seen. */
  group(name: string, location: SourceLocation): GroupDef {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, vars: {}, origins: {}, hosts: [], children: [], location, priority: 1 };
      this.groups.set(name, g);
    }
    return g;
  }

  setGroupVar(group: GroupDef, key: string, value: unknown, location: SourceLocation): void {
    if (key === 'ansible_group_priority') {
      const n = Number(value);
      if (!Number.isInteger(n))
        throw inputError(
          `ansible_group_priority of group "${group.name}" must be a whole number`,
          location,
          'write e.g. ansible_group_priority: 10',
        );
      group.priority = n;
      return;
    }
    group.vars[key] = value;
    group.origins[key] = location;
  }

  addChild(parent: GroupDef, child: GroupDef): void {
    if (!parent.children.includes(child.name)) parent.children.push(child.name);
  }

  /** A host in `group`; variables given again for a known host replace its earlier ones key by key. */
  addHost(group: GroupDef, name: string, location: SourceLocation, file: string): HostDef {
    if (!hostnameOrIp.test(name))
      throw inputError(
        `invalid host name "${name}"`,
        location,
        'use letters, digits, dots and dashes, or set ansible_host for the address',
      );
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, vars: {}, origins: {}, location, file };
      this.hosts.set(name, h);
    }
    if (group.name !== 'all' && !group.hosts.includes(name)) group.hosts.push(name);
    return h;
  }

  setHostVar(host: HostDef, key: string, value: unknown, location: SourceLocation): void {
    host.vars[key] = value;
    host.origins[key] = location;
  }
}
