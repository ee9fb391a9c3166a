import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { LAB_KEY } from '../../e2e/helpers.js';
import type { CompatCase } from './cases.js';
import type { TwinHost } from './twin-hosts.js';

export const LAB_KNOWN_HOSTS = '/var/lib/provision/lab/known_hosts';

/** How both tools reach a twin; the same for both, so it never makes a difference between them. */
const CONNECTION: Record<string, string | number> = {
  ansible_user: 'root',
  ansible_ssh_private_key_file: LAB_KEY,
  provision_known_hosts_file: LAB_KNOWN_HOSTS,
  provision_connect_timeout: 10,
};

/** The case's inventory names its hosts node1, node2: the twins behind them differ, the names do not. */
export function nodeNames(c: CompatCase): string[] {
  return Array.from({ length: c.spec.hosts }, (_, i) => `node${i + 1}`);
}

function withAddresses(text: string, nodes: string[], twins: TwinHost[]): string {
  return nodes.reduce((t, n, i) => t.replaceAll(`@${n}@`, twins[i]?.address ?? `@${n}@`), text);
}

/**
 * A copy of the case in a fresh directory, with its inventory pointing at these twins: the case's
 * own (INI or YAML, @node1@ replaced, connection variables added) or a YAML one with the hosts in
 * group `servers`. Returns the directory and the inventory file, relative to it.
 */
export function prepareRunDir(c: CompatCase, twins: TwinHost[]): { dir: string; inventory: string } {
  const dir = join(mkdtempSync(join(tmpdir(), 'compat-')), c.id);
  cpSync(c.dir, dir, { recursive: true });
  const nodes = nodeNames(c);
  const own = c.spec.inventory;
  if (own === undefined) {
    const hosts = Object.fromEntries(nodes.map((n, i) => [n, { ansible_host: twins[i]?.address }]));
    writeFileSync(join(dir, 'inventory.yml'), stringify({ all: { vars: CONNECTION, children: { servers: { hosts } } } }));
    return { dir, inventory: 'inventory.yml' };
  }
  const text = withAddresses(readFileSync(join(dir, own), 'utf8'), nodes, twins);
  if (/\.ya?ml$/.test(own)) {
    const inv = parse(text) as { all?: { vars?: Record<string, unknown> } };
    inv.all = { ...inv.all, vars: { ...inv.all?.vars, ...CONNECTION } };
    writeFileSync(join(dir, own), stringify(inv));
  } else {
    const vars = Object.entries(CONNECTION).map(([k, v]) => `${k}=${v}`);
    writeFileSync(join(dir, own), `${text.trimEnd()}\n\n[all:vars]\n${vars.join('\n')}\n`);
  }
  return { dir, inventory: own };
}
