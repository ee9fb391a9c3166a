import { execFileSync } from 'node:child_process';

const CLI = ['bin/provision.js'];
const LABS = ['inventory/lab.yaml', 'test/e2e/engine-lab.yaml', 'test/e2e/timeout-lab.yaml'];
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

/** Boot the lab once for every end-to-end file; tear it down after, unless asked to keep it. */
export async function setup(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the end-to-end tests boot a lab and need root');
  for (const inv of LABS) provision(LAB_UP_LIMIT_S, 'lab', 'up', inv);
}

/** After `lab down`, nothing may be left: no container, no overlay mount, no bridge, no cache process. */
export async function teardown(): Promise<void> {
  if (process.env.PROVISION_KEEP_LAB) return;
  provision(LAB_DOWN_LIMIT_S, 'lab', 'down');
  const left: string[] = [];
  const mounts = execFileSync('cat', ['/proc/self/mounts'])
    .toString()
    .split('\n')
    .filter((l) => l.includes('/var/lib/provision/lab/'));
  left.push(...mounts.map((m) => `mount: ${m}`));
  // Zombies do not count: where PID 1 does not reap orphans, stopped daemons linger as zombies.
  const procs = execFileSync('sh', [
    '-c',
    'ps -eo pid=,stat=,comm= | awk \'$2 !~ /^Z/ && ($3 == "systemd-nspawn" || $3 == "apt-cacher-ng")\'',
  ])
    .toString()
    .trim();
  if (procs) left.push(`processes: ${procs}`);
  const namespaces = execFileSync('sh', ['-c', 'ip netns list | grep -o "^plh[0-9]*" || true']).toString().trim();
  if (namespaces) left.push(`light host namespaces: ${namespaces.split('\n').length}`);
  if (execFileSync('sh', ['-c', 'ip link show provlab0 >/dev/null 2>&1 && echo bridge || true']).toString().trim())
    left.push('bridge provlab0');
  if (left.length) throw new Error(`lab down left things behind:\n${left.join('\n')}`);
}
