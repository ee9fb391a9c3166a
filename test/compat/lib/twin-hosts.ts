import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { loadInventory } from '../../../src/config/inventory.js';
import { must } from '../../../src/errors.js';
import { containerInit, readState } from '../../../src/lab/lab.js';
import { sleep } from '../../../src/util/limiter.js';
import { ssh } from '../../e2e/helpers.js';

const pexec = promisify(execFile);

/** The lock every helper and test wraps `lab up` / `lab down` in (see HELPERS and .ci/run). */
const SHARED_LOCK = '/tmp/provision-lab.lock';
/** Both twins get the same interpreter: Ansible needs it, and package lists then compare like for like. */
const BASELINE_PACKAGES = ['python3', 'python3-apt'];
/** Inside the host's lab directory, so `lab down` removes it with the host. */
const GOLDEN = 'compat-golden';

export interface TwinHost {
  /** The lab host's name (c-p1...). */
  lab: string;
  address: string;
}

export function twinHosts(labInventory: string): TwinHost[] {
  return [...loadInventory(labInventory).hosts.values()].map((h) => ({ lab: h.name, address: String(h.vars.ansible_host) }));
}

async function provisionCli(args: string[], limitS: number): Promise<void> {
  // The limit covers the wait for the shared lock too: on a busy machine other labs hold it for minutes.
  await pexec('flock', [SHARED_LOCK, process.execPath, 'bin/provision.js', ...args], { timeout: limitS * 1000, maxBuffer: 16 << 20 });
}

export function labUp(labInventory: string): Promise<void> {
  return provisionCli(['lab', 'up', labInventory], 1800);
}

export function labDown(labInventory: string): Promise<void> {
  return provisionCli(['lab', 'down', labInventory], 1200);
}

function hostDir(name: string): { dir: string; pid: number | undefined } {
  const h = must(readState().hosts[name], `lab host ${name} in the lab state`);
  return { dir: h.dir, pid: h.pid };
}

function alive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

function mounted(dir: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[1] === dir);
}

/**
 * Stop a twin at once: its root is thrown away, so there is nothing to shut down in order. The
 * container's init is killed, which ends every process of its PID namespace; nspawn and then its
 * supervisor loop exit. (Killing nspawn instead left the container's systemd, dbus and logind
 * running, orphaned: 146 of them after a day of resets held the host's inotify instances, and new
 * twins then booted without working units.)
 */
async function stopHard(name: string): Promise<void> {
  const { dir, pid } = hostDir(name);
  if (pid !== undefined && alive(pid)) {
    const init = containerInit(pid);
    if (init !== undefined) process.kill(init, 'SIGKILL');
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
  }
  const root = join(dir, 'root');
  // A container process that outlived its init (or a boot that raced this reset) still writes into the layer.
  for (const p of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) if (rootOf(p) === root) process.kill(Number(p), 'SIGKILL');
  if (mounted(root)) await pexec('umount', [root]);
}

function rootOf(pid: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/root`);
  } catch {
    return undefined; // gone while we looked, or not ours to read
  }
}

/**
 * Make every twin a clean host with python3, fast: the first time, install the baseline packages
 * and keep the host's overlay layer as its golden copy; later, put that copy back and boot (a
 * reset costs a copy and a boot, not a fresh host and an apt run).
 */
export async function prepareTwins(labInventory: string, log: (l: string) => void): Promise<void> {
  await labUp(labInventory);
  const hosts = twinHosts(labInventory);
  const fresh = hosts.filter((h) => !existsSync(join(hostDir(h.lab).dir, GOLDEN)));
  if (fresh.length === 0) return;
  log(`installing ${BASELINE_PACKAGES.join(' ')} on ${fresh.map((h) => h.lab).join(', ')} (once per twin)`);
  await Promise.all(
    fresh.map(async (h) => {
      const s = await ssh(h.address);
      const r = await s.run(
        `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${BASELINE_PACKAGES.join(' ')} && apt-get clean`,
      );
      s.close();
      if (r.code !== 0) throw new Error(`installing the baseline packages on ${h.lab} failed: ${r.out}`);
      await stopHard(h.lab);
      const { dir } = hostDir(h.lab);
      rmSync(join(dir, `${GOLDEN}.tmp`), { recursive: true, force: true });
      // cp -a keeps owners, modes, device nodes, overlay whiteouts and their xattrs exactly.
      await pexec('cp', ['-a', join(dir, 'upper'), join(dir, `${GOLDEN}.tmp`)]);
      await pexec('mv', [join(dir, `${GOLDEN}.tmp`), join(dir, GOLDEN)]);
    }),
  );
  await labUp(labInventory);
}

/** A lab inventory of some twins only: `lab up` of the whole set would boot a twin another case is resetting. */
function subsetInventory(hosts: TwinHost[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'compat-lab-')), 'lab.yaml');
  writeFileSync(file, stringify({ all: { hosts: Object.fromEntries(hosts.map((h) => [h.lab, { ansible_host: h.address }])) } }));
  return file;
}

/** Put twins back to their golden copy and boot them: the state right after `prepareTwins`. */
export async function resetTwins(hosts: TwinHost[]): Promise<void> {
  await Promise.all(
    hosts.map(async (h) => {
      await stopHard(h.lab);
      const { dir } = hostDir(h.lab);
      await pexec('rm', ['-rf', join(dir, 'upper'), join(dir, 'work')]);
      await pexec('cp', ['-a', join(dir, GOLDEN), join(dir, 'upper')]);
      mkdirSync(join(dir, 'work'));
    }),
  );
  const inv = subsetInventory(hosts);
  try {
    await labUp(inv);
  } finally {
    rmSync(join(inv, '..'), { recursive: true, force: true });
  }
}
