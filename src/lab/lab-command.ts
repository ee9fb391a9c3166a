import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { stringify } from 'yaml';
import { loadInventory } from '../config/inventory.js';
import { ProvisionError } from '../errors.js';
import { formatDuration } from '../report/format.js';
import type { LabHostStatus } from './lab.js';
import type { LightHost } from './light-hosts.js';

// The lab's code (and execa under it) loads only when a lab command runs.
const labCode = () => import('./lab.js');
const lightHosts = () => import('./light-hosts.js');

function table(rows: LabHostStatus[]): string[] {
  const w = Math.max(4, ...rows.map((r) => r.name.length));
  return [
    `${'HOST'.padEnd(w)}  ${'ADDRESS'.padEnd(15)}  STATE`,
    ...rows.map((r) => `${r.name.padEnd(w)}  ${r.address.padEnd(15)}  ${r.state}`),
  ];
}

/** `provision lab up|down|status`: real Debian hosts on this machine, for tests and demos. */
export function labCommand(setCode: (c: number) => void, out: (l: string) => void): Command {
  const lab = new Command('lab').description('boot real Debian hosts (systemd-nspawn) for an inventory, on this machine');
  lab
    .command('up')
    .argument('<inventory>')
    .description('boot one host per inventory host at its address; running hosts are left alone')
    .action(async (inventory: string) => {
      const r = await (await labCode()).labUp(loadInventory(inventory), out);
      table(r.hosts).forEach(out);
      out(
        `lab ready in ${formatDuration(r.ms)}${r.baseMs > 1000 ? ` (base file system built in ${formatDuration(r.baseMs)})` : ' (cached base)'}`,
      );
      setCode(0);
    });
  lab
    .command('down')
    .argument('[inventory]')
    .description("stop the inventory's lab hosts (all, without one) and remove what up made")
    .action(async (inventory?: string) => {
      const names = await (await labCode()).labDown(inventory ? loadInventory(inventory) : undefined);
      out(names.length ? `stopped and removed: ${names.join(', ')}` : 'no lab hosts');
      setCode(0);
    });
  lab
    .command('status')
    .argument('[inventory]', "only this inventory's hosts")
    .description("list lab hosts (all, or an inventory's) and whether they run; exit 3 when one is down")
    .action(async (inventory?: string) => {
      const rows = (await labCode()).labStatus(inventory ? loadInventory(inventory) : undefined);
      (rows.length ? table(rows) : ['no lab hosts']).forEach(out);
      setCode(rows.every((r) => r.state === 'up') ? 0 : 3);
    });
  const light = lab.command('light').description('many sshd-only hosts (own network namespace and overlay) for scale tests and benchmarks');
  light
    .command('up')
    .argument('<count>', 'how many (up to 508)')
    .option('--inventory <file>', 'write an inventory of them here')
    .option('--first <index>', 'index of the first host (0 is 198.18.2.1, 254 is 198.18.3.1): sets of hosts apart', '0')
    .action(async (count: string, o: { inventory?: string; first: string }) => {
      const t0 = Date.now();
      const { LAB_KEY, labLightUp } = await labCode();
      const { LIGHT_KNOWN_HOSTS, LIGHT_USER } = await lightHosts();
      const hosts = await labLightUp(wholeNumber('count', count, 1), wholeNumber('--first', o.first, 0));
      if (o.inventory) writeFileSync(o.inventory, lightInventory(hosts, { key: LAB_KEY, knownHosts: LIGHT_KNOWN_HOSTS, user: LIGHT_USER }));
      out(`${hosts.length} light hosts up in ${formatDuration(Date.now() - t0)}${o.inventory ? `; inventory: ${o.inventory}` : ''}`);
      setCode(0);
    });
  light
    .command('down')
    .description('remove light hosts: all, or those of one `up --first I` (with --first and --count)')
    .option('--first <index>', 'index of the first host to remove')
    .option('--count <n>', 'how many, from --first')
    .action(async (o: { first?: string; count?: string }) => {
      if ((o.first === undefined) !== (o.count === undefined)) throw new ProvisionError('usage', '--first and --count go together');
      const first = o.first === undefined ? undefined : wholeNumber('--first', o.first, 0);
      const count = o.count === undefined ? undefined : wholeNumber('--count', o.count, 1);
      out(`removed ${await (await labCode()).labLightDown(first, count)} light hosts`);
      setCode(0);
    });
  return lab;
}

function wholeNumber(what: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new ProvisionError('usage', `${what} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

/** An inventory for light hosts: they share the lab's key; their host keys are the ones the lab made. */
export function lightInventory(hosts: LightHost[], c: { key: string; knownHosts: string; user: string }): string {
  return stringify({
    all: {
      vars: { ansible_user: c.user, ansible_ssh_private_key_file: c.key, provision_known_hosts_file: c.knownHosts },
      hosts: Object.fromEntries(hosts.map((h) => [h.name, { ansible_host: h.address }])),
    },
  });
}
