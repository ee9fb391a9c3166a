import { Command } from 'commander';
import { loadInventory } from '../config/inventory.js';
import { formatDuration } from '../report/format.js';
import { labDown, labStatus, labUp, type LabHostStatus } from './lab.js';

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
  return lab;
}
