import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/config/inventory.js';
import { must } from '../../src/errors.js';

// The fixture is an Ansible project: an inventory directory (INI and YAML files, files Ansible skips,
// a subdirectory, group_vars/ with a directory and competing extensions, host_vars/) and a playbook
// directory with its own group_vars/ and host_vars/. ansible-hostvars.json is what ansible-playbook
// printed for every host (record.sh); provision must load the same variables.
const project = 'test/fixtures/layout/precedence';
const recorded = JSON.parse(readFileSync(join(project, 'ansible-hostvars.json'), 'utf8')) as Record<string, Record<string, unknown>>;

/** The variables Ansible's recording holds: provision's own magic and connection defaults are not compared. */
function comparable(vars: Record<string, unknown>): Record<string, unknown> {
  const drop = new Set(['inventory_dir', 'inventory_file']);
  return Object.fromEntries(
    Object.entries(vars).filter(([k]) => !drop.has(k) && (!k.startsWith('ansible_') || k === 'ansible_host' || k === 'ansible_port')),
  );
}

describe('project layout as Ansible reads it', () => {
  const inv = loadInventory(join(project, 'inventory'), { playbookDir: join(project, 'playbook') });

  it('reads the same hosts as ansible-playbook (ignored extensions skipped, subdirectories read)', () => {
    expect([...inv.hosts.keys()].sort()).toEqual(Object.keys(recorded).sort());
  });

  for (const host of Object.keys(recorded)) {
    it(`host ${host}: every variable and group as Ansible merged them`, () => {
      const h = must(inv.hosts.get(host), `host ${host}`);
      expect(comparable(h.vars)).toEqual(recorded[host]);
    });
  }

  it('origins name the file that won', () => {
    const h1 = must(inv.hosts.get('h1'), 'host h1');
    expect(h1.origins.p_f?.file).toBe(join(project, 'playbook/host_vars/h1.json'));
    expect(h1.origins.p_b?.file).toBe(join(project, 'playbook/group_vars/web.yml'));
    expect(h1.origins.z_order).toEqual({ file: join(project, 'inventory/group_vars/web/02'), line: 1, col: 10 });
    expect(h1.origins.same).toMatchObject({ file: join(project, 'inventory/01-hosts') });
  });

  it('without the playbook directory only the inventory side applies', () => {
    const only = loadInventory(join(project, 'inventory'));
    const h1 = must(only.hosts.get('h1'), 'host h1').vars;
    expect([h1.p_b, h1.p_f]).toEqual(['gv_all_inv', 'invhv']);
  });

  it('several sources merge in order: a later file adds hosts and replaces variables', () => {
    const merged = loadInventory([join(project, 'inventory/01-hosts'), join(project, 'inventory/02-more.yml')]);
    expect(merged.groups.get('web')).toEqual(['h1', 'h2', 'h5']);
    expect(must(merged.hosts.get('h1'), 'host h1').vars.y_var).toBe('from_yaml');
    expect(merged.sources).toHaveLength(2);
  });
});
