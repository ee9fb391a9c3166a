import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../src/errors.js';
import { CommandTimeout, KILL_WAIT_MS } from '../../src/transport/kill.js';
import { SshTransport } from '../../src/transport/ssh.js';
import type { ExecOptions } from '../../src/transport/transport.js';
import { addSudoUsers, inventory, jsonEvents, LAB_KEY, playbook, provision, ssh } from './helpers.js';

// Hosts of test/e2e/inventories/timeout.yaml.
const TO1 = '198.18.3.212';
const TO2 = '198.18.3.213';
const PASSWORD = 'sudo-pw-5521';

beforeAll(async () => {
  await addSudoUsers(TO1, PASSWORD);
  await addSudoUsers(TO2, PASSWORD);
});

/** `sleep` processes on a host, as `ps` shows them (pid, process group, user, command). */
async function sleepers(address: string): Promise<string> {
  const s = await ssh(address);
  const r = await s.run('ps -eo pid=,pgid=,user=,args= | awk \'$4 == "sleep"\'');
  s.close();
  return r.out.trim();
}

const logins = [
  { name: 'root, no become', vars: {}, play: {} },
  { name: 'sudo without a password', vars: { ansible_user: 'nopw' }, play: { become: true } },
  { name: 'sudo with a password', vars: { ansible_user: 'withpw', ansible_become_password: PASSWORD }, play: { become: true } },
];

describe('timeout on a lab host', () => {
  it.each(logins)('sleep 600 with timeout 2 fails in about 2 s and leaves no sleep behind ($name)', async ({ vars, play }) => {
    const { dir, file: inv } = inventory({ 't-timeout1': TO1 }, vars);
    const pb = playbook(
      dir,
      [
        { name: 'who', command: 'id -un', register: 'who', changed_when: false },
        // A child in the background too: the whole process group must go, not just the first process.
        { name: 'hangs', shell: 'echo started; sleep 600 & sleep 600', timeout: 2 },
      ],
      play,
    );
    const r = await provision(['up', inv, '--playbook', pb, '--json']);
    expect(r.code, r.stdout.slice(-2000)).toBe(2);
    const hangs = must(
      jsonEvents(r.stdout).find((e) => e.event === 'task_result' && e.task === 'hangs'),
      'the result of task hangs',
    );
    expect(hangs).toMatchObject({ status: 'failed', timedOut: true });
    expect(hangs.msg).toMatch(/^timed out after 2 s: its process group was killed\n/);
    expect(hangs.msg).toContain('| started');
    expect(hangs.durationMs).toBeGreaterThanOrEqual(2000);
    // Killing takes a channel (and a sudo) more; on a quiet machine about 0.3 s, at most KILL_WAIT_MS.
    expect(hangs.durationMs).toBeLessThan(2000 + KILL_WAIT_MS);
    expect(await sleepers(TO1)).toBe('');
  });

  it('until/retries: a command that fails twice then succeeds passes on the third try and registers attempts 3', async () => {
    const { dir, file: inv } = inventory({ 't-timeout2': TO2 });
    const s = await ssh(TO2);
    await s.run('rm -f /root/flaky-count');
    s.close();
    const pb = playbook(dir, [
      {
        name: 'flaky',
        shell: 'echo x >> /root/flaky-count; n=$(wc -l < /root/flaky-count); echo "try $n"; [ "$n" -ge 3 ]',
        register: 'flaky',
        until: 'flaky.rc == 0',
        retries: 4,
        delay: 1,
      },
      { assert: { that: ['flaky.attempts == 3', "flaky.stdout == 'try 3'", 'flaky.rc == 0', 'not flaky.failed'] } },
    ]);
    const r = await provision(['up', inv, '--playbook', pb]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('FAILED - RETRYING: [t-timeout2]: flaky (4 retries left).');
    expect(r.stdout).toContain('FAILED - RETRYING: [t-timeout2]: flaky (3 retries left).');
    expect(r.stdout).toMatch(/changed: \[t-timeout2\] flaky \([\d.]+m?s, 3 tries\)/);
  });
});

describe('a read past its limit in the long-lived shell', () => {
  const connect = (user: string) =>
    SshTransport.connect({
      name: 't-timeout2',
      address: TO2,
      port: 22,
      user,
      privateKeyFile: LAB_KEY,
      knownHostsFile: '/var/lib/provision/lab/known_hosts',
      hostKeyPolicy: 'strict',
      connectTimeoutMs: 5000,
      attempts: 2,
    });

  it.each([
    { name: 'root', user: 'root', opts: {} },
    { name: 'through sudo', user: 'nopw', opts: { become: { user: 'root' } } },
    { name: 'through sudo with a password', user: 'withpw', opts: { become: { user: 'root', password: PASSWORD } } },
  ])('kills the shell, which is reopened: the next reads work and share one new shell ($name)', async ({ user, opts }) => {
    const t = await connect(user);
    const read = (command: string, more: ExecOptions = {}) => t.exec(command, { ...opts, read: true, ...more });
    try {
      // In the shell's subshell, $$ is the shell's own pid: two reads in one shell see the same.
      const before = (await read('echo $$')).stdout;
      expect((await read('echo $$')).stdout).toBe(before);
      const t0 = Date.now();
      const err = await read('echo partial; sleep 600', { timeoutMs: 1500 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CommandTimeout);
      expect((err as CommandTimeout).stdout).toBe('partial\n');
      expect((err as CommandTimeout).killProblem).toBeUndefined();
      expect(Date.now() - t0).toBeLessThan(1500 + KILL_WAIT_MS);
      expect(await sleepers(TO2)).toBe('');
      const after = (await read('echo $$; id -un')).stdout;
      expect(after).not.toBe(before);
      expect(after.split('\n')[1]).toBe('root');
      expect((await read('echo $$; id -un')).stdout).toBe(after);
      expect((await read('echo $$', { timeoutMs: 5000 })).stdout).toBe(`${after.split('\n')[0]}\n`);
    } finally {
      await t.close();
    }
  });
});
