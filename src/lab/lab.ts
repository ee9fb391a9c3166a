import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Inventory } from '../config/inventory.js';
import { sleep } from '../util/limiter.js';
import { labAptConf } from './apt-conf.js';
import { withLabLock } from './lab-lock.js';
import { type LightHost, lightCount, lightDown, lightUp } from './light-hosts.js';
import { supervisedArgs } from './supervisor.js';
import {
  APT_CACHE_PORT,
  checkLabAddress,
  checkRequirements,
  ensureBridge,
  ensureHiddenBridge,
  ensureInotifyInstances,
  LAB_BRIDGE,
  LAB_CACHE_DIR,
  LAB_GATEWAY,
  LAB_HIDDEN_BRIDGE,
  LAB_HIDDEN_PREFIX,
  LAB_PREFIX,
  LAB_STATE_DIR,
  labError,
  probeTcp,
  processAlive,
  run,
  waitForSsh,
} from './system.js';

/** Where a lab host sits: the hidden network, and a bastion's leg into it. */
export interface LabNetwork {
  /** `lab_network: hidden`: only on the hidden bridge, reachable through a bastion only. */
  hidden?: boolean;
  /** `lab_hidden_address: A.B.C.D/NN`: a second interface on the hidden bridge (a bastion). */
  hiddenAddress?: string;
  /** `lab_hidden_prefix`: a hidden host's prefix length when not LAB_HIDDEN_PREFIX (its subnet must hold its bastion's leg). */
  hiddenPrefix?: number;
}

export interface LabHostState extends LabNetwork {
  address: string;
  pid?: number;
  dir: string;
}

export interface LabState {
  hosts: Record<string, LabHostState>;
  cachePid?: number;
}

export interface LabHostStatus {
  name: string;
  address: string;
  state: 'up' | 'booted' | 'rebooted' | 'down';
}

const BASE = join(LAB_CACHE_DIR, 'bookworm');
const STATE_FILE = join(LAB_STATE_DIR, 'lab.json');
export const LAB_KEY = join(LAB_STATE_DIR, 'id_ed25519');
export const LAB_KNOWN_HOSTS = join(LAB_STATE_DIR, 'known_hosts');
const BASE_PACKAGES = 'systemd-sysv,openssh-server,iproute2,procps,ca-certificates,sudo,dbus';

export function readState(): LabState {
  return existsSync(STATE_FILE) ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as LabState) : { hosts: {} };
}

function writeState(s: LabState): void {
  mkdirSync(LAB_STATE_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(STATE_FILE, JSON.stringify(s, null, 2));
}

export interface LabHostSpec extends LabNetwork {
  name: string;
  address: string;
}

/** The lab hosts of an inventory: its name and ansible_host, refused unless inside the lab network. */
export function labHosts(inv: Inventory): LabHostSpec[] {
  return [...inv.hosts.values()].map((h) => {
    const address = String(h.vars.ansible_host ?? h.name);
    checkLabAddress(h.name, address);
    return { name: h.name, address, ...labNetwork(h.name, h.vars.lab_network, h.vars.lab_hidden_address, h.vars.lab_hidden_prefix) };
  });
}

function labNetwork(name: string, network: unknown, hiddenAddress: unknown, hiddenPrefix: unknown): LabNetwork {
  const out: LabNetwork = {};
  if (network !== undefined && network !== 'hidden') {
    throw labError(`host ${name}: lab_network must be "hidden" (or unset), not ${JSON.stringify(network)}`);
  }
  if (network === 'hidden') out.hidden = true;
  if (hiddenPrefix !== undefined) {
    const n = Number(hiddenPrefix);
    if (!out.hidden || !Number.isInteger(n) || n < 22 || n > 30)
      throw labError(`host ${name}: lab_hidden_prefix must be a prefix length from 22 to 30, on a host with lab_network: hidden`);
    out.hiddenPrefix = n;
  }
  if (hiddenAddress !== undefined) {
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(String(hiddenAddress));
    if (!m?.[1] || Number(m[2]) < 16 || Number(m[2]) > 30) {
      throw labError(`host ${name}: lab_hidden_address must be an address with its prefix, like 198.18.3.254/28`);
    }
    checkLabAddress(name, m[1]);
    if (out.hidden) throw labError(`host ${name}: a hidden host cannot also be a bastion (lab_hidden_address)`);
    out.hiddenAddress = String(hiddenAddress);
  }
  return out;
}

function sameNetwork(a: LabNetwork, b: LabNetwork): boolean {
  return Boolean(a.hidden) === Boolean(b.hidden) && a.hiddenAddress === b.hiddenAddress && a.hiddenPrefix === b.hiddenPrefix;
}

/** The host side of a bastion's second interface (15 characters at most, as every interface name). */
function hiddenVeth(name: string): string {
  return `vx-${name}`.slice(0, 15);
}

/** Debian bookworm, built once with debootstrap and cached; hosts are overlays on it. */
export async function ensureBase(log: (l: string) => void): Promise<void> {
  if (existsSync(join(BASE, 'etc', 'os-release'))) return;
  const tmp = `${BASE}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(LAB_CACHE_DIR, { recursive: true });
  log('building the Debian bookworm base with debootstrap (once; about a minute)...');
  const mirror = process.env.PROVISION_LAB_MIRROR ?? 'http://deb.debian.org/debian';
  await run('debootstrap', ['--variant=minbase', `--include=${BASE_PACKAGES}`, 'bookworm', tmp, mirror]);
  await run('systemctl', [`--root=${tmp}`, 'enable', 'systemd-networkd']);
  rmSync(join(tmp, 'var', 'cache', 'apt', 'archives'), { recursive: true, force: true });
  mkdirSync(join(tmp, 'var', 'cache', 'apt', 'archives', 'partial'), { recursive: true });
  renameSync(tmp, BASE);
}

async function ensureKey(): Promise<string> {
  mkdirSync(LAB_STATE_DIR, { recursive: true, mode: 0o700 });
  if (!existsSync(LAB_KEY)) await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'provision-lab', '-f', LAB_KEY]);
  return readFileSync(`${LAB_KEY}.pub`, 'utf8');
}

/** apt-cacher-ng on the bridge: the hosts' only way to packages, cached for every later host. */
async function ensureAptCache(state: LabState): Promise<void> {
  if (processAlive(state.cachePid, 'apt-cacher-ng')) return;
  writeFileSync('/etc/apt-cacher-ng/backends_debian', 'http://deb.debian.org/debian/\n');
  const logFd = openSync(join(LAB_STATE_DIR, 'apt-cacher-ng.log'), 'a');
  const child = spawn(
    'apt-cacher-ng',
    ['-c', '/etc/apt-cacher-ng', 'ForeGround=1', `BindAddress=${LAB_GATEWAY}`, `Port=${APT_CACHE_PORT}`],
    {
      detached: true,
      stdio: ['ignore', logFd, logFd],
    },
  );
  child.unref();
  state.cachePid = child.pid;
  for (let i = 0; i < 50; i++) {
    if (await probeTcp(LAB_GATEWAY, APT_CACHE_PORT)) return;
    await sleep(100);
  }
  throw labError('apt-cacher-ng did not start', `see ${join(LAB_STATE_DIR, 'apt-cacher-ng.log')}`);
}

async function isMounted(dir: string): Promise<boolean> {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[1] === dir);
}

/** A host's own file system: an overlay on the base, with its own identity, keys and address. */
async function prepareHost(name: string, address: string, dir: string, pubKey: string, net: LabNetwork): Promise<void> {
  const root = join(dir, 'root');
  const fresh = !existsSync(join(dir, 'upper'));
  for (const d of ['upper', 'work', 'root']) mkdirSync(join(dir, d), { recursive: true });
  if (!(await isMounted(root))) {
    await run('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${BASE},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`,
      root,
    ]);
  }
  if (!fresh) return;
  writeFileSync(join(root, 'etc', 'hostname'), `${name}\n`);
  writeFileSync(join(root, 'etc', 'hosts'), `127.0.0.1\tlocalhost\n127.0.1.1\t${name}\n${address}\t${name}\n`);
  writeFileSync(join(root, 'etc', 'machine-id'), `${(await run('systemd-id128', ['new'])).stdout.trim()}\n`);
  // The controller's resolver is unreachable from a lab host; an empty file avoids long DNS timeouts.
  rmSync(join(root, 'etc', 'resolv.conf'), { force: true });
  writeFileSync(join(root, 'etc', 'resolv.conf'), '# lab host: no resolver\n');
  for (const f of readdirSync(join(root, 'etc', 'ssh')).filter((f) => f.startsWith('ssh_host_'))) rmSync(join(root, 'etc', 'ssh', f));
  await run('ssh-keygen', ['-A', '-f', root]);
  mkdirSync(join(root, 'root', '.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(join(root, 'root', '.ssh', 'authorized_keys'), pubKey, { mode: 0o600 });
  mkdirSync(join(root, 'etc', 'systemd', 'network'), { recursive: true });
  // 10-*: a file sorted after the container default (80-container-host0) would lose to it.
  writeFileSync(
    join(root, 'etc', 'systemd', 'network', '10-lab.network'),
    `[Match]\nName=host0\n\n[Network]\nAddress=${address}/${net.hidden ? (net.hiddenPrefix ?? LAB_HIDDEN_PREFIX) : LAB_PREFIX}\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n`,
  );
  if (net.hiddenAddress) {
    writeFileSync(
      join(root, 'etc', 'systemd', 'network', '11-hidden.network'),
      `[Match]\nName=hidden0\n\n[Network]\nAddress=${net.hiddenAddress}\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n`,
    );
  }
  writeFileSync(join(root, 'etc', 'apt', 'apt.conf.d', '00lab-proxy'), labAptConf(`http://${LAB_GATEWAY}:${APT_CACHE_PORT}`));
  chmodSync(join(root, 'root'), 0o700);
}

/**
 * What a dead host left behind: if nspawn died alone, the container's processes may live on and
 * hold its veth. Kill every process whose root is this host's file system; drop the veth.
 */
async function clearLeftovers(name: string, dir: string): Promise<void> {
  // A container's processes see their root as `/` (readlink says so): what identifies them is the
  // directory itself, the same device and inode as the host's root file system mounted here.
  const root = statSync(join(dir, 'root'), { throwIfNoEntry: false });
  for (const entry of root ? readdirSync('/proc').filter((e) => /^\d+$/.test(e)) : []) {
    let procRoot: Stats | undefined;
    try {
      procRoot = statSync(`/proc/${entry}/root/`);
    } catch {
      continue; // the process ended while we looked, or is not ours to read
    }
    if (root && procRoot.dev === root.dev && procRoot.ino === root.ino && Number(entry) !== process.pid)
      process.kill(Number(entry), 'SIGKILL');
  }
  await run('ip', ['link', 'del', `vb-${name}`.slice(0, 15)], { reject: false });
  await run('ip', ['link', 'del', hiddenVeth(name)], { reject: false });
}

function bootHost(name: string, dir: string, net: LabNetwork): number {
  const logFd = openSync(join(dir, 'console.log'), 'a');
  const args = ['-q', '-D', join(dir, 'root'), '-M', name, '--boot', '--register=no', '--keep-unit'];
  args.push(`--network-bridge=${net.hidden ? LAB_HIDDEN_BRIDGE : LAB_BRIDGE}`);
  // A bastion's leg into the hidden network; nspawn makes the veth, we put its host side on the bridge.
  if (net.hiddenAddress) args.push(`--network-veth-extra=${hiddenVeth(name)}:hidden0`);
  const env = net.hiddenAddress ? { ...process.env, LAB_HIDDEN_LINK: hiddenVeth(name), LAB_HIDDEN_BRIDGE } : process.env;
  // Its own process group (detached): stopping the host can kill the loop and nspawn together.
  const child = spawn('sh', supervisedArgs(args), { detached: true, stdio: ['ignore', logFd, logFd], env });
  child.unref();
  if (!child.pid) throw labError(`could not start systemd-nspawn for ${name}`);
  return child.pid;
}

/** Put a bastion's second veth on the hidden bridge once nspawn has made it. */
async function attachHiddenVeth(name: string): Promise<void> {
  const link = hiddenVeth(name);
  for (let i = 0; i < 100; i++) {
    if ((await run('ip', ['link', 'show', link], { reject: false })).exitCode === 0) {
      await run('ip', ['link', 'set', link, 'master', LAB_HIDDEN_BRIDGE, 'up']);
      return;
    }
    await sleep(100);
  }
  throw labError(`${name}: systemd-nspawn did not create ${link} within 10 s`, `see ${join(LAB_STATE_DIR, 'hosts', name, 'console.log')}`);
}

/** The container's PID 1 (nspawn's child): its network namespace is the host's. */
export function containerInit(hostPid: number): number | undefined {
  const firstChild = (pid: number) => {
    try {
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
      return children[0] ? Number(children[0]) : undefined;
    } catch {
      return undefined; // not (or no longer) running
    }
  };
  // The host's pid is its supervisor loop's (src/lab/supervisor.ts): nspawn is its child.
  const nspawn = firstChild(hostPid);
  return nspawn === undefined ? undefined : firstChild(nspawn);
}

/**
 * A hidden host answers nobody on the controller's network: wait for its SSH banner from inside
 * its own network namespace instead.
 */
async function waitForHiddenSsh(name: string, address: string, nspawnPid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const probe = `exec 3<>/dev/tcp/${address}/22 && head -c 4 <&3`;
  while (Date.now() < deadline) {
    const init = containerInit(nspawnPid);
    if (init !== undefined) {
      const r = await run('nsenter', ['-t', String(init), '-n', '--', 'timeout', '2', 'bash', '-c', probe], { reject: false });
      if (r.exitCode === 0 && r.stdout.startsWith('SSH-')) return;
    }
    await sleep(200);
  }
  throw labError(
    `${name} (${address}, hidden) did not answer SSH within ${Math.round(timeoutMs / 1000)}s`,
    'look at its console.log in the lab state directory',
  );
}

function hostKeyLines(address: string, dir: string): string {
  const sshDir = join(dir, 'root', 'etc', 'ssh');
  return readdirSync(sshDir)
    .filter((f) => f.startsWith('ssh_host_') && f.endsWith('.pub'))
    .map((f) => {
      const [type, key] = readFileSync(join(sshDir, f), 'utf8').trim().split(/\s+/);
      return `${address} ${type} ${key}\n`;
    })
    .join('');
}

function writeKnownHosts(state: LabState): void {
  const lines = Object.values(state.hosts)
    .map((h) => (existsSync(join(h.dir, 'root', 'etc', 'ssh')) ? hostKeyLines(h.address, h.dir) : ''))
    .join('');
  writeFileSync(LAB_KNOWN_HOSTS, lines, { mode: 0o600 });
}

export async function labUp(inv: Inventory, log: (l: string) => void): Promise<{ hosts: LabHostStatus[]; ms: number; baseMs: number }> {
  const hosts = labHosts(inv);
  await checkRequirements();
  const t0 = Date.now();
  let baseMs = 0;
  // Under the lock: the base, the shared state, the bridge and the cache. Waiting for SSH is not.
  const result = await withLabLock(async () => {
    const tb = Date.now();
    await ensureBase(log);
    baseMs = Date.now() - tb;
    const pubKey = await ensureKey();
    const state = readState();
    await ensureBridge();
    if (hosts.some((h) => h.hidden || h.hiddenAddress)) await ensureHiddenBridge();
    ensureInotifyInstances();
    await ensureAptCache(state);
    const booted: LabHostStatus[] = [];
    await Promise.all(
      hosts.map(async ({ name, address, ...net }) => {
        const prior = state.hosts[name];
        if (prior && prior.address === address && sameNetwork(prior, net) && processAlive(prior.pid, `-M ${name} `)) {
          booted.push({ name, address, state: 'up' });
          return;
        }
        const dir = join(LAB_STATE_DIR, 'hosts', name);
        if (prior) await clearLeftovers(name, dir);
        await prepareHost(name, address, dir, pubKey, net);
        const pid = bootHost(name, dir, net);
        if (net.hiddenAddress) await attachHiddenVeth(name);
        state.hosts[name] = { address, pid, dir, ...net };
        booted.push({ name, address, state: prior ? 'rebooted' : 'booted' });
      }),
    );
    writeState(state);
    writeKnownHosts(state);
    return booted;
  }, log);
  const pids = readState().hosts;
  await Promise.all(
    hosts.map((h) => {
      const pid = pids[h.name]?.pid;
      return h.hidden && pid !== undefined ? waitForHiddenSsh(h.name, h.address, pid, 90_000) : waitForSsh(h.address, 90_000);
    }),
  );
  result.sort((a, b) => hosts.findIndex((h) => h.name === a.name) - hosts.findIndex((h) => h.name === b.name));
  return { hosts: result, ms: Date.now() - t0, baseMs };
}

async function stopPid(pid: number | undefined, marker: string): Promise<void> {
  if (pid === undefined || !processAlive(pid, marker)) return;
  // nspawn turns SIGTERM into an orderly shutdown of the container (a host's supervisor passes it on).
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && processAlive(pid, marker); i++) await sleep(100);
  // The whole group: a host's supervisor and its nspawn (started detached, so the group is theirs alone).
  if (processAlive(pid, marker)) killGroupOrProcess(pid);
  for (let i = 0; i < 50 && processAlive(pid, marker); i++) await sleep(100);
}

function killGroupOrProcess(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    process.kill(pid, 'SIGKILL'); // not a group leader (a host booted before the supervisor existed)
  }
}

/**
 * Stop and remove the inventory's hosts (every full and light host without one). The bridge and
 * the apt cache are shared by every lab on this machine: they go with their last user only (the
 * cache serves full hosts; the bridge serves full and light hosts).
 */
export async function labDown(inv: Inventory | undefined): Promise<string[]> {
  await checkRequirements();
  const wanted = inv ? labHosts(inv).map((h) => h.name) : undefined;
  return withLabLock(async () => {
    const state = readState();
    const names = wanted ?? Object.keys(state.hosts);
    await Promise.all(
      names.map(async (name) => {
        const h = state.hosts[name];
        if (!h) return;
        await stopPid(h.pid, `-M ${name} `);
        // An nspawn killed after its grace time leaves the container's own systemd running,
        // orphaned, and its inotify watches held: what still runs in the host's root goes too.
        await clearLeftovers(name, h.dir);
        const root = join(h.dir, 'root');
        if (await isMounted(root)) await run('umount', [root]);
        rmSync(h.dir, { recursive: true, force: true });
        delete state.hosts[name];
      }),
    );
    if (!wanted) await lightDown();
    await releaseShared(state);
    return names;
  });
}

/** `lab light up`: under the lab lock, which also guards the bridge the light hosts join. */
export async function labLightUp(count: number, first: number): Promise<LightHost[]> {
  await checkRequirements();
  return withLabLock(() => lightUp(count, `${LAB_KEY}.pub`, first));
}

/** `lab light down`: under the lab lock, and the bridge goes with its last user. */
export async function labLightDown(first?: number, count?: number): Promise<number> {
  await checkRequirements();
  return withLabLock(async () => {
    const removed = await lightDown(first, count);
    await releaseShared(readState());
    return removed;
  });
}

/** Write the state back; drop the cache and the bridges when nobody uses them any more. */
async function releaseShared(state: LabState): Promise<void> {
  if (!Object.values(state.hosts).some((h) => h.hidden || h.hiddenAddress)) {
    await run('ip', ['link', 'del', LAB_HIDDEN_BRIDGE], { reject: false });
  }
  if (Object.keys(state.hosts).length > 0) {
    writeState(state);
    writeKnownHosts(state);
    return;
  }
  await stopPid(state.cachePid, 'apt-cacher-ng');
  rmSync(STATE_FILE, { force: true });
  rmSync(LAB_KNOWN_HOSTS, { force: true });
  if (lightCount() === 0) await run('ip', ['link', 'del', LAB_BRIDGE], { reject: false });
}

/** Every lab host, or only the inventory's (a host it names that the lab does not know is down). */
export function labStatus(inv?: Inventory): LabHostStatus[] {
  const state = readState();
  const hosts = inv ? labHosts(inv) : Object.entries(state.hosts).map(([name, h]) => ({ name, address: h.address }));
  return hosts.map(({ name, address }) => ({
    name,
    address,
    state: processAlive(state.hosts[name]?.pid, `-M ${name} `) ? 'up' : 'down',
  }));
}
