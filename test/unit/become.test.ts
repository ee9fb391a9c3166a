import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybook } from '../../src/config/playbook.js';
import { resolveBecome } from '../../src/engine/become.js';
import type { ProvisionError } from '../../src/errors.js';
import { quote } from '../../src/shell/quote.js';
import { becomeCommand, becomeRefusal, promptFilter } from '../../src/transport/become.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'prov-become-'));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  return root;
}

describe('becomeCommand', () => {
  const wrap = (b: Parameters<typeof becomeCommand>[1], login = 'deploy') => becomeCommand('id -un', b, login, quote);

  it("sudo without a password: Ansible's default flags, never waiting for a password", () => {
    expect(wrap({ user: 'root' })).toEqual({ command: "sudo -H -S -n -u root -- sh -c 'id -un'", method: 'sudo' });
    expect(wrap({ user: 'root', flags: '-E' })).toEqual({ command: "sudo -E -n -u root -- sh -c 'id -un'", method: 'sudo' });
  });

  it('sudo with a password: the password is the first line of stdin, never on the command line; -n goes', () => {
    const w = wrap({ user: 'app', password: 'pw-1234', flags: '-H -Sn' });
    expect(w.command).toBe("sudo -H -S -k -S -p '' -u app -- sh -c 'id -un'");
    expect(w.command).not.toContain('pw-1234');
    expect(w.stdinPrefix).toBe('pw-1234\n');
  });

  it('become_exe replaces the program', () => {
    expect(wrap({ user: 'root', exe: '/usr/local/bin/sudo' }).command).toMatch(/^\/usr\/local\/bin\/sudo -H -S -n /);
  });

  it('su: the user, -c with the command in sh, the password on stdin, its prompt named for removal', () => {
    const w = wrap({ user: 'app', method: 'su', password: 'pw-1234', flags: '-l' });
    expect(w.command).toBe(`su -l app -c 'sh -c '"'"'id -un'"'"''`.replace(/'"'"'/g, "'\\''"));
    expect(w.command).not.toContain('pw-1234');
    expect(w).toMatchObject({ stdinPrefix: 'pw-1234\n', prompt: 'Password: ' });
  });

  it('su without a password: root goes through, anyone else is told to give one', () => {
    expect(wrap({ user: 'app', method: 'su' }, 'root')).toEqual({ command: "su app -c 'sh -c '\\''id -un'\\'''", method: 'su' });
    expect.assertions(2);
    try {
      wrap({ user: 'app', method: 'su' });
    } catch (e) {
      expect((e as ProvisionError).message).toBe('become_method su needs the password of app, and none was given');
    }
  });

  it('nothing to do when the login user is the user to become', () => {
    expect(wrap({ user: 'deploy', method: 'su' })).toEqual({ command: 'id -un' });
  });
});

describe("becomeRefusal: a become program that refused, in Ansible's words", () => {
  const sudo = { command: 'sudo ...', method: 'sudo' as const };
  const su = { command: 'su ...', method: 'su' as const };

  it('a wrong sudo or su password is Incorrect, a password sudo -n needed is Missing', () => {
    expect(becomeRefusal(sudo, 1, 'Sorry, try again.\nsudo: no password was provided\nsudo: 1 incorrect password attempt\n')).toBe(
      'Incorrect sudo password',
    );
    expect(becomeRefusal(sudo, 1, 'sudo: a password is required\n')).toBe('Missing sudo password');
    expect(becomeRefusal(su, 1, 'su: Authentication failure\n')).toBe('Incorrect su password');
    // A shell that ended has no exit status to go by.
    expect(becomeRefusal(su, undefined, 'su: Authentication failure\n')).toBe('Incorrect su password');
  });

  it("only the become program's first words count: the command's own output, another status, no become", () => {
    expect(becomeRefusal(sudo, 1, 'grep: x\nSorry, try again.\n')).toBeUndefined();
    expect(becomeRefusal(sudo, 2, 'Sorry, try again.\n')).toBeUndefined();
    expect(becomeRefusal({ command: 'id' }, 1, 'su: Authentication failure\n')).toBeUndefined();
  });
});

describe('promptFilter', () => {
  it("takes su's prompt from the start of stderr, even split across chunks", () => {
    const f = promptFilter('Password: ');
    expect(f(Buffer.from('Pass')).toString()).toBe('');
    expect(f(Buffer.from('word: su: Authentication failure\n')).toString()).toBe('su: Authentication failure\n');
    expect(f(Buffer.from('Password: again')).toString()).toBe('Password: again');
  });

  it('passes other output whole', () => {
    const f = promptFilter('Password: ');
    expect(f(Buffer.from('Pa')).toString()).toBe('');
    expect(f(Buffer.from('nic\n')).toString()).toBe('Panic\n');
  });
});

describe("resolveBecome: Ansible's precedence", () => {
  it('host variables win over keywords, keywords over the command line and ansible.cfg', () => {
    const defaults = { become: true, user: 'cfg-user', method: 'sudo', flags: '-E', password: 'from-K' };
    expect(resolveBecome({}, {}, defaults)).toEqual({ user: 'cfg-user', method: 'sudo', flags: '-E', password: 'from-K' });
    expect(resolveBecome({}, { become: false }, defaults)).toBeUndefined();
    expect(resolveBecome({}, { user: 'kw', method: 'su', flags: '-l' }, defaults)).toMatchObject({ user: 'kw', method: 'su', flags: '-l' });
    const vars = { ansible_become: false, ansible_become_user: 'var-user', ansible_become_method: 'su', ansible_become_password: 'var-pw' };
    expect(resolveBecome(vars, { become: true })).toBeUndefined();
    expect(resolveBecome({ ...vars, ansible_become: 'yes' }, { user: 'kw', method: 'sudo' }, defaults)).toEqual({
      user: 'var-user',
      method: 'su',
      flags: '-E',
      password: 'var-pw',
    });
  });

  it("the method's own variables come last and win (ansible_su_pass over ansible_become_password)", () => {
    const vars = {
      ansible_become: true,
      ansible_become_method: 'su',
      ansible_become_password: 'a',
      ansible_su_pass: 'b',
      ansible_sudo_pass: 'c',
    };
    expect(resolveBecome(vars)?.password).toBe('b');
    expect(resolveBecome({ ...vars, ansible_become_method: 'sudo' })?.password).toBe('c');
    expect(resolveBecome({ ansible_become: true, ansible_become_pass: 'd' })?.password).toBe('d');
  });

  it("a method's own ansible.cfg settings beat the general ones for that method; keywords and host variables beat both", () => {
    const defaults = { become: true, user: 'general', flags: '-H', methods: { sudo: { user: 'sudo-user', password: 'cfg-pw' } } };
    expect(resolveBecome({}, {}, defaults)).toEqual({ user: 'sudo-user', method: 'sudo', flags: '-H', password: 'cfg-pw' });
    expect(resolveBecome({}, { method: 'su' }, defaults)).toEqual({ user: 'general', method: 'su', flags: '-H' });
    expect(resolveBecome({}, { user: 'kw' }, { ...defaults, password: 'from-K' })).toMatchObject({ user: 'kw', password: 'from-K' });
    expect(resolveBecome({ ansible_become_password: 'var-pw' }, {}, defaults)?.password).toBe('var-pw');
  });

  it('templates in keywords render with the host variables; an unknown method is refused by name', () => {
    expect(resolveBecome({ app: 'web' }, { become: true, user: '{{ app }}' })?.user).toBe('web');
    expect(() => resolveBecome({ m: 'doas' }, { become: true, method: '{{ m }}' })).toThrow(
      'become_method "doas" is not supported: provision becomes another user with sudo or su',
    );
  });
});

describe('become keywords at load', () => {
  it('become_method, become_flags and become_exe pass from the play and a block to their tasks', () => {
    const dir = tree({
      'site.yml': `- hosts: all
  become_method: su
  become_flags: -l
  tasks:
    - block:
        - command: id
      become_exe: /bin/su
    - command: id
      become_method: sudo
`,
    });
    const [play] = loadPlaybook(`${dir}/site.yml`).plays;
    const tasks = JSON.stringify(play?.tasks);
    expect(tasks).toContain('"becomeMethod":"su","becomeFlags":"-l","becomeExe":"/bin/su"');
    expect(tasks).toContain('"becomeMethod":"sudo","becomeFlags":"-l"');
  });

  it('a become_method provision has not is refused by name with file:line:col', () => {
    const dir = tree({ 'site.yml': '- hosts: all\n  tasks:\n    - command: id\n      become_method: doas\n' });
    expect.assertions(2);
    try {
      loadPlaybook(`${dir}/site.yml`);
    } catch (e) {
      expect((e as ProvisionError).message).toContain(
        'become_method doas is not supported: provision becomes another user with sudo or su',
      );
      expect((e as ProvisionError).location).toMatchObject({ line: 4 });
    }
  });
});
