import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { LAB_KEY } from '../../e2e/helpers.js';
import { type CompatCase, filesUnder } from './cases.js';
import type { TwinHost } from './twin-hosts.js';

export const LAB_KNOWN_HOSTS = '/var/lib/provision/lab/known_hosts';

/** How both tools reach a twin; the same for both, so it never makes a difference between them. */
const CONNECTION: Record<string, string | number> = {
  ansible_user: 'root',
  ansible_ssh_private_key_file: LAB_KEY,
  provision_known_hosts_file: LAB_KNOWN_HOSTS,
  provision_connect_timeout: 10,
};

/** What a case whose ansible.cfg says how to reach the hosts (remote_user, private_key_file) still gets. */
const LAB_ONLY: Record<string, string | number> = { provision_known_hosts_file: LAB_KNOWN_HOSTS };

/** A case's run: its directory, the inventory the tools are given (none: the case's ansible.cfg names it) and their environment. */
export interface RunDir {
  dir: string;
  inventory?: string;
  env: Record<string, string>;
}

/** The case's inventory names its hosts node1, node2: the twins behind them differ, the names do not. */
export function nodeNames(c: CompatCase): string[] {
  return Array.from({ length: c.spec.hosts }, (_, i) => `node${i + 1}`);
}

function withAddresses(text: string, nodes: string[], twins: TwinHost[]): string {
  return nodes.reduce((t, n, i) => t.replaceAll(`@${n}@`, twins[i]?.address ?? `@${n}@`), text);
}

/**
 * A copy of the case in a fresh directory, with its inventory pointing at these twins: the case's
 * own (INI or YAML, a file or a directory of them, @node1@ replaced, connection variables added)
 * or a YAML one with the hosts in group `servers`.
 */
export function prepareRunDir(c: CompatCase, twins: TwinHost[]): RunDir {
  const dir = join(mkdtempSync(join(tmpdir(), 'compat-')), c.id);
  cpSync(c.dir, dir, { recursive: true });
  const nodes = nodeNames(c);
  const own = c.spec.inventory;
  const env = c.spec.env ?? {};
  const given = (inventory: string) => (c.spec.from_ansible_cfg === true ? { dir, env } : { dir, inventory, env });
  const connection = c.spec.from_ansible_cfg === true ? LAB_ONLY : CONNECTION;
  if (own === undefined) {
    const hosts = Object.fromEntries(nodes.map((n, i) => [n, { ansible_host: twins[i]?.address }]));
    writeFileSync(join(dir, 'inventory.yml'), stringify({ all: { vars: connection, children: { servers: { hosts } } } }));
    return given('inventory.yml');
  }
  const path = join(dir, own);
  if (statSync(path).isDirectory()) {
    for (const f of filesUnder(path)) writeFileSync(f, withAddresses(readFileSync(f, 'utf8'), nodes, twins));
    // One more source of the directory, read after the case's own (Ansible reads a directory's files sorted).
    writeFileSync(join(path, 'zz-lab-connection.yml'), stringify({ all: { vars: connection } }));
    return given(own);
  }
  const text = withAddresses(readFileSync(path, 'utf8'), nodes, twins);
  if (/\.ya?ml$/.test(own)) {
    const inv = parse(text) as { all?: { vars?: Record<string, unknown> } };
    inv.all = { ...inv.all, vars: { ...inv.all?.vars, ...connection } };
    writeFileSync(path, stringify(inv));
  } else {
    const vars = Object.entries(connection).map(([k, v]) => `${k}=${v}`);
    writeFileSync(path, `${text.trimEnd()}\n\n[all:vars]\n${vars.join('\n')}\n`);
  }
  return given(own);
}
