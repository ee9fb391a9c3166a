import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConnections } from '../../src/engine/connect.js';
import { sshPlan } from '../../src/engine/ssh-plan.js';
import { ExitCode, ProvisionError, type SourceLocation } from '../../src/errors.js';
import { resolveSshConfig, type SshConfigFiles } from '../../src/transport/ssh-config.js';
import { systemSshConfigFiles } from '../../src/transport/ssh-config-files.js';

function files(tree: Record<string, string>): SshConfigFiles {
  return { read: (p) => tree[p], glob: (p) => (tree[p] ? [p] : []), home: '/home/u', localUser: 'me', localHost: 'ctl' };
}

/** The error `fn` throws: an input error (exit 4). */
function inputErrorOf(fn: () => unknown): ProvisionError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ProvisionError);
  const e = caught as ProvisionError;
  expect(e.kind).toBe('input');
  expect(e.exitCode).toBe(ExitCode.badInput);
  return e;
}

const CFG = '/home/u/.ssh/config';

describe('an ssh_config that cannot be used is bad input with file:line:col', () => {
  it.each([
    ['Host h\n  Port abc\n', /bad Port "abc"/, { file: CFG, line: 2, col: 8 }],
    ['Host h\n    Port=70000\n', /bad Port "70000"/, { file: CFG, line: 2, col: 10 }],
    ['Host h\n  HostName\n', /hostname needs a value/, { file: CFG, line: 2, col: 3 }],
    [
      'Match exec "true"\n',
      /Match exec "true" would run a command on this machine to decide; provision does not run it/,
      { file: CFG, line: 1, col: 7 },
    ],
    ['Match host h exec "test -e /x"\n', /Match exec "test -e \/x" would run a command/, { file: CFG, line: 1, col: 7 }],
    ['Match tagged x\n', /Match tagged is not supported yet/, { file: CFG, line: 1, col: 7 }],
    ['Host h\n  ProxyCommand ssh -W %h:%p %C gw\n', /the token %C is not one ssh expands there/, { file: CFG, line: 2, col: 16 }],
    ['Host *\n  ConnectTimeout soon\n', /ConnectTimeout must be a number of seconds/, { file: CFG, line: 2, col: 18 }],
    ['Host *\n  IdentitiesOnly maybe\n', /IdentitiesOnly must be yes or no/, { file: CFG, line: 2, col: 18 }],
    ['Host *\n  StrictHostKeyChecking often\n', /StrictHostKeyChecking must be/, { file: CFG, line: 2, col: 25 }],
  ] as [string, RegExp, SourceLocation][])('%j', (text, message, location) => {
    const e = inputErrorOf(() => sshPlan('h', {}, { inventoryFile: '/inv.yaml', files: files({ [CFG]: text }) }));
    expect(e.message).toMatch(message);
    expect(e.location).toEqual(location);
  });

  it('Match exec after a criterion that did not match is never reached, as ssh skips running it', () => {
    const c = resolveSshConfig({ host: 'h', options: [] }, files({ [CFG]: 'Match host other exec "false"\n  User x\nHost *\n  User y\n' }));
    expect(c.user).toBe('y');
  });

  it('a file named with -F that does not exist is an error, as ssh says "Can\'t open user config file"', () => {
    const e = inputErrorOf(() => resolveSshConfig({ host: 'h', options: [], configFile: '/nowhere/cfg' }, files({})));
    expect(e.message).toContain('/nowhere/cfg does not exist');
    // ~/.ssh/config itself may be absent
    expect(resolveSshConfig({ host: 'h', options: [] }, files({})).hostname).toBe('h');
  });

  it('a file that exists but cannot be read names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-sshcfg-'));
    const file = join(dir, 'config');
    writeFileSync(file, 'Host x\n');
    chmodSync(file, 0o000);
    const read = systemSshConfigFiles().read;
    let text: string | undefined;
    let err: unknown;
    try {
      text = read(file);
    } catch (e) {
      err = e;
    }
    // root reads any file: then the text is there; anyone else gets the error
    if (process.getuid?.() === 0) expect(text).toBe('Host x\n');
    else expect((err as ProvisionError).location).toEqual({ file, line: 1, col: 1 });
    expect(read(dir)).toBeUndefined(); // a directory reads as no file, as ssh -G -F DIR does
  });
});

describe('a bad address from ssh_config is bad input before any connection', () => {
  const tree = {
    [CFG]:
      'Host typo\n  HostName 198.18.0.580\nHost viabad\n  ProxyJump gw.123\nHost gw\n  HostName 198.18.2.160\nHost behind\n  ProxyJump gw\n',
  };
  const settings = { inventoryFile: '/inv/hosts.yaml', files: files(tree) };

  it('HostName with an octet over 255 points at its line', () => {
    const e = inputErrorOf(() => sshPlan('typo', {}, settings));
    expect(e.message).toContain('not a valid IPv4 address');
    expect(e.location).toEqual({ file: CFG, line: 2, col: 12 });
  });

  it('a ProxyJump host whose last label is all digits points at the ProxyJump line', () => {
    const e = inputErrorOf(() => sshPlan('viabad', {}, settings));
    expect(e.message).toContain('last label is all digits');
    expect(e.location).toEqual({ file: CFG, line: 4, col: 13 });
  });

  it('good names pass', () => {
    expect(sshPlan('behind', {}, settings).jumps.map((j) => j.address)).toEqual(['198.18.2.160']);
  });

  it('checkConnections works every host out before the first connection, pointing at the variable that named the file', () => {
    const loc = { file: '/inv/hosts.yaml', line: 7, col: 5 };
    const host = {
      name: 'web1',
      vars: { ansible_host: '198.18.2.180', provision_ssh_config: '/nowhere/ssh_config' },
      groups: [],
      location: { file: '/inv/hosts.yaml', line: 6, col: 3 },
      origins: { provision_ssh_config: loc },
    };
    const e = inputErrorOf(() => checkConnections([host], { inventoryFile: '/inv/hosts.yaml' }));
    expect(e.location).toEqual(loc);
    expect(e.host).toBe('web1');
    checkConnections([{ ...host, vars: { ansible_connection: 'local' } }], { inventoryFile: '/inv/hosts.yaml' });
  });
});
