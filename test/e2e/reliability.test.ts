import { execFileSync, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { must } from '../../src/errors.js';
import { inventory, jsonEvents, killLabHost, lastEvent, playbook, provision, ssh } from './helpers.js';

const NODE1 = '198.18.3.210';
const NODE2 = '198.18.3.211';

describe('host keys', () => {
  it('refuses an unknown key with its fingerprint and the way to accept it; accept-new records it', async () => {
    const { dir, file } = inventory({ 't-node1': NODE1 }, { provision_known_hosts_file: 'known_hosts' });
    const pb = playbook(dir, [{ debug: { msg: 'hi' } }]);
    const refused = await provision(['up', file, '--playbook', pb]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/unknown host key for 198\.18\.3\.210 \(SHA256:[A-Za-z0-9+/]{43}\); refusing to connect/);
    expect(refused.stdout).toContain('--host-key-checking accept-new');

    const accepted = await provision(['up', file, '--playbook', pb, '--host-key-checking', 'accept-new']);
    expect(accepted.code).toBe(0);
    expect(readFileSync(join(dir, 'known_hosts'), 'utf8')).toMatch(/^198\.18\.3\.210 ssh-ed25519 /);
    expect((await provision(['up', file, '--playbook', pb])).code).toBe(0);
  });

  it('always refuses a changed key, loudly, even with accept-new', async () => {
    const { dir, file } = inventory({ 't-node1': NODE1 }, { provision_known_hosts_file: 'known_hosts' });
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), other]);
    writeFileSync(join(dir, 'known_hosts'), `198.18.3.210 ssh-ed25519 ${blob.toString('base64')}\n`);
    const pb = playbook(dir, [{ debug: { msg: 'hi' } }]);
    for (const extra of [[], ['--host-key-checking', 'accept-new']]) {
      const r = await provision(['up', file, '--playbook', pb, ...extra]);
      expect(r.code).toBe(3);
      expect(r.stdout).toContain('WARNING: THE HOST KEY FOR 198.18.3.210 HAS CHANGED');
      expect(r.stdout).toContain('ssh-keygen -f');
    }
  });
});

describe('faults', () => {
  it('a host down at the start is unreachable while the others finish (exit 3)', async () => {
    const { dir, file } = inventory({ 't-node1': NODE1, ghost: '198.18.3.250' });
    const pb = playbook(dir, [{ copy: { dest: '/tmp/reliability-ok', content: 'ok\n' } }]);
    const r = await provision(['up', file, '--playbook', pb, '--json']);
    expect(r.code).toBe(3);
    const recap = lastEvent(r.stdout);
    expect(recap.hosts.ghost).toMatchObject({ unreachable: 1 });
    expect(recap.hosts['t-node1']).toMatchObject({ failed: 0, unreachable: 0 });
  });

  it('a host that dies mid-run is unreachable; the others finish; lab up brings it back', async () => {
    const { dir, file } = inventory({ 't-node1': NODE1, 't-node2': NODE2 });
    const pb = playbook(dir, [{ shell: 'sleep 3' }, { copy: { dest: `/tmp/after-sleep-${Date.now()}`, content: 'x\n' } }]);
    const run = provision(['up', file, '--playbook', pb, '--json']);
    await new Promise((r) => setTimeout(r, 1500));
    killLabHost('t-node2');
    const r = await run;
    expect(r.code).toBe(3);
    const recap = lastEvent(r.stdout);
    expect(recap.hosts['t-node2'].unreachable).toBe(1);
    expect(recap.hosts['t-node1']).toMatchObject({ changed: 2, failed: 0 });
    const back = await provision(['lab', 'up', 'test/e2e/inventories/engine.yaml']);
    expect(back.stdout).toMatch(/t-node2 +198\.18\.3\.211 +rebooted/);
  });

  it('a connection cut in the middle of an upload leaves the old file and no temp file; a re-run converges', async () => {
    const { dir, file } = inventory({ 't-node1': NODE1 });
    const big = join(dir, 'big.bin');
    const content = randomBytes(32 * 1024 * 1024);
    writeFileSync(big, content);
    const s = await ssh(NODE1);
    await s.run('mkdir -p /srv/upload && echo old > /srv/upload/big.bin');
    const pb = playbook(dir, [{ copy: { src: big, dest: '/srv/upload/big.bin' } }]);
    // Slow t-node1's link so the upload is surely in flight when the connection is cut.
    execFileSync('tc', ['qdisc', 'add', 'dev', 'vb-t-node1', 'root', 'tbf', 'rate', '20mbit', 'burst', '32kbit', 'latency', '400ms']);
    try {
      const child = spawn('node', ['bin/provision.js', 'up', file, '--playbook', pb], { stdio: ['ignore', 'ignore', 'pipe'] });
      let childErr = '';
      child.stderr.on('data', (d) => (childErr += d));
      const exited = new Promise((r) => child.once('exit', r));
      let growing = false;
      for (let i = 0; i < 400 && !growing; i++) {
        growing = Number((await s.run('stat -c %s /srv/upload/.provision.* 2>/dev/null || echo 0')).out.trim().split('\n')[0]) > 0;
        if (!growing) await new Promise((r) => setTimeout(r, 25));
      }
      expect(growing, 'the upload was seen in flight').toBe(true);
      child.kill('SIGKILL');
      await exited;
      expect(childErr).toBe('');
    } finally {
      execFileSync('tc', ['qdisc', 'del', 'dev', 'vb-t-node1', 'root']);
    }
    let listing = '';
    for (let i = 0; i < 50; i++) {
      listing = (await s.run('ls -A /srv/upload')).out;
      if (listing === 'big.bin\n') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listing).toBe('big.bin\n');
    expect((await s.run('head -c 100 /srv/upload/big.bin')).out).toBe('old\n');

    const rerun = await provision(['up', file, '--playbook', pb, '--json']);
    expect(lastEvent(rerun.stdout).hosts['t-node1']).toMatchObject({ changed: 1, failed: 0 });
    expect((await s.run('sha256sum < /srv/upload/big.bin')).out.slice(0, 64)).toBe(createHash('sha256').update(content).digest('hex'));
    const third = await provision(['up', file, '--playbook', pb, '--json']);
    expect(lastEvent(third.stdout).hosts['t-node1']).toMatchObject({ changed: 0 });
    await s.run('rm -rf /srv/upload');
    s.close();
  });

  it('Ctrl-C: no new tasks, running ones reported, exit 130', async () => {
    const { dir, file } = inventory({ 't-node1': NODE1, 't-node2': NODE2 });
    const pb = playbook(dir, [
      { name: 'long', shell: 'sleep 20' },
      { name: 'never', copy: { dest: '/tmp/never', content: 'x' } },
    ]);
    let out = '';
    const child = spawn('node', ['bin/provision.js', 'up', file, '--playbook', pb, '--json']);
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.stdout.on('data', (d) => (out += d));
    for (let i = 0; i < 100 && !out.includes('"task":"long"'); i++) await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(Date.now() - t0).toBeLessThan(5000);
    const events = jsonEvents(out);
    expect(events.find((e) => e.event === 'interrupted')?.running.map((x: { task: string }) => x.task)).toContain('long');
    expect(events.some((e) => e.task === 'never')).toBe(false);
  });
});

describe('quoting, through every module argument that reaches a shell, to a real host', () => {
  it('arbitrary strings arrive literally (property)', async () => {
    const strings = fc.sample(
      fc
        .string({ unit: fc.constantFrom(...Array.from(`'"\`$();|&<>*?[]{}~!#\\ \t=%é漢😀-a{}`)), minLength: 1, maxLength: 24 })
        .filter((s) => !s.includes('{{') && !s.includes('{%') && !s.includes('{#') && s.trim() === s && s.length > 0),
      25,
    );
    strings.push('$(touch /tmp/pwned)', '`touch /tmp/pwned`', "'; touch /tmp/pwned; '", '*', '-rf', 'a\nb');
    strings.splice(0, strings.length, ...new Set(strings));
    const { dir, file } = inventory({ 't-node1': NODE1 });
    const clean = await ssh(NODE1);
    await clean.run('rm -rf /srv/q /tmp/pwned');
    clean.close();
    writeFileSync(join(dir, 'vars.yaml'), stringify({ strings, single_line: strings.filter((x) => !x.includes('\n')) }));
    const pb = join(dir, 'pb.yaml');
    writeFileSync(
      pb,
      stringify([
        {
          hosts: 'all',
          gather_facts: false,
          vars_files: ['vars.yaml'],
          tasks: [
            { file: { path: '/srv/q', state: 'directory' } },
            {
              copy: { dest: '/srv/q/copy-{{ i }}', content: '{{ item }}' },
              loop: '{{ strings }}',
              loop_control: { loop_var: 'item' },
              vars: { i: '{{ strings.index(item) }}' },
            },
            {
              command: { argv: ['sh', '-c', 'printf %s "$1" > /srv/q/argv-$2', 'sh', '{{ item }}', '{{ strings.index(item) | string }}'] },
              loop: '{{ strings }}',
            },
            {
              shell: { cmd: 'printf %s "$V" > /srv/q/env-{{ strings.index(item) }}', environment: { V: '{{ item }}' } },
              loop: '{{ strings }}',
            },
            { shell: { cmd: 'cat > /srv/q/stdin-{{ strings.index(item) }}', stdin: '{{ item }}' }, loop: '{{ strings }}' },
            { lineinfile: { path: '/srv/q/lines', line: '{{ item }}', create: true }, loop: '{{ single_line }}' },
            { file: { path: '/srv/q/dir-{{ item | b64encode | replace("/", "_") }}', state: 'directory' }, loop: '{{ strings }}' },
          ],
        },
      ]),
    );
    const r = await provision(['up', file, '--playbook', pb]);
    expect(r.code, r.stdout.slice(-3000)).toBe(0);
    const s = await ssh(NODE1);
    for (const [i, str] of strings.entries()) {
      for (const kind of ['copy', 'argv', 'env', 'stdin']) {
        expect((await s.run(`base64 -w0 /srv/q/${kind}-${i}`)).out, `${kind} ${JSON.stringify(str)}`).toBe(
          Buffer.from(str).toString('base64'),
        );
      }
    }
    const lines = (await s.run('cat /srv/q/lines')).out.split('\n').slice(0, -1);
    expect(lines).toEqual(strings.filter((x) => !x.includes('\n')));
    expect((await s.run('ls /tmp/pwned 2>&1')).out).toContain('No such file');
    await s.run('rm -rf /srv/q');
    s.close();
  });
});

describe('connecting', () => {
  it('authenticates with a key held by ssh-agent when the inventory names no key file', async () => {
    const agent = execFileSync('ssh-agent', ['-s']).toString();
    const sock = must(/SSH_AUTH_SOCK=([^;]+);/.exec(agent)?.[1], 'SSH_AUTH_SOCK in ssh-agent output');
    const pid = Number(must(/SSH_AGENT_PID=(\d+);/.exec(agent)?.[1], 'SSH_AGENT_PID in ssh-agent output'));
    try {
      execFileSync('ssh-add', ['/var/lib/provision/lab/id_ed25519'], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const { dir, file } = inventory({ 't-node1': NODE1 }, { ansible_ssh_private_key_file: undefined });
      const pb = playbook(dir, [{ debug: { msg: 'hi' } }]);
      const without = await provision(['up', file, '--playbook', pb], { env: { SSH_AUTH_SOCK: '' } });
      expect(without.code).toBe(3);
      expect(without.stdout).toContain('authentication failed');
      const withAgent = await provision(['up', file, '--playbook', pb], { env: { SSH_AUTH_SOCK: sock } });
      expect(withAgent.code, withAgent.stdout).toBe(0);
    } finally {
      process.kill(pid);
    }
  });

  it('retries a refused connection with backoff until sshd is back', async () => {
    const s = await ssh(NODE2);
    await s.run('systemd-run --on-active=1.5 --timer-property=AccuracySec=50ms systemctl start ssh.service; systemctl stop ssh.service');
    s.close();
    const { dir, file } = inventory({ 't-node2': NODE2 });
    const r = await provision(['up', file, '--playbook', playbook(dir, [{ debug: { msg: 'hi' } }])]);
    expect(r.code, r.stdout).toBe(0);
  });

  it('gives up on a host that never answers, within a bound', async () => {
    const { dir, file } = inventory({ ghost: '198.18.3.251' });
    const t0 = Date.now();
    const r = await provision(['up', file, '--playbook', playbook(dir, [{ debug: { msg: 'hi' } }])]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/unreachable: \[ghost\] connect/);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
