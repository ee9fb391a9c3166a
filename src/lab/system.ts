import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { execa } from 'execa';
import { ProvisionError } from '../errors.js';
import { sleep } from '../util/limiter.js';

/** Where the lab keeps its state and its cached base file system; both outside the repository. */
export const LAB_STATE_DIR = process.env.PROVISION_LAB_DIR ?? '/var/lib/provision/lab';
export const LAB_CACHE_DIR = process.env.PROVISION_LAB_CACHE ?? '/var/cache/provision-lab';
export const LAB_BRIDGE = 'provlab0';
/**
 * The hidden network: a bridge without an address on the controller, for hosts only a bastion
 * reaches (`lab_network: hidden`). Its hosts sit in 198.18.3.240/28, inside the controller's /22
 * on provlab0, where nothing answers for them: a direct connection fails as unreachable.
 */
export const LAB_HIDDEN_BRIDGE = 'provlab1';
export const LAB_HIDDEN_PREFIX = 28;
export const LAB_GATEWAY = '198.18.0.1';
export const LAB_PREFIX = 22;
export const APT_CACHE_PORT = 3142;

/** The Debian packages the lab needs on the controller, by the command that reveals each is missing. */
export const REQUIRED: Record<string, string> = {
  'systemd-nspawn': 'systemd-container',
  debootstrap: 'debootstrap',
  'apt-cacher-ng': 'apt-cacher-ng',
  ip: 'iproute2',
  'ssh-keygen': 'openssh-client',
  'systemd-id128': 'systemd',
};

export function labError(message: string, hint?: string): ProvisionError {
  return new ProvisionError('lab', message, { hint });
}

export async function checkRequirements(): Promise<void> {
  if (process.platform !== 'linux') throw labError('the lab needs Linux with systemd-nspawn');
  if (process.getuid?.() !== 0)
    throw labError('the lab needs root (it makes a bridge, mounts and containers)', 'run it as root, e.g. with sudo');
  const missing: string[] = [];
  for (const [cmd, pkg] of Object.entries(REQUIRED)) {
    const r = await execa('sh', ['-c', `command -v ${cmd}`], { reject: false });
    if (r.exitCode !== 0) missing.push(pkg);
  }
  if (missing.length) {
    const pkgs = [...new Set(missing)].join(' ');
    throw labError(
      `missing Debian packages: ${pkgs}`,
      `install them: apt-get update && apt-get install -y ${pkgs}  (or run scripts/setup.sh)`,
    );
  }
}

const INOTIFY_INSTANCES = '/proc/sys/fs/inotify/max_user_instances';
const INOTIFY_NEEDED = 1024;

/**
 * Every booted host's systemd and its services take inotify instances from the controller's one
 * per-user budget (128 by default): past about 20 hosts, new hosts boot without working units and
 * never answer SSH ("Failed to create inotify object: Too many open files" on their console).
 */
export function ensureInotifyInstances(): void {
  if (!existsSync(INOTIFY_INSTANCES)) return;
  if (Number(readFileSync(INOTIFY_INSTANCES, 'utf8').trim()) >= INOTIFY_NEEDED) return;
  writeFileSync(INOTIFY_INSTANCES, `${INOTIFY_NEEDED}\n`);
}

/** Run a command on the controller; a failure is a lab error carrying its stderr. */
export async function run(
  cmd: string,
  args: string[],
  opts: { input?: string; reject?: boolean } = {},
): Promise<{ stdout: string; exitCode: number }> {
  const r = await execa(cmd, args, { reject: false, input: opts.input });
  if (r.exitCode !== 0 && opts.reject !== false) {
    throw labError(`${cmd} ${args.join(' ')} failed (exit ${r.exitCode}): ${String(r.stderr).trim().split('\n').slice(-5).join(' | ')}`);
  }
  return { stdout: String(r.stdout), exitCode: r.exitCode ?? 1 };
}

/** The lab's bridge with the controller's lab address: shared by full and light hosts. */
export async function ensureBridge(): Promise<void> {
  const exists = (await run('ip', ['link', 'show', LAB_BRIDGE], { reject: false })).exitCode === 0;
  if (!exists) await run('ip', ['link', 'add', LAB_BRIDGE, 'type', 'bridge']);
  const addrs = (await run('ip', ['-4', 'addr', 'show', 'dev', LAB_BRIDGE])).stdout;
  if (!addrs.includes(`${LAB_GATEWAY}/${LAB_PREFIX}`)) await run('ip', ['addr', 'add', `${LAB_GATEWAY}/${LAB_PREFIX}`, 'dev', LAB_BRIDGE]);
  await run('ip', ['link', 'set', LAB_BRIDGE, 'up']);
}

/** The hidden network's bridge: no address, so the controller has no way onto it. */
export async function ensureHiddenBridge(): Promise<void> {
  const exists = (await run('ip', ['link', 'show', LAB_HIDDEN_BRIDGE], { reject: false })).exitCode === 0;
  if (!exists) await run('ip', ['link', 'add', LAB_HIDDEN_BRIDGE, 'type', 'bridge']);
  await run('ip', ['link', 'set', LAB_HIDDEN_BRIDGE, 'up']);
}

/** A zombie is dead: where PID 1 does not reap orphans (some sandboxes), our daemons end as zombies. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true; // gone between the signal check and this read
  }
}

export function processAlive(pid: number | undefined, mustContain?: string): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (isZombie(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!mustContain || !existsSync(cmdline)) return true;
  // A recycled pid must not pass for our process.
  return readFileSync(cmdline, 'utf8').split('\0').join(' ').includes(mustContain);
}

/** Resolves when the address answers with an SSH banner. */
export async function waitForSsh(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await sshBanner(address)) return;
    await sleep(150);
  }
  throw labError(
    `${address} did not answer SSH within ${Math.round(timeoutMs / 1000)}s`,
    'look at the host log in the lab state directory',
  );
}

function sshBanner(address: string): Promise<boolean> {
  return probeTcp(address, 22, (d) => d.toString().startsWith('SSH-'));
}

/** Whether a TCP port accepts connections (and, given `check`, what it says first passes it). */
export function probeTcp(address: string, port: number, check?: (firstData: Buffer) => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: address, port, timeout: 1000 });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    if (!check) sock.once('connect', () => done(true));
    else sock.once('data', (d) => done(check(d)));
    sock.once('error', () => done(false));
    sock.once('timeout', () => done(false));
  });
}

/** Lab addresses must lie in the lab network: a lab never touches real machines' addresses. */
export function checkLabAddress(name: string, address: string): void {
  const m = /^198\.18\.([0-3])\.(\d{1,3})$/.exec(address);
  if (!m || Number(m[2]) > 255 || address === LAB_GATEWAY || (m[1] === '3' && m[2] === '255') || (m[1] === '0' && m[2] === '0')) {
    throw labError(
      `host ${name}: address ${address} is not a lab address`,
      `lab hosts live in 198.18.0.0/22 (not ${LAB_GATEWAY}); inventory/lab.yaml is an example`,
    );
  }
}
