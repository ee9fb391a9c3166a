import { Command } from 'commander';
import { loadInventory } from '../config/inventory.js';
import { formatDuration } from '../report/format.js';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { LAB_KEY, labDown, labStatus, labUp, type LabHostStatus } from './lab.js';
import { LIGHT_KNOWN_HOSTS, LIGHT_USER, lightDown, lightUp, type LightHost } from './light-hosts.js';

function table(rows: LabHostStatus[]): string[] {
  const w = Math.max(4, ...rows.map((r) => r.name.length));
  return [`${'HOST'.padEnd(w)}  ${'ADDRESS'.padEnd(15)}  STATE`, ...rows.map((r) => `${r.name.padEnd(w)}  ${r.address.padEnd(15)}  ${r.state}`)];
}

/** `provision lab up|down|status`: real Debian hosts on this machine, for tests and demos. */
export function labCommand(setCode: (c: number) => void, out: (l: string) => void): Command {
  const lab = new Command('lab').description('boot real Debian hosts (systemd-nspawn) for an inventory, on this machine');
  lab
    .command('up')
    .argument('<inventory>')
    .description('boot one host per inventory host at its address; running hosts are left alone')
    .action(async (inventory: string) => {
      const r = await labUp(loadInventory(inventory), out);
      table(r.hosts).forEach(out);
      out(`lab ready in ${formatDuration(r.ms)}${r.baseMs > 1000 ? ` (base file system built in ${formatDuration(r.baseMs)})` : ' (cached base)'}`);
      setCode(0);
    });
  lab
    .command('down')
    .argument('[inventory]')
    .description("stop the inventory's lab hosts (all, without one) and remove what up made")
    .action(async (inventory?: string) => {
      const names = await labDown(inventory ? loadInventory(inventory) : undefined);
      out(names.length ? `stopped and removed: ${names.join(', ')}` : 'no lab hosts');
      setCode(0);
    });
  lab
    .command('status')
    .description('list lab hosts and whether they run')
    .action(() => {
      const rows = labStatus();
      (rows.length ? table(rows) : ['no lab hosts']).forEach(out);
      setCode(rows.every((r) => r.state === 'up') ? 0 : 3);
    });
  const light = lab.command('light').description('many sshd-only hosts (own network namespace and overlay) for scale tests and benchmarks');
  light
    .command('up')
    .argument('<count>', 'how many (up to 508)')
    .option('--inventory <file>', 'write an inventory of them here')
    .action(async (count: string, o: { inventory?: string }) => {
      const t0 = Date.now();
      const hosts = await lightUp(Number(count), `${LAB_KEY}.pub`);
      if (o.inventory) writeFileSync(o.inventory, lightInventory(hosts));
      out(`${hosts.length} light hosts up in ${formatDuration(Date.now() - t0)}${o.inventory ? `; inventory: ${o.inventory}` : ''}`);
      setCode(0);
    });
  light
    .command('down')
    .action(async () => {
      out(`removed ${await lightDown()} light hosts`);
      setCode(0);
    });
  return lab;
}

/** An inventory for light hosts: they share the lab's key; their host keys are the ones the lab made. */
export function lightInventory(hosts: LightHost[]): string {
  return stringify({
    all: {
      vars: { ansible_user: LIGHT_USER, ansible_ssh_private_key_file: LAB_KEY, provision_known_hosts_file: LIGHT_KNOWN_HOSTS },
      hosts: Object.fromEntries(hosts.map((h) => [h.name, { ansible_host: h.address }])),
    },
  });
}
