import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../src/errors.js';
import { KILL_WAIT_MS } from '../../src/transport/kill.js';
import { addSudoUsers, inventory, jsonEvents, lastEvent, playbook, provision, ssh } from './helpers.js';

// Hosts of test/e2e/inventories/become.yaml.
const BC1 = '198.18.2.185';
const BC2 = '198.18.2.186';
const LAB_INV = 'test/e2e/inventories/become.yaml';
const SUDO_PW = 'sudo-pw-7731';
const ALICE_PW = 'alice-pw-2290';
const BOB_PW = 'bob-pw-8164';

/**
 * On bc-1: `alice` logs in with the lab key and has no sudo; `bob` is the user su becomes, with a
 * known password. `withpw` (sudo with a password) and `nopw` come from addSudoUsers.
 */
beforeAll(async () => {
  const up = await provision(['lab', 'up', LAB_INV]);
  expect(up.code, up.stderr).toBe(0);
  await addSudoUsers(BC1, SUDO_PW);
  const s = await ssh(BC1);
  const setup = [
    'for u in alice bob; do id -u $u >/dev/null 2>&1 || useradd -m -s /bin/bash $u; done',
    'mkdir -p /home/alice/.ssh && cp /root/.ssh/authorized_keys /home/alice/.ssh/ && chown -R alice: /home/alice/.ssh',
    `printf '%s\\n' 'alice:${ALICE_PW}' 'bob:${BOB_PW}' | chpasswd`,
    'rm -f /home/bob/from-su',
  ].join('\n');
  const r = await s.run(setup);
  s.close();
  expect(r.code, r.out).toBe(0);
});

/** Every command line on the host, sampled every 100 ms while `during` runs. */
async function processLists<T>(address: string, during: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const s = await ssh(address);
  const lines: string[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      lines.push(...(await s.run('ps -eo args=')).out.split('\n'));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    const result = await during();
    return { result, lines };
  } finally {
    done = true;
    await sampler;
    s.close();
  }
}

function whoami(expected: string) {
  return [{ name: 'who', command: 'id -un', register: 'who', changed_when: false }, { assert: { that: [`who.stdout == '${expected}'`] } }];
}

describe('become_method su', () => {
  it('becomes bob with his password; files written as bob; the plain task stays alice', async () => {
    const { dir, file: inv } = inventory({ 'bc-1': BC1 }, { ansible_user: 'alice', ansible_become_password: BOB_PW });
    const pb = playbook(
      dir,
      [
        ...whoami('bob'),
        { copy: { dest: '/home/bob/from-su', content: 'written through su\n', mode: '0640' } },
        { command: 'id -un', become: false, register: 'plain', changed_when: false },
        { assert: { that: ["plain.stdout == 'alice'"] } },
      ],
      { become: true, become_method: 'su', become_user: 'bob' },
    );
    const r = await provision(['up', inv, '--playbook', pb, '--json', '-v']);
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(BOB_PW);
    const s = await ssh(BC1);
    expect((await s.run('stat -c "%U %a" /home/bob/from-su; cat /home/bob/from-su')).out).toBe('bob 640\nwritten through su\n');
    s.close();
  });

  it('ansible_become_method in the inventory wins over the play keyword, as in Ansible', async () => {
    const { dir, file: inv } = inventory(
      { 'bc-1': BC1 },
      { ansible_user: 'alice', ansible_become_method: 'su', ansible_become_user: 'bob', ansible_become_password: BOB_PW },
    );
    const pb = playbook(dir, whoami('bob'), { become: true, become_method: 'sudo', become_user: 'root' });
    const r = await provision(['up', inv, '--playbook', pb]);
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
  });

  it("a wrong password fails the task in Ansible's words, and the password is not printed", async () => {
    const { dir, file: inv } = inventory({ 'bc-1': BC1 }, { ansible_user: 'alice', ansible_become_password: 'wrong-su-pw' });
    const pb = playbook(dir, whoami('bob'), { become: true, become_method: 'su', become_user: 'bob' });
    const r = await provision(['up', inv, '--playbook', pb]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/failed: \[bc-1\]/);
    expect(r.stdout).toContain('Incorrect su password');
    expect(r.stdout + r.stderr).not.toContain('wrong-su-pw');
  });

  it('without a password su is refused before it could read the command input as one', async () => {
    const { dir, file: inv } = inventory({ 'bc-1': BC1 }, { ansible_user: 'alice' });
    const pb = playbook(dir, whoami('bob'), { become: true, become_method: 'su', become_user: 'bob' });
    const r = await provision(['up', inv, '--playbook', pb]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('become_method su needs the password of bob, and none was given');
  });

  it('a time limit kills the whole process group through su and leaves no sleep behind', async () => {
    const { dir, file: inv } = inventory({ 'bc-1': BC1 }, { ansible_user: 'alice', ansible_become_password: BOB_PW });
    const pb = playbook(dir, [{ name: 'hangs', shell: 'echo started; sleep 600 & sleep 600', timeout: 2 }], {
      become: true,
      become_method: 'su',
      become_user: 'bob',
    });
    const r = await provision(['up', inv, '--playbook', pb, '--json']);
    expect(r.code, r.stdout.slice(-2000)).toBe(2);
    const hangs = must(
      jsonEvents(r.stdout).find((e) => e.event === 'task_result' && e.task === 'hangs'),
      'the result of task hangs',
    );
    expect(hangs).toMatchObject({ status: 'failed', timedOut: true });
    expect(hangs.msg).toMatch(/^timed out after 2 s: its process group was killed\n/);
    expect(hangs.durationMs).toBeLessThan(2000 + KILL_WAIT_MS);
    const s = await ssh(BC1);
    const left = await s.run('ps -eo user=,args= | awk \'$2 == "sleep" || $2 == "su"\'');
    s.close();
    expect(left.out.trim()).toBe('');
  });
});

describe('the become password never shows in the process list of the host', () => {
  it.each([
    { name: 'sudo', vars: { ansible_user: 'withpw', ansible_become_password: SUDO_PW }, play: { become: true }, pw: SUDO_PW },
    {
      name: 'su',
      vars: { ansible_user: 'alice', ansible_become_password: BOB_PW },
      play: { become: true, become_method: 'su', become_user: 'bob' },
      pw: BOB_PW,
    },
  ])('$name: ps -eo args during a 5 s become task', async ({ vars, play, pw }) => {
    const { dir, file: inv } = inventory({ 'bc-1': BC1 }, vars);
    const pb = playbook(dir, [{ name: 'long', command: 'sleep 5' }], play);
    const { result, lines } = await processLists(BC1, () => provision(['up', inv, '--playbook', pb]));
    expect(result.code, result.stdout).toBe(0);
    // The sampler saw the task running (so it looked at the right moment) and never the password.
    expect(lines.some((l) => l.startsWith('sleep 5'))).toBe(true);
    expect(lines.filter((l) => l.includes(pw))).toEqual([]);
  });
});

/** provision on a terminal of its own (script(1)): answers `answer` once the prompt shows. */
function onTerminal(args: string[], prompt: string, answer: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const line = ['node', 'bin/provision.js', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qec', line, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let answered = false;
    const seen = (d: Buffer) => {
      out += d.toString();
      if (!answered && out.includes(prompt)) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

describe('-K (--ask-become-pass)', () => {
  it('asks once on the terminal; the answer becomes through sudo and is never echoed', async () => {
    const { dir, file: inv } = inventory({ 'bc-1': BC1 }, { ansible_user: 'withpw' });
    const pb = playbook(dir, [...whoami('root'), { command: 'id -un', become_user: 'nopw', register: 'n', changed_when: false }], {
      become: true,
    });
    const r = await onTerminal(['up', inv, '--playbook', pb, '-K'], 'BECOME password: ', SUDO_PW);
    expect(r.code, r.out).toBe(0);
    expect(r.out.match(/BECOME password: /g)).toHaveLength(1);
    expect(r.out).not.toContain(SUDO_PW);
  });

  it('with su too', async () => {
    const { dir, file: inv } = inventory({ 'bc-1': BC1 }, { ansible_user: 'alice' });
    const pb = playbook(dir, whoami('bob'), { become: true, become_method: 'su', become_user: 'bob' });
    const r = await onTerminal(['up', inv, '--playbook', pb, '-K'], 'BECOME password: ', BOB_PW);
    expect(r.code, r.out).toBe(0);
    expect(r.out).not.toContain(BOB_PW);
  });

  it('is refused without a terminal (exit 5), before any host is contacted', async () => {
    const { dir, file: inv } = inventory({ 'bc-1': BC1 }, { ansible_user: 'withpw' });
    const pb = playbook(dir, whoami('root'), { become: true });
    const r = await provision(['up', inv, '--playbook', pb, '-K']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('a become password prompt needs a terminal, and standard input is not one');
  });
});

describe('reboot', () => {
  it('reboots a lab host, waits for it, and the next task runs on the new boot', async () => {
    const s = await ssh(BC2);
    const bootBefore = (await s.run('cut -d " " -f 22 /proc/1/stat')).out.trim();
    s.close();
    const { dir, file: inv } = inventory({ 'bc-2': BC2 });
    const pb = playbook(dir, [
      { name: 'reboot', reboot: { reboot_timeout: 180, msg: 'provision e2e' }, register: 'rb' },
      { assert: { that: ['rb.rebooted', 'rb.elapsed >= 0', 'rb.changed'] } },
      { name: 'after', command: 'cut -d " " -f 22 /proc/1/stat', register: 'boot', changed_when: false },
    ]);
    const r = await provision(['up', inv, '--playbook', pb, '--json']);
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0);
    const after = must(
      jsonEvents(r.stdout).find((e) => e.event === 'task_result' && e.task === 'after'),
      'the result of the task after the reboot',
    );
    expect(after.status).toBe('ok');
    expect(lastEvent(r.stdout).hosts['bc-2']).toMatchObject({ failed: 0, unreachable: 0 });
    const s2 = await ssh(BC2);
    expect((await s2.run('cut -d " " -f 22 /proc/1/stat')).out.trim()).not.toBe(bootBefore);
    s2.close();
    const status = await provision(['lab', 'status', LAB_INV]);
    expect(status.code, status.stdout).toBe(0);
  });

  it('in check mode reports rebooted without rebooting', async () => {
    const s = await ssh(BC2);
    const bootBefore = (await s.run('cut -d " " -f 22 /proc/1/stat')).out.trim();
    s.close();
    const { dir, file: inv } = inventory({ 'bc-2': BC2 });
    const pb = playbook(dir, [{ name: 'reboot', reboot: {} }]);
    const r = await provision(['up', inv, '--playbook', pb, '--check']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/would change: \[bc-2\] reboot/);
    const s2 = await ssh(BC2);
    expect((await s2.run('cut -d " " -f 22 /proc/1/stat')).out.trim()).toBe(bootBefore);
    s2.close();
  });
});
