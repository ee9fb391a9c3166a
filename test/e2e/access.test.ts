import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addSudoUsers, inventory, jsonEvents, LAB_KEY, lastEvent, playbook, provision, ssh } from './helpers.js';

// Hosts of test/e2e/inventories/access.yaml: a bastion, a target only the bastion reaches, a plain host.
const BASTION = '198.18.1.110';
const TARGET = '198.18.1.111';
const PLAIN = '198.18.1.112';
const KNOWN_HOSTS = '/var/lib/provision/lab/known_hosts';
const SUDO_PW = 'sudo-pw-5521';
const BOB_PW = 'bob-pw-3307';
/** A proxy is a second ssh login: on a busy machine 3 s (the helpers' default) is not enough. */
const SLOW = { provision_connect_timeout: 30 };

/** OpenSSH's client as the proxy: `ssh -W` through the bastion, its host key checked against the lab's known hosts. */
const VIA_BASTION = `ssh -F /dev/null -q -i ${LAB_KEY} -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${KNOWN_HOSTS} -W %h:%p root@${BASTION}`;

/** A home of its own: ~/.ssh/config as a user would have it. */
function home(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'prov-access-'));
  mkdirSync(join(dir, '.ssh'), { mode: 0o700 });
  if (config !== undefined) writeFileSync(join(dir, '.ssh', 'config'), config, { mode: 0o600 });
  return dir;
}

function whereFrom(dir: string): string {
  return playbook(dir, [
    { name: 'where from', command: 'printenv SSH_CONNECTION', register: 'conn', changed_when: false },
    { name: 'say', debug: { msg: '{{ conn.stdout }}' } },
  ]);
}

/** What the target saw as the client of each host's connection. */
function seen(stdout: string): Record<string, string> {
  return Object.fromEntries(
    jsonEvents(stdout)
      .filter((e) => e.event === 'task_result' && e.task === 'say')
      .map((e) => [e.host, e.msg]),
  );
}

function probe(address: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect({ host: address, port: 22, timeout: 3000 });
    sock.once('connect', () => {
      sock.destroy();
      resolve('connected');
    });
    sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    sock.once('timeout', () => {
      sock.destroy();
      resolve('timeout');
    });
  });
}

function haveAnsible(): boolean {
  try {
    execFileSync('ansible', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('ProxyCommand: a target only the bastion reaches', () => {
  it('is not reachable directly', async () => {
    expect(await probe(TARGET)).not.toBe('connected');
  });

  it('through ProxyCommand in ~/.ssh/config, with %h and %p expanded', async () => {
    const { dir, file: inv } = inventory({ 'ac-2': TARGET }, SLOW);
    const config = `Host 198.18.1.111\n  ProxyCommand ${VIA_BASTION}\n`;
    const r = await provision(['up', inv, '--playbook', whereFrom(dir), '--json'], { env: { HOME: home(config) } });
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
    // The target's sshd sees the bastion as its client.
    expect(seen(r.stdout)['ac-2']).toMatch(new RegExp(`^${BASTION} \\d+ ${TARGET} 22$`));
  });

  it('through -o ProxyCommand in ansible_ssh_common_args; the same inventory works with Ansible', async () => {
    // Ansible's ssh checks the target's key in the lab's known hosts too.
    const vars = {
      ansible_ssh_common_args: `-o ProxyCommand="${VIA_BASTION}"`,
      ansible_ssh_extra_args: `-o UserKnownHostsFile=${KNOWN_HOSTS}`,
    };
    const { dir, file: inv } = inventory({ 'ac-2': TARGET }, { ...SLOW, ...vars });
    const r = await provision(['up', inv, '--playbook', whereFrom(dir), '--json'], { env: { HOME: home() } });
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
    expect(seen(r.stdout)['ac-2']).toMatch(new RegExp(`^${BASTION} \\d+ ${TARGET} 22$`));
    if (!haveAnsible()) return;
    // The target has no Python: raw is what Ansible can run there, and it must get through the same way.
    const a = execFileSync('ansible', ['-T', '60', '-i', inv, 'all', '-m', 'raw', '-a', 'printenv SSH_CONNECTION'], {
      encoding: 'utf8',
      // No ControlPersist master left behind holding this test's pipes.
      env: { ...process.env, HOME: home(), ANSIBLE_SSH_ARGS: '-o ControlMaster=no' },
    });
    expect(a).toMatch(new RegExp(`${BASTION} \\d+ ${TARGET} 22`));
  });

  it("checks the target's host key as for any host: a changed key is refused through the proxy", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-access-'));
    const lines = readFileSync(KNOWN_HOSTS, 'utf8').trim().split('\n');
    const plainKeys = lines.filter((l) => l.startsWith(`${PLAIN} `)).map((l) => l.slice(PLAIN.length + 1));
    const swapped = [...lines.filter((l) => !l.startsWith(`${TARGET} `)), ...plainKeys.map((k) => `${TARGET} ${k}`)].join('\n');
    writeFileSync(join(dir, 'kh'), `${swapped}\n`);
    const vars = { ansible_ssh_common_args: `-o ProxyCommand="${VIA_BASTION}"`, provision_known_hosts_file: join(dir, 'kh') };
    const { dir: d2, file: inv } = inventory({ 'ac-2': TARGET }, { ...SLOW, ...vars });
    const r = await provision(['up', inv, '--playbook', whereFrom(d2)], { env: { HOME: home() } });
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toContain(`@@@ WARNING: THE HOST KEY FOR ${TARGET} HAS CHANGED`);
  });

  it("a ProxyCommand that fails: unreachable, with the command's exit status and what it said", async () => {
    // A loose time limit: the command must be seen to exit, not outrun by the handshake timeout on a busy machine.
    const vars = { ansible_ssh_common_args: `-o 'ProxyCommand=sh -c "echo no way to %h:%p >&2; exit 7"'` };
    const { dir, file: inv } = inventory({ 'ac-2': TARGET }, { ...SLOW, ...vars });
    const r = await provision(['up', inv, '--playbook', whereFrom(dir), '--json'], { env: { HOME: home() } });
    expect(r.code).toBe(3);
    expect(lastEvent(r.stdout).hosts['ac-2']).toMatchObject({ unreachable: 1 });
    expect(r.stdout).toContain(`exited with status 7: no way to ${TARGET}:22`);
  });
});

describe('become passwords, as ansible-playbook takes and reports them', () => {
  beforeAll(async () => {
    await addSudoUsers(PLAIN, SUDO_PW);
    const s = await ssh(PLAIN);
    const r = await s.run(
      [
        'id -u bob >/dev/null 2>&1 || useradd -m -s /bin/bash bob',
        `echo 'bob:${BOB_PW}' | chpasswd`,
        // su asks for bob's password only of someone else than root: withpw is that someone.
      ].join('\n'),
    );
    s.close();
    expect(r.code, r.out).toBe(0);
  });

  const whoami = [{ name: 'who', command: 'id -un', register: 'who', changed_when: false }];
  const asRoot = [...whoami, { assert: { that: ["who.stdout == 'root'"] } }];

  it('--become-password-file: a plain file (its whitespace stripped) and an executable script (its output)', async () => {
    const { dir, file: inv } = inventory({ 'ac-3': PLAIN }, { ...SLOW, ansible_user: 'withpw' });
    const pb = playbook(dir, asRoot, { become: true });
    writeFileSync(join(dir, 'pw'), `  ${SUDO_PW}\n\n`, { mode: 0o600 });
    const fromFile = await provision(['up', inv, '--playbook', pb, '--json', '--become-password-file', join(dir, 'pw')]);
    expect(fromFile.code, fromFile.stdout.slice(-2000) + fromFile.stderr).toBe(0);
    writeFileSync(join(dir, 'pw.sh'), `#!/bin/sh\necho '${SUDO_PW}'\n`);
    chmodSync(join(dir, 'pw.sh'), 0o700);
    const fromScript = await provision(['up', inv, '--playbook', pb, '--json', '--become-pass-file', join(dir, 'pw.sh')]);
    expect(fromScript.code, fromScript.stdout.slice(-2000) + fromScript.stderr).toBe(0);
    expect(fromFile.stdout + fromFile.stderr + fromScript.stdout + fromScript.stderr).not.toContain(SUDO_PW);
  });

  it("ansible.cfg's become_password_file; -K and --become-password-file together are a usage error", async () => {
    const { dir, file: inv } = inventory({ 'ac-3': PLAIN }, { ...SLOW, ansible_user: 'withpw' });
    const pb = playbook(dir, asRoot, { become: true });
    writeFileSync(join(dir, 'pw'), `${SUDO_PW}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nbecome_password_file = pw\n');
    const r = await provision(['up', inv, '--playbook', pb, '--json'], { env: { ANSIBLE_CONFIG: join(dir, 'ansible.cfg') } });
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
    const both = await provision(['up', inv, '--playbook', pb, '-K', '--become-password-file', join(dir, 'pw')]);
    expect(both.code).toBe(5);
  });

  it.each([
    { method: 'sudo', vars: { ansible_user: 'withpw', ansible_become_password: 'wrong-sudo-pw' }, msg: 'Incorrect sudo password' },
    { method: 'sudo', vars: { ansible_user: 'withpw' }, msg: 'Missing sudo password' },
    { method: 'su', vars: { ansible_user: 'withpw', ansible_become_password: 'wrong-su-pw' }, msg: 'Incorrect su password' },
  ])("$method: $msg, in Ansible's words, the password not shown", async ({ method, vars, msg }) => {
    const { dir, file: inv } = inventory({ 'ac-3': PLAIN }, { ...SLOW, ...vars });
    const play = method === 'su' ? { become: true, become_method: 'su', become_user: 'bob' } : { become: true };
    const pb = playbook(dir, [...whoami, { name: 'read', stat: { path: '/root' } }], play);
    const r = await provision(['up', inv, '--playbook', pb, '--json']);
    expect(r.code, r.stdout.slice(-2000)).toBe(2);
    const failed = jsonEvents(r.stdout).find((e) => e.event === 'task_result' && e.task === 'who');
    expect(failed).toMatchObject({ status: 'failed', msg });
    expect(r.stdout + r.stderr).not.toMatch(/wrong-(sudo|su)-pw/);
  });

  it("a read in the host's shell (stat) is refused in the same words", async () => {
    const { dir, file: inv } = inventory({ 'ac-3': PLAIN }, { ...SLOW, ansible_user: 'withpw', ansible_become_password: 'wrong-sudo-pw' });
    const pb = playbook(dir, [{ name: 'read', stat: { path: '/root' } }], { become: true });
    const r = await provision(['up', inv, '--playbook', pb, '--json']);
    expect(r.code, r.stdout.slice(-2000)).toBe(2);
    expect(jsonEvents(r.stdout).find((e) => e.event === 'task_result' && e.task === 'read')).toMatchObject({
      status: 'failed',
      msg: 'Incorrect sudo password',
    });
  });
});
