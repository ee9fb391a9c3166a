import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { jsonEvents, LAB_KEY, lastEvent, provision, ssh } from './helpers.js';

const LAB_INV = 'test/e2e/inventories/jump.yaml';
const KNOWN_HOSTS = '/var/lib/provision/lab/known_hosts';
const BASTION = '198.18.2.160';
const BASTION_INNER = '198.18.3.254';
const TARGETS = { 'a-hidden1': '198.18.3.241', 'a-hidden2': '198.18.3.242' };

/** A home of its own for each run: ~/.ssh/config and keys as a user would have them. */
function home(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'prov-jump-'));
  mkdirSync(join(dir, '.ssh'), { mode: 0o700 });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, '.ssh', name), text, { mode: 0o600 });
  return dir;
}

/** An inventory of the hidden targets (no jump of its own unless `vars` says so). */
function targets(dir: string, vars: Record<string, unknown> = {}): string {
  const file = join(dir, 'inv.yaml');
  writeFileSync(
    file,
    stringify({
      all: {
        vars: {
          ansible_user: 'root',
          ansible_ssh_private_key_file: LAB_KEY,
          provision_known_hosts_file: KNOWN_HOSTS,
          provision_connect_timeout: 3,
          ...vars,
        },
        hosts: Object.fromEntries(Object.entries(TARGETS).map(([n, a]) => [n, { ansible_host: a }])),
      },
    }),
  );
  return file;
}

function whereFrom(dir: string): string {
  const file = join(dir, 'pb.yaml');
  writeFileSync(
    file,
    stringify([
      {
        name: 'through the bastion',
        hosts: 'all',
        gather_facts: false,
        tasks: [
          { name: 'where from', command: 'printenv SSH_CONNECTION', register: 'conn' },
          { name: 'say', debug: { msg: '{{ conn.stdout }}' } },
        ],
      },
    ]),
  );
  return file;
}

/** The bastion's sshd logins so far (this query's own login included). */
async function bastionLogins(): Promise<number> {
  const s = await ssh(BASTION);
  const r = await s.run('journalctl --sync; journalctl -q _COMM=sshd | grep -c "Accepted publickey"');
  s.close();
  return Number(r.out.trim());
}

/** Run the playbook; return its exit code, each host's SSH_CONNECTION and how many logins the bastion saw. */
async function runThrough(inv: string, pb: string, env: Record<string, string>) {
  const before = await bastionLogins();
  const r = await provision(['up', inv, '--playbook', pb, '--json'], { env });
  const logins = (await bastionLogins()) - before - 1;
  const seen = Object.fromEntries(
    jsonEvents(r.stdout)
      .filter((e) => e.event === 'task_result' && e.task === 'say')
      .map((e) => [e.host, e.msg]),
  );
  return { r, seen, logins };
}

function probe(address: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect({ host: address, port: 22, timeout: 5000 });
    sock.once('connect', () => {
      sock.destroy();
      resolve('connected');
    });
    sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    sock.once('timeout', () => resolve('timeout'));
  });
}

describe('jump hosts: targets only a bastion reaches', () => {
  beforeAll(async () => {
    const up = await provision(['lab', 'up', LAB_INV]);
    expect(up.code, up.stderr).toBe(0);
  });

  it('cannot reach the targets directly', async () => {
    const probes = await Promise.all(Object.values(TARGETS).map(probe));
    for (const answer of probes) expect(answer).not.toBe('connected');
    const dir = mkdtempSync(join(tmpdir(), 'prov-jump-'));
    const r = await provision(['up', targets(dir), '--playbook', whereFrom(dir), '--json'], { env: { HOME: home() } });
    expect(r.code).toBe(3);
    expect(lastEvent(r.stdout).hosts['a-hidden1']).toMatchObject({ unreachable: 1 });
  });

  it('reaches them through ProxyJump in ~/.ssh/config, one bastion login for all of them', async () => {
    const config = [
      'Host a-bastion',
      `  HostName ${BASTION}`,
      '  User root',
      `  IdentityFile ${LAB_KEY}`,
      'Host 198.18.3.24?',
      '  ProxyJump a-bastion',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'prov-jump-'));
    const { r, seen, logins } = await runThrough(targets(dir), whereFrom(dir), { HOME: home({ config }) });
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
    for (const [name, address] of Object.entries(TARGETS)) expect(seen[name]).toMatch(new RegExp(`^${BASTION_INNER} \\d+ ${address} 22$`));
    expect(logins).toBe(1);
  });

  it('reaches them through -o ProxyJump in ansible_ssh_common_args', async () => {
    const h = home();
    copyFileSync(LAB_KEY, join(h, '.ssh', 'id_ed25519'));
    chmodSync(join(h, '.ssh', 'id_ed25519'), 0o600);
    const dir = mkdtempSync(join(tmpdir(), 'prov-jump-'));
    const inv = targets(dir, { ansible_ssh_common_args: `-o ProxyJump=root@${BASTION}` });
    const { r, seen, logins } = await runThrough(inv, whereFrom(dir), { HOME: h });
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
    for (const [name, address] of Object.entries(TARGETS)) expect(seen[name]).toMatch(new RegExp(`^${BASTION_INNER} \\d+ ${address} 22$`));
    expect(logins).toBe(1);
  });

  it("checks both hops' host keys: a changed bastion key stops every host, a changed target key only that one", async () => {
    const lines = readFileSync(KNOWN_HOSTS, 'utf8').trim().split('\n');
    const keysOf = (address: string) => lines.filter((l) => l.startsWith(`${address} `)).map((l) => l.slice(address.length + 1));
    const swap = (from: string, to: string) =>
      [...lines.filter((l) => !l.startsWith(`${from} `)), ...keysOf(to).map((k) => `${from} ${k}`)].join('\n');
    const jump = { ansible_ssh_common_args: `-o ProxyJump=root@${BASTION}` };
    const h = home();
    copyFileSync(LAB_KEY, join(h, '.ssh', 'id_ed25519'));

    const dir = mkdtempSync(join(tmpdir(), 'prov-jump-'));
    writeFileSync(join(dir, 'kh-bastion'), swap(BASTION, TARGETS['a-hidden1']));
    const bad = await provision(
      ['up', targets(dir, { ...jump, provision_known_hosts_file: join(dir, 'kh-bastion') }), '--playbook', whereFrom(dir)],
      {
        env: { HOME: h },
      },
    );
    expect(bad.code).toBe(3);
    expect(bad.stdout + bad.stderr).toContain(`bastion ${BASTION} (${BASTION}:22): @@@ WARNING: THE HOST KEY FOR ${BASTION} HAS CHANGED`);

    writeFileSync(join(dir, 'kh-target'), swap(TARGETS['a-hidden1'], TARGETS['a-hidden2']));
    const inv = targets(dir, { ...jump, provision_known_hosts_file: join(dir, 'kh-target') });
    const one = await provision(['up', inv, '--playbook', whereFrom(dir), '--json'], { env: { HOME: h } });
    expect(one.code).toBe(3);
    expect(lastEvent(one.stdout).hosts).toMatchObject({ 'a-hidden1': { unreachable: 1 }, 'a-hidden2': { unreachable: 0, failed: 0 } });
  });

  it('says which hop failed when the bastion refuses', async () => {
    const h = home();
    copyFileSync(LAB_KEY, join(h, '.ssh', 'id_ed25519'));
    const dir = mkdtempSync(join(tmpdir(), 'prov-jump-'));
    const r = await provision(['up', targets(dir, { ansible_ssh_extra_args: `-J root@${BASTION}:2` }), '--playbook', whereFrom(dir)], {
      env: { HOME: h },
    });
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toContain(`bastion ${BASTION} (${BASTION}:2): connection refused`);
  });
});
