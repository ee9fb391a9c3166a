import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { stringify } from 'yaml';
import { must } from '../../src/errors.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI as a real process, as users and CI do. */
export function provision(
  args: string[],
  opts: { env?: Record<string, string>; onSpawn?: (pid: number) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['bin/provision.js', ...args],
      { env: { ...process.env, ...opts.env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? ((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
    if (child.pid) opts.onSpawn?.(child.pid);
  });
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the JSON events
export function jsonEvents(stdout: string): Record<string, any>[] {
  return stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

/** The last JSON event of a run's output: the recap, for a run that finished. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the JSON events
export function lastEvent(stdout: string): Record<string, any> {
  return must(jsonEvents(stdout).at(-1), 'a JSON event in the output');
}

export const LAB_KEY = '/var/lib/provision/lab/id_ed25519';

/** A plain SSH session to a lab host, independent of the code under test. */
export async function ssh(address: string): Promise<{ run(cmd: string): Promise<{ code: number; out: string }>; close(): void }> {
  const c = new Client();
  await new Promise<void>((resolve, reject) => {
    c.once('ready', () => resolve())
      .once('error', reject)
      .connect({ host: address, username: 'root', privateKey: readFileSync(LAB_KEY), readyTimeout: 20000 });
  });
  return {
    run: (cmd) =>
      new Promise((resolve, reject) => {
        c.exec(cmd, (err, stream) => {
          if (err) return reject(err);
          let out = '';
          let code = 0;
          stream.on('data', (d: Buffer) => (out += d));
          stream.stderr.on('data', (d: Buffer) => (out += d));
          stream.on('exit', (c: number) => (code = c));
          stream.on('close', () => resolve({ code, out }));
        });
      }),
    close: () => c.end(),
  };
}

/** Every file's path, type, mode, owner, size, mtime and checksum under some directories: a host's state. */
export const SNAPSHOT = `find /etc /srv /usr/local /var/www /root /opt /tmp /var/lib/dpkg /var/lib/apt/periodic -xdev \\( -type f -o -type l -o -type d \\) -printf '%p %y %m %u %g %s %T@ %l\\n' 2>/dev/null | sort | sha256sum; find /etc /srv /usr/local /var/www /opt -xdev -type f -exec sha256sum {} + 2>/dev/null | sort | sha256sum`;

/** Kill a lab host as a power cut would: its init dies with every process of the container. */
export function killLabHost(name: string): void {
  const state = JSON.parse(readFileSync('/var/lib/provision/lab/lab.json', 'utf8'));
  const nspawn: number = state.hosts[name].pid;
  if (!existsSync(`/proc/${nspawn}`)) throw new Error(`lab host ${name} is not running (pid ${nspawn})`);
  const childrenOf = (pid: number) =>
    readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  // The state's pid is the host's supervisor loop (src/lab/supervisor.ts); nspawn is its child, init nspawn's.
  const init = childrenOf(nspawn).flatMap((pid) =>
    readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'systemd-nspawn' ? childrenOf(pid) : [pid],
  );
  for (const pid of init) process.kill(pid, 'SIGKILL');
}

/** An inventory of lab hosts, written fresh for one test. */
export function inventory(hosts: Record<string, string>, vars: Record<string, unknown> = {}): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'prov-rel-'));
  const file = join(dir, 'inv.yaml');
  writeFileSync(
    file,
    stringify({
      all: {
        vars: {
          ansible_user: 'root',
          ansible_ssh_private_key_file: LAB_KEY,
          provision_known_hosts_file: '/var/lib/provision/lab/known_hosts',
          provision_connect_timeout: 3,
          ...vars,
        },
        hosts: Object.fromEntries(Object.entries(hosts).map(([n, a]) => [n, { ansible_host: a }])),
      },
    }),
  );
  return { dir, file };
}

export function playbook(dir: string, tasks: unknown[], play: Record<string, unknown> = {}): string {
  const file = join(dir, 'pb.yaml');
  writeFileSync(file, stringify([{ name: 'test', hosts: 'all', gather_facts: false, ...play, tasks }]));
  return file;
}

/**
 * Two login users on a lab host: `nopw` with passwordless sudo, `withpw` whose sudo asks for
 * `password`; both log in with the lab key.
 */
export async function addSudoUsers(address: string, password: string): Promise<void> {
  const s = await ssh(address);
  const setup = [
    'for u in nopw withpw; do id -u $u >/dev/null 2>&1 || useradd -m -s /bin/bash $u; mkdir -p /home/$u/.ssh; cp /root/.ssh/authorized_keys /home/$u/.ssh/; chown -R $u: /home/$u/.ssh; done',
    `echo 'withpw:${password}' | chpasswd`,
    "echo 'nopw ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/nopw",
    "echo 'withpw ALL=(ALL) ALL' > /etc/sudoers.d/withpw",
    'chmod 0440 /etc/sudoers.d/nopw /etc/sudoers.d/withpw',
  ].join('\n');
  const r = await s.run(setup);
  s.close();
  if (r.code !== 0) throw new Error(`setting up sudo users on ${address} failed: ${r.out}`);
}

/** One command on a lab host over a fresh SSH connection: its output. */
export async function runOn(address: string, command: string): Promise<string> {
  const s = await ssh(address);
  try {
    return (await s.run(command)).out;
  } finally {
    s.close();
  }
}

/** Per-task statuses of a `--json` run in order, space separated, as Ansible's output lists them. */
export function taskStatuses(stdout: string): string {
  return jsonEvents(stdout)
    .filter((e) => e.event === 'task_result')
    .map((e) => e.status)
    .join(' ');
}
