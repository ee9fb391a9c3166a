import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadInventory } from '../../src/config/inventory.js';

const CLI = ['bin/provision.js'];
/**
 * The inventories of lab-inventories.json: `booted` once for every end-to-end file, `bootedByTests`
 * by the tests themselves. The teardown removes these hosts, and only these; .ci/run reads the same
 * file (through scripts/e2e-inventories.mjs) to take them down after a timeout.
 */
const { booted: LABS, bootedByTests } = JSON.parse(readFileSync(new URL('./lab-inventories.json', import.meta.url), 'utf8')) as {
  booted: string[];
  bootedByTests: string[];
};
/** Every inventory a test may boot. */
export const TEST_INVENTORIES = [...LABS, ...bootedByTests];
/** The light hosts load.test.ts makes (lab light up --first 254). */
const LIGHT = { first: 254, count: 200 };
const STATE = '/var/lib/provision/lab/lab.json';
/** A first `lab up` builds the base file system (about a minute); a hang must not take the whole CI run. */
const LAB_UP_LIMIT_S = 600;
const LAB_DOWN_LIMIT_S = 180;

/** Run the CLI; past `limitS` it is killed and the step is named in the error. */
function provision(limitS: number, ...args: string[]): void {
  try {
    execFileSync('node', [...CLI, ...args], { stdio: 'inherit', timeout: limitS * 1000 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ETIMEDOUT')
      throw new Error(`lab set-up step "provision ${args.join(' ')}" timed out after ${limitS} s`, { cause: err });
    throw err;
  }
}

function sh(script: string): string {
  return execFileSync('sh', ['-c', script]).toString().trim();
}

/** Boot the tests' hosts; a lab already running here (a demo, another user) is left as it is. */
export async function setup(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the end-to-end tests boot a lab and need root');
  for (const inv of labsToBoot(process.env.PROVISION_E2E_LABS)) provision(LAB_UP_LIMIT_S, 'lab', 'up', inv);
}

/**
 * PROVISION_E2E_LABS=engine,modules boots only those of LABS (by file name), for one e2e file run
 * alone; unset, every lab boots, as CI needs.
 */
function labsToBoot(only: string | undefined): string[] {
  if (!only) return LABS;
  const names = new Set(only.split(',').map((n) => n.trim()));
  const unknown = [...names].filter((n) => !LABS.some((inv) => inv.endsWith(`/${n}.yaml`)));
  if (unknown.length) throw new Error(`PROVISION_E2E_LABS names no lab: ${unknown.join(', ')} (known: ${LABS.join(', ')})`);
  return LABS.filter((inv) => names.has(inv.replace(/^.*\//, '').replace(/\.yaml$/, '')));
}

/**
 * Remove what the tests made, then check that nothing of theirs is left: no container, no overlay
 * mount, no light host namespace. The bridge and the apt cache go only with their last user.
 */
export async function teardown(): Promise<void> {
  if (process.env.PROVISION_KEEP_LAB) return;
  for (const inv of TEST_INVENTORIES) provision(LAB_DOWN_LIMIT_S, 'lab', 'down', inv);
  provision(LAB_DOWN_LIMIT_S, 'lab', 'light', 'down', '--first', String(LIGHT.first), '--count', String(LIGHT.count));

  const names = TEST_INVENTORIES.flatMap((f) => [...loadInventory(f).hosts.keys()]);
  const left: string[] = [];
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .filter((l) => names.some((n) => l.includes(`/var/lib/provision/lab/hosts/${n}/`)));
  left.push(...mounts.map((m) => `mount: ${m}`));
  // Zombies do not count: where PID 1 does not reap orphans, stopped daemons linger as zombies.
  const procs = sh('ps -eo pid=,stat=,args= | awk \'$2 !~ /^Z/ && $3 == "systemd-nspawn"\'')
    .split('\n')
    .filter((l) => names.some((n) => l.includes(` -M ${n} `)));
  left.push(...procs.map((p) => `process: ${p}`));
  const state = existsSync(STATE) ? (JSON.parse(readFileSync(STATE, 'utf8')) as { hosts: Record<string, unknown> }) : { hosts: {} };
  left.push(...names.filter((n) => n in state.hosts).map((n) => `lab state still lists ${n}`));
  const ours = new Set(Array.from({ length: LIGHT.count }, (_, i) => `plh${LIGHT.first + i}`));
  const namespaces = sh('ip netns list | grep -o "^plh[0-9]*" || true')
    .split('\n')
    .filter((ns) => ours.has(ns));
  if (namespaces.length) left.push(`light host namespaces: ${namespaces.join(' ')}`);
  // Nobody else left: the last one out took the bridge and the cache with it.
  const othersLeft = Object.keys(state.hosts).length > 0 || sh('ip netns list | grep -c "^plh" || true') !== '0';
  if (!othersLeft) {
    if (sh('ip link show provlab0 >/dev/null 2>&1 && echo bridge || true')) left.push('bridge provlab0, with no lab host left');
    const cache = sh('ps -eo stat=,args= | awk \'$1 !~ /^Z/ && $2 == "apt-cacher-ng"\' | grep "BindAddress=198.18.0.1 Port=3142" || true');
    if (cache) left.push(`apt-cacher-ng, with no lab host left: ${cache}`);
  }
  const hiddenLeft = Object.values(state.hosts as Record<string, { hidden?: boolean; hiddenAddress?: string }>).some(
    (h) => h.hidden || h.hiddenAddress,
  );
  if (!hiddenLeft && sh('ip link show provlab1 >/dev/null 2>&1 && echo bridge || true'))
    left.push('bridge provlab1, with no hidden host left');
  if (left.length) throw new Error(`lab down left things behind:\n${left.join('\n')}`);
}
