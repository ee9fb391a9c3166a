import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Limiter, sleep } from '../util/limiter.js';
import { ensureBridge, LAB_BRIDGE, LAB_PREFIX, labError, processAlive, run, waitForSsh } from './system.js';

/**
 * Light hosts: many sshd-only hosts for scale tests and benchmarks. Each has its own network
 * namespace and address on the lab bridge, and its own overlay over a managed tree (/srv/light),
 * in a mount namespace of its own; no systemd. They share the controller's programs otherwise.
 */
export interface LightHost {
  name: string;
  address: string;
}

// Not under the lab's 0700 state directory: sshd reads authorized_keys as the light user.
const DIR = process.env.PROVISION_LIGHT_DIR ?? '/var/lib/provision-light';
/** The light hosts' own keys, written as they are made: no trust on first use. */
export const LIGHT_KNOWN_HOSTS = join(DIR, 'known_hosts');
const STATE = join(DIR, 'state.json');
export const LIGHT_TREE = '/srv/light';
/**
 * Light hosts are logged into as this user, whose shell is /bin/sh and whose home is in the
 * managed tree: root's shell start-up files on the controller (pyenv and the like) would
 * otherwise cost every command of both tools a few hundred milliseconds.
 */
export const LIGHT_USER = 'provlight';

async function ensureUser(): Promise<void> {
  if ((await run('id', ['-u', LIGHT_USER], { reject: false })).exitCode !== 0) {
    await run('useradd', ['--system', '--shell', '/bin/sh', '--home-dir', `${LIGHT_TREE}/home`, '--no-create-home', LIGHT_USER]);
  }
  // '!' (useradd's default) reads as a locked account to sshd without PAM; '*' only means "no password".
  await run('usermod', ['-p', '*', LIGHT_USER]);
  mkdirSync(`${LIGHT_TREE}/home`, { recursive: true });
  await run('chown', ['-R', `${LIGHT_USER}:${LIGHT_USER}`, LIGHT_TREE]);
}

/** 198.18.2.1 .. 198.18.3.254: the upper half of the lab network. */
export function lightAddress(i: number): string {
  if (i < 0 || i >= 508) throw labError(`light host index ${i} is out of range (0-507)`);
  return i < 254 ? `198.18.2.${i + 1}` : `198.18.3.${i - 253}`;
}

function readState(): Record<string, { pid: number; ns: string }> {
  return existsSync(STATE) ? JSON.parse(readFileSync(STATE, 'utf8')) : {};
}

function writeState(state: Record<string, { pid: number; ns: string }>): void {
  writeFileSync(STATE, JSON.stringify(state));
  writeFileSync(
    LIGHT_KNOWN_HOSTS,
    Object.keys(state)
      .map(
        (ns) =>
          `${lightAddress(Number(ns.slice(3)))} ${readFileSync(join(DIR, ns, 'ssh_host_ed25519_key.pub'), 'utf8')
            .trim()
            .split(/\s+/)
            .slice(0, 2)
            .join(' ')}\n`,
      )
      .join(''),
  );
}

async function startOne(i: number, pubKey: string): Promise<{ pid: number; ns: string }> {
  const ns = `plh${i}`;
  const address = lightAddress(i);
  const hostDir = join(DIR, ns);
  for (const d of ['upper', 'work']) mkdirSync(join(hostDir, d), { recursive: true });
  if (!existsSync(join(hostDir, 'ssh_host_ed25519_key')))
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(hostDir, 'ssh_host_ed25519_key')]);
  // sshd reads it as the user: root-owned and world-readable passes its StrictModes checks.
  writeFileSync(join(hostDir, 'authorized_keys'), pubKey, { mode: 0o644 });
  await run('chown', [`${LIGHT_USER}:${LIGHT_USER}`, join(hostDir, 'upper')]);
  writeFileSync(
    join(hostDir, 'sshd_config'),
    [
      `HostKey ${join(hostDir, 'ssh_host_ed25519_key')}`,
      `AuthorizedKeysFile ${join(hostDir, 'authorized_keys')}`,
      `PidFile ${join(hostDir, 'sshd.pid')}`,
      `AllowUsers ${LIGHT_USER}`,
      'PasswordAuthentication no',
      'UsePAM no',
      'MaxSessions 20',
      'MaxStartups 200',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  if ((await run('ip', ['netns', 'list'])).stdout.split('\n').every((l) => l.split(' ')[0] !== ns)) {
    await run('ip', ['netns', 'add', ns]);
    await run('ip', ['link', 'add', `${ns}h`, 'type', 'veth', 'peer', 'name', `${ns}c`]);
    await run('ip', ['link', 'set', `${ns}h`, 'master', LAB_BRIDGE, 'up']);
    await run('ip', ['link', 'set', `${ns}c`, 'netns', ns]);
    await run('ip', ['-n', ns, 'addr', 'add', `${address}/${LAB_PREFIX}`, 'dev', `${ns}c`]);
    await run('ip', ['-n', ns, 'link', 'set', `${ns}c`, 'up']);
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  }
  mkdirSync(LIGHT_TREE, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true });
  const mount = `mount -t overlay overlay -o lowerdir=${LIGHT_TREE},upperdir=${join(hostDir, 'upper')},workdir=${join(hostDir, 'work')} ${LIGHT_TREE}`;
  const log = openSync(join(hostDir, 'sshd.log'), 'a');
  // ip netns exec gives the host its own mount namespace too; the overlay is mounted inside it.
  const child = spawn('ip', ['netns', 'exec', ns, 'sh', '-c', `${mount} && exec /usr/sbin/sshd -D -e -f ${join(hostDir, 'sshd_config')}`], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  if (child.pid === undefined) throw labError(`could not start sshd for light host ${ns}`, 'check that ip(8) and sshd are installed');
  return { pid: child.pid, ns };
}

/** How many light hosts are recorded: each is a user of the lab bridge. */
export function lightCount(): number {
  return Object.keys(readState()).length;
}

/**
 * Start `count` light hosts from index `first` (those already running are kept); returns them
 * with their addresses. Different index ranges are different sets: tests use their own.
 */
export async function lightUp(count: number, pubKeyFile: string, first = 0): Promise<LightHost[]> {
  lightAddress(first);
  lightAddress(first + count - 1);
  await ensureBridge();
  await ensureUser();
  mkdirSync(DIR, { recursive: true, mode: 0o755 });
  const pubKey = readFileSync(pubKeyFile, 'utf8');
  const state = readState();
  const indices = Array.from({ length: count }, (_, i) => first + i);
  const limiter = new Limiter(16);
  await Promise.all(
    indices.map((i) =>
      limiter.run(async () => {
        const ns = `plh${i}`;
        if (processAlive(state[ns]?.pid, `${ns}/`)) return;
        state[ns] = await startOne(i, pubKey);
      }),
    ),
  );
  writeState(state);
  const hosts = indices.map((i) => ({ name: `light${i}`, address: lightAddress(i) }));
  await Promise.all(hosts.map((h) => limiter.run(() => waitForSsh(h.address, 30_000))));
  return hosts;
}

/** Stop light hosts (all, or `count` from index `first`) and remove their namespaces, veths and files. */
export async function lightDown(first?: number, count?: number): Promise<number> {
  const state = readState();
  const chosen = Object.entries(state).filter(([ns]) => {
    const i = Number(ns.slice(3));
    return first === undefined || (i >= first && i < first + (count ?? Number.POSITIVE_INFINITY));
  });
  const limiter = new Limiter(16);
  await Promise.all(
    chosen.map(([ns, { pid }]) =>
      limiter.run(async () => {
        if (processAlive(pid, `${ns}/`)) {
          process.kill(pid, 'SIGTERM');
          for (let i = 0; i < 20 && processAlive(pid, `${ns}/`); i++) await sleep(50);
        }
        const sshdPid = Number(existsSync(join(DIR, ns, 'sshd.pid')) ? readFileSync(join(DIR, ns, 'sshd.pid'), 'utf8') : 0);
        if (sshdPid && processAlive(sshdPid, 'sshd')) process.kill(sshdPid, 'SIGTERM');
        await run('ip', ['link', 'del', `${ns}h`], { reject: false });
        await run('ip', ['netns', 'del', ns], { reject: false });
        rmSync(join(DIR, ns), { recursive: true, force: true });
        delete state[ns];
      }),
    ),
  );
  if (Object.keys(state).length === 0) rmSync(DIR, { recursive: true, force: true });
  else writeState(state);
  return chosen.length;
}
