import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { becomeDefaults, connectionDefaults, findAnsibleConfig, loadAnsibleConfig, withCommandLine } from '../../src/config/ansible-cfg.js';
import { loadInventory } from '../../src/config/inventory.js';
import { ExitCode, must, ProvisionError } from '../../src/errors.js';

// Expected values are ansible-config's: `ansible-config dump --only-changed` run in the fixture
// directory (and with the ANSIBLE_* variables named), ansible-core 2.14.
const FIXTURE = resolve('test/fixtures/layout/cfg');
const HOME = '/home/someone';
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ HOME, ...extra });

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'prov-cfg-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('ansible.cfg: where it is found (first found wins)', () => {
  const root = tree({ 'cwd/ansible.cfg': '', 'home/.ansible.cfg': '', 'envdir/ansible.cfg': '' });
  const cwd = join(root, 'cwd');
  const home = { HOME: join(root, 'home') };
  const none = () => {};

  it('./ansible.cfg before ~/.ansible.cfg', () => expect(findAnsibleConfig(home, cwd, none)).toBe(join(cwd, 'ansible.cfg')));
  it('ANSIBLE_CONFIG first, a file or a directory holding ansible.cfg', () => {
    expect(findAnsibleConfig({ ...home, ANSIBLE_CONFIG: '../envdir' }, cwd, none)).toBe(join(root, 'envdir/ansible.cfg'));
    expect(findAnsibleConfig({ ...home, ANSIBLE_CONFIG: '../envdir/ansible.cfg' }, cwd, none)).toBe(join(root, 'envdir/ansible.cfg'));
  });
  it('an ANSIBLE_CONFIG that does not exist falls through to ./ansible.cfg', () =>
    expect(findAnsibleConfig({ ...home, ANSIBLE_CONFIG: '/nonexistent' }, cwd, none)).toBe(join(cwd, 'ansible.cfg')));
  it('~/.ansible.cfg when the directory has none', () =>
    expect(findAnsibleConfig(home, join(root, 'home'), none)).toBe(join(root, 'home/.ansible.cfg')));
  it('a world-writable directory: its ansible.cfg is ignored, with a warning', () => {
    const warnings: string[] = [];
    chmodSync(cwd, 0o777);
    try {
      expect(findAnsibleConfig(home, cwd, (l) => warnings.push(l))).toBe(join(root, 'home/.ansible.cfg'));
    } finally {
      chmodSync(cwd, 0o755);
    }
    expect(warnings).toEqual([expect.stringContaining('world writable')]);
  });
});

describe('ansible.cfg: values as ansible-config dump shows them', () => {
  const cfg = loadAnsibleConfig(env(), FIXTURE);

  it('paths are relative to the file, ~ is the home directory; lists split on "," (inventory) and ":" (roles_path)', () => {
    expect(cfg.file).toBe(join(FIXTURE, 'ansible.cfg'));
    expect(cfg.inventory).toEqual([join(FIXTURE, 'hosts.ini'), join(FIXTURE, 'other')]);
    expect(cfg.rolesPath).toEqual([join(FIXTURE, 'roles'), '/home/someone/r2', '/abs']);
    expect(cfg.privateKeyFile).toBe(join(FIXTURE, 'keys/id'));
    expect(cfg.vaultPasswordFile).toBe(join(FIXTURE, 'vp.txt'));
  });

  it('typed settings', () => {
    expect(cfg).toMatchObject({
      remoteUser: 'deploy',
      forks: 7,
      hostKeyChecking: false,
      timeout: 33,
      become: true,
      becomeUser: 'app',
      becomeMethod: 'su',
    });
  });

  it('every key provision does not use is named once, with where it is; become_method su is used', () => {
    expect(cfg.warnings).toEqual([
      `${join(FIXTURE, 'ansible.cfg')}:10: [defaults] gathering is not used by provision`,
      `${join(FIXTURE, 'ansible.cfg')}:16: [ssh_connection] pipelining is not used by provision`,
      `${join(FIXTURE, 'ansible.cfg')}:17: [ssh_connection] ssh_args is not used by provision`,
    ]);
  });

  it('a become_method provision has not (doas) is named in a warning and sudo stands in', () => {
    const e = loadAnsibleConfig(env({ ANSIBLE_BECOME_METHOD: 'doas', ANSIBLE_BECOME_FLAGS: '-E' }), FIXTURE);
    expect(e.warnings[0]).toBe('ANSIBLE_BECOME_METHOD: become_method doas is not supported: provision becomes with sudo or su');
    expect(becomeDefaults(e)).toEqual({ become: true, user: 'app', flags: '-E' });
    expect(becomeDefaults(cfg)).toMatchObject({ method: 'su' });
  });

  it('ANSIBLE_* variables win over the file; their paths are relative to the working directory', () => {
    const e = loadAnsibleConfig(
      env({ ANSIBLE_FORKS: '3', ANSIBLE_INVENTORY: 'a,b', ANSIBLE_ROLES_PATH: 'r1:/r2', ANSIBLE_BECOME: 'no' }),
      FIXTURE,
    );
    expect(e).toMatchObject({
      forks: 3,
      inventory: [join(FIXTURE, 'a'), join(FIXTURE, 'b')],
      rolesPath: [join(FIXTURE, 'r1'), '/r2'],
      become: false,
    });
  });

  it("no file: Ansible's default roles path, nothing else set", () => {
    const dir = tree({});
    const c = loadAnsibleConfig(env(), dir);
    expect(c.file).toBeUndefined();
    expect(c.inventory).toEqual([]);
    expect(c.rolesPath).toEqual(['/home/someone/.ansible/roles', '/usr/share/ansible/roles', '/etc/ansible/roles']);
  });

  it('ConfigParser rules: ";" after a space starts a comment, "key: value", quotes removed from strings', () => {
    const dir = tree({ 'ansible.cfg': '[defaults]\nforks = 4 ; inline\nremote_user = "quoted"\ntimeout: 9\n' });
    expect(loadAnsibleConfig(env(), dir)).toMatchObject({ forks: 4, remoteUser: 'quoted', timeout: 9 });
  });

  it('a key given twice, or a number that is none, is bad input at file:line', () => {
    expect.assertions(6);
    for (const [text, line] of [
      ['[defaults]\nforks = 4\nforks = 5\n', 3],
      ['[defaults]\nforks = many\n', 2],
    ] as const) {
      const dir = tree({ 'ansible.cfg': text });
      try {
        loadAnsibleConfig(env(), dir);
      } catch (e) {
        expect(e).toBeInstanceOf(ProvisionError);
        expect((e as ProvisionError).exitCode).toBe(ExitCode.badInput);
        expect((e as ProvisionError).location).toMatchObject({ file: join(dir, 'ansible.cfg'), line });
      }
    }
  });
});

describe('ansible.cfg connection settings under the inventory', () => {
  it('are the lowest layer: any inventory variable wins, unset ones apply', () => {
    const cfg = loadAnsibleConfig(env(), FIXTURE);
    const dir = tree({ 'hosts.ini': 'a ansible_host=198.18.2.9 ansible_user=admin\nb ansible_host=198.18.2.10\n' });
    const inv = loadInventory(join(dir, 'hosts.ini'), { defaults: connectionDefaults(cfg) });
    const a = must(inv.hosts.get('a'), 'host a');
    const b = must(inv.hosts.get('b'), 'host b');
    expect([a.vars.ansible_user, b.vars.ansible_user]).toEqual(['admin', 'deploy']);
    expect(b.vars).toMatchObject({
      ansible_ssh_private_key_file: join(FIXTURE, 'keys/id'),
      provision_connect_timeout: 33,
      provision_host_key_checking: 'off',
    });
    // become settings are defaults below a play's keywords, not host variables that would beat them.
    expect(b.vars.ansible_become).toBeUndefined();
    expect(becomeDefaults(cfg)).toMatchObject({ become: true, user: 'app' });
    expect(b.origins.ansible_user).toMatchObject({ file: join(FIXTURE, 'ansible.cfg'), line: 4 });
  });
});

describe('the command line over ansible.cfg', () => {
  it('-u, --private-key, -b, --become-user, -T replace the configured values and their origins', () => {
    const cfg = withCommandLine(
      loadAnsibleConfig(env(), FIXTURE),
      { user: 'cli', privateKey: 'k', become: false, becomeUser: 'u2', timeout: '5' },
      '/w',
    );
    expect(cfg).toMatchObject({ remoteUser: 'cli', privateKeyFile: '/w/k', become: false, becomeUser: 'u2', timeout: 5, forks: 7 });
    expect(cfg.origins.remoteUser).toBeUndefined();
    expect(connectionDefaults(cfg).vars).toMatchObject({ ansible_user: 'cli', provision_connect_timeout: 5 });
    expect(becomeDefaults(cfg)).toMatchObject({ become: false, user: 'u2' });
  });
});

describe("the become plugins' own settings and become_password_file", () => {
  const dir = tree({
    'ansible.cfg': [
      '[defaults]',
      'become_password_file = ~/pw.txt',
      '[privilege_escalation]',
      'become_user = general',
      'become_flags = -H -S',
      '[sudo_become_plugin]',
      'user = sudo-user',
      'flags = -E',
      'password = cfg-sudo-pw',
      '[su_become_plugin]',
      'executable = /bin/su',
      'localized_prompts = Passwort',
      '',
    ].join('\n'),
  });

  it('[METHOD_become_plugin] beats [privilege_escalation] for that method only; keys it has not are named', () => {
    const cfg = loadAnsibleConfig(env(), dir);
    expect(cfg.becomePasswordFile).toBe('/home/someone/pw.txt');
    expect(cfg.becomePlugins).toEqual({ sudo: { user: 'sudo-user', flags: '-E', password: 'cfg-sudo-pw' }, su: { exe: '/bin/su' } });
    expect(cfg.warnings).toEqual([`${join(dir, 'ansible.cfg')}:12: [su_become_plugin] localized_prompts is not used by provision`]);
    expect(becomeDefaults(cfg)).toMatchObject({ user: 'general', flags: '-H -S', methods: cfg.becomePlugins });
  });

  it('the environment beats the file: ANSIBLE_BECOME_* the plugin sections, ANSIBLE_SUDO_* all of them', () => {
    const general = loadAnsibleConfig(env({ ANSIBLE_BECOME_USER: 'env-general', ANSIBLE_BECOME_PASS: 'env-pw' }), dir);
    expect(general.becomePlugins.sudo).toEqual({ flags: '-E', password: 'env-pw' });
    expect(general.becomeUser).toBe('env-general');
    const own = loadAnsibleConfig(
      env({ ANSIBLE_BECOME_USER: 'env-general', ANSIBLE_SUDO_USER: 'env-sudo', ANSIBLE_BECOME_PASSWORD_FILE: 'p' }),
      dir,
    );
    expect(own.becomePlugins.sudo?.user).toBe('env-sudo');
    expect(own.becomePasswordFile).toBe(join(dir, 'p'));
  });

  it('--become-user beats every method’s own user', () => {
    const cfg = withCommandLine(loadAnsibleConfig(env(), dir), { becomeUser: 'cli' });
    expect(cfg.becomePlugins.sudo).toMatchObject({ user: undefined, flags: '-E' });
    expect(becomeDefaults(cfg).user).toBe('cli');
  });
});
