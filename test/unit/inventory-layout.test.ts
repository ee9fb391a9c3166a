import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAnsibleConfig } from '../../src/config/ansible-cfg.js';
import { loadInventory } from '../../src/config/inventory.js';
import { must } from '../../src/errors.js';
import { MASK, secrets } from '../../src/secrets.js';
import { sealVaultText, useVaultKeyring, VaultKeyring } from '../../src/vault/keyring.js';
import { vaultYamlBlock } from '../../src/vault/vault-command.js';

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

describe('vault data in group_vars/, host_vars/ and INI inventories', () => {
  const seal = (text: string) => sealVaultText(Buffer.from(text), Buffer.from('pw'), 'default');
  afterEach(() => useVaultKeyring(new VaultKeyring([])));

  it('a wholly encrypted group_vars file, an inline !vault in host_vars, an encrypted INI file: opened and secret', () => {
    useVaultKeyring(new VaultKeyring([{ id: 'default', password: Buffer.from('pw'), source: 'test' }]));
    const dir = mkdtempSync(join(tmpdir(), 'prov-layout-vault-'));
    mkdirSync(join(dir, 'group_vars'));
    mkdirSync(join(dir, 'host_vars'));
    writeFileSync(join(dir, 'hosts'), seal('[web]\nw1 ansible_host=198.18.2.9 ini_token=Ini-55443322\n'));
    writeFileSync(join(dir, 'group_vars', 'web.yml'), seal('group_token: Grp-11223344\n'));
    const block = vaultYamlBlock(seal('Host-99887766'))
      .split('\n')
      .map((l, i) => (i === 0 ? l : `  ${l}`))
      .join('\n');
    writeFileSync(join(dir, 'host_vars', 'w1.yml'), `host_token: ${block}\nplain: 1\n`);
    const inv = loadInventory(join(dir, 'hosts'));
    expect(must(inv.hosts.get('w1'), 'w1').vars).toMatchObject({
      ini_token: 'Ini-55443322',
      group_token: 'Grp-11223344',
      host_token: 'Host-99887766',
      plain: 1,
    });
    for (const s of ['Ini-55443322', 'Grp-11223344', 'Host-99887766']) expect(secrets.mask(`x ${s}`)).toBe(`x ${MASK}`);
  });
});

describe('the e2e project (test/fixtures/layout/project) as Ansible reads it', () => {
  // project.ansible-hostvars.json: `ansible-inventory --playbook-dir . --list` in the project (its ansible.cfg names the inventory).
  const dir = resolve('test/fixtures/layout/project');
  const expected = JSON.parse(readFileSync('test/fixtures/layout/project.ansible-hostvars.json', 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;

  it('the configured inventory, its INI range, group_vars/ and host_vars/ on both sides give the same variables', () => {
    const cfg = loadAnsibleConfig({ HOME: '/nonexistent' }, dir);
    const inv = loadInventory(cfg.inventory, { playbookDir: dir });
    expect([...inv.hosts.keys()]).toEqual(Object.keys(expected));
    for (const [name, vars] of Object.entries(expected)) {
      const h = must(inv.hosts.get(name), `host ${name}`);
      expect(comparable(h.vars)).toEqual({ ...vars, inventory_hostname: name, group_names: ['site', 'web'] });
    }
  });
});
