import { describe, expect, it } from 'vitest';
import { loadInventory, parseInventory } from '../../src/config/inventory.js';
import { selectHosts } from '../../src/config/patterns.js';
import { YamlSource } from '../../src/config/source.js';
import { mergeLayers } from '../../src/engine/vars.js';
import { must } from '../../src/errors.js';

const inv = (text: string) => parseInventory(YamlSource.fromText('inv.yaml', text));

describe('inventory (Ansible YAML layout)', () => {
  it('loads the lab inventory with groups and merged variables', () => {
    const i = loadInventory('inventory/lab.yaml');
    expect([...i.hosts.keys()]).toEqual(['MASTER', 'BACKUP0', 'BACKUP1']);
    expect(i.groups.get('keepalived_backup')).toEqual(['BACKUP0', 'BACKUP1']);
    expect(i.groups.get('keepalived')).toEqual(['MASTER', 'BACKUP0', 'BACKUP1']);
    const m = must(i.hosts.get('MASTER'), 'host MASTER').vars;
    expect(m.keepalived_priority).toBe(150);
    expect(m.keepalived_interface).toBe('host0');
    expect(m.ansible_user).toBe('root');
    expect(m.group_names).toEqual(['keepalived', 'keepalived_master']);
  });

  it('precedence: all < parent group < child group < host', () => {
    const i = inv(`
all:
  vars: { x: all, y: all, z: all, w: all }
  children:
    parent:
      vars: { x: parent, y: parent, z: parent }
      children:
        child:
          vars: { x: child, y: child }
          hosts:
            h1: { x: host }
`);
    const v = must(i.hosts.get('h1'), 'host h1').vars;
    expect([v.x, v.y, v.z, v.w]).toEqual(['host', 'child', 'parent', 'all']);
  });

  it('precedence of a run: inventory < facts < play vars < vars_files < task vars < register/set_fact < -e', () => {
    const layers = {
      inventory: { v: 'inv' },
      facts: { v: 'facts' },
      play: { v: 'play' },
      varsFiles: { v: 'files' },
      task: { v: 'task' },
      runtime: { v: 'runtime' },
      extra: { v: 'extra' },
    };
    const order = ['inventory', 'facts', 'play', 'varsFiles', 'task', 'runtime', 'extra'] as const;
    for (const [i, top] of order.entries()) {
      const partial = Object.fromEntries(order.map((k, j) => [k, j <= i ? layers[k] : {}])) as typeof layers;
      expect(mergeLayers(partial).v).toBe(layers[top].v);
    }
  });

  it('a host in several groups is one host; listing without vars is membership', () => {
    const i = inv(`
all:
  children:
    a: { hosts: { h1: { ansible_host: 198.18.0.5 } } }
    b: { hosts: { h1: } }
`);
    expect(i.hosts.size).toBe(1);
    expect(i.groups.get('b')).toEqual(['h1']);
  });

  it('refuses two hosts on one address', () => {
    expect(() => inv(`all: { hosts: { a: { ansible_host: 198.18.0.5 }, b: { ansible_host: 198.18.0.5 } } }`)).toThrow(
      /both connect to 198.18.0.5:22/,
    );
  });

  it('patterns: groups, union in pattern order, intersection, exclusion, globs', () => {
    const i = loadInventory('inventory/lab.yaml');
    expect(selectHosts(i, 'keepalived_backup:keepalived_master')).toEqual(['BACKUP0', 'BACKUP1', 'MASTER']);
    expect(selectHosts(i, 'keepalived:!BACKUP1')).toEqual(['MASTER', 'BACKUP0']);
    expect(selectHosts(i, 'keepalived:&keepalived_backup')).toEqual(['BACKUP0', 'BACKUP1']);
    expect(selectHosts(i, 'BACKUP*')).toEqual(['BACKUP0', 'BACKUP1']);
    expect(selectHosts(i, 'all')).toEqual(['MASTER', 'BACKUP0', 'BACKUP1']);
    expect(selectHosts(i, 'nothing')).toEqual([]);
  });
});
