import { beforeAll, describe, expect, it } from 'vitest';
import { addSudoUsers, inventory, lastEvent, playbook, provision, ssh } from './helpers.js';

const NODE1 = '198.18.3.210';
const PASSWORD = 'sudo-pw-4417';

/** Two login users on t-node1: one with passwordless sudo, one whose sudo asks for a password. */
beforeAll(async () => {
  await addSudoUsers(NODE1, PASSWORD);
  const s = await ssh(NODE1);
  expect((await s.run('rm -f /root/become-*')).code).toBe(0);
  s.close();
});

function files(user: string, vars: Record<string, unknown>) {
  const { dir, file: inv } = inventory({ 't-node1': NODE1 }, { ansible_user: user, ...vars });
  const pb = playbook(
    dir,
    [
      { command: 'id -un', register: 'who', changed_when: false },
      { assert: { that: ["who.stdout == 'root'"] } },
      { copy: { dest: `/root/become-${user}`, content: 'written as root\n', mode: '0600' } },
      { command: 'id -un', become: false, register: 'plain', changed_when: false },
      { assert: { that: [`plain.stdout == '${user}'`] } },
    ],
    { become: true },
  );
  return { inv, pb };
}

describe('become through sudo', () => {
  it('passwordless', async () => {
    const { inv, pb } = files('nopw', {});
    const r = await provision(['up', inv, '--playbook', pb, '--json']);
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
    expect(lastEvent(r.stdout).hosts['t-node1']).toMatchObject({ changed: 1, failed: 0 });
  });

  it('with a password, which never shows in the output', async () => {
    const { inv, pb } = files('withpw', { ansible_become_password: PASSWORD });
    const r = await provision(['up', inv, '--playbook', pb, '--json', '-v']);
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    const s = await ssh(NODE1);
    expect((await s.run('stat -c "%U %a" /root/become-withpw; cat /root/become-withpw')).out).toBe('root 600\nwritten as root\n');
    s.close();
  });

  it('a wrong password fails the task with a clear message', async () => {
    const { inv, pb } = files('withpw', { ansible_become_password: 'wrong-password' });
    const r = await provision(['up', inv, '--playbook', pb]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/failed: \[t-node1\]/);
    expect(r.stdout).toContain('Incorrect sudo password');
  });
});
