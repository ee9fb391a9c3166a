import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshArgs } from '../../src/transport/ssh-args.js';
import {
  parseJumpList,
  resolveSshConfig,
  SSH_G_KEYS,
  type SshConfigFiles,
  splitConfigLine,
  sshGLines,
} from '../../src/transport/ssh-config.js';
import { globPaths, systemSshConfigFiles } from '../../src/transport/ssh-config-files.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ssh-config');
/** The configs' absolute Include paths point here (scripts/record-ssh-config-corpus.mjs copies them the same way). */
const CORPUS_DIR = '/tmp/provision-ssh-corpus';

interface Recorded {
  home: string;
  user: string;
  cases: Record<string, string[]>;
}
const recorded = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Recorded;

/** ssh -G's lines for the keys provision resolves, grouped by key in the order printed. */
function byKey(lines: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of lines) {
    const sp = line.indexOf(' ');
    const key = line.slice(0, sp);
    if (!(SSH_G_KEYS as readonly string[]).includes(key)) continue;
    const values = out[key] ?? [];
    values.push(line.slice(sp + 1));
    out[key] = values;
  }
  return out;
}

function resolveCase(line: string, files: SshConfigFiles): string[] {
  const [dir = '', host = '', ...args] = line.split(/\s+/);
  const parsed = parseSshArgs(args.map((a) => `'${a}'`).join(' '), 'case');
  return sshGLines(resolveSshConfig({ host, options: parsed.options, configFile: join(CORPUS_DIR, dir, 'config') }, files));
}

function corpusFiles(home: string, user: string): SshConfigFiles {
  return { ...systemSshConfigFiles(), home, localUser: user };
}

describe('ssh_config conformance corpus (recorded ssh -G)', () => {
  rmSync(CORPUS_DIR, { recursive: true, force: true });
  cpSync(FIXTURES, CORPUS_DIR, { recursive: true });
  const files = corpusFiles(recorded.home, recorded.user);
  const lines = readFileSync(join(FIXTURES, 'cases.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('records every case of cases.txt', () => {
    expect(Object.keys(recorded.cases).sort()).toEqual([...lines].sort());
    expect(lines.length).toBeGreaterThanOrEqual(30);
  });

  it.each(lines)('%s', (line) => {
    expect(byKey(resolveCase(line, files))).toEqual(byKey(recorded.cases[line] ?? []));
  });

  let haveSsh = true;
  try {
    execFileSync('ssh', ['-V'], { stdio: 'ignore' });
  } catch {
    haveSsh = false;
  }
  // ssh takes ~ from the password database: a live comparison only holds as the recorded user.
  const live = haveSsh && userInfo().username === recorded.user && userInfo().homedir === recorded.home;
  it.skipIf(!live)(
    'equals a live ssh -G for every case (it reads the config without connecting)',
    () => {
      for (const line of lines) {
        const [dir = '', host = '', ...args] = line.split(/\s+/);
        const out = execFileSync('ssh', ['-G', '-F', join(CORPUS_DIR, dir, 'config'), ...args, host], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        expect(byKey(resolveCase(line, files)), line).toEqual(byKey(out.trim().split('\n')));
      }
    },
    60_000,
  );
});

/** In-memory files: a home of our own, for what the corpus cannot place under the real ~/.ssh. */
function memoryFiles(tree: Record<string, string>, home = '/home/u'): SshConfigFiles {
  return {
    read: (p) => tree[p],
    glob: (pattern) => {
      const re = new RegExp(
        `^${pattern
          .replace(/[.+^${}()|\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')}$`,
      );
      return Object.keys(tree)
        .filter((p) => re.test(p))
        .sort();
    },
    home,
    localUser: 'me',
    localHost: 'ctl.example',
  };
}

describe('ssh_config reading', () => {
  it('reads ~/.ssh/config, then /etc/ssh/ssh_config; relative Include is under ~/.ssh (user) or /etc/ssh (system)', () => {
    const files = memoryFiles({
      '/home/u/.ssh/config': 'Include conf.d/*\nHost x\n  Port 2000\n',
      '/home/u/.ssh/conf.d/a': 'Host x\n  User from-include\n',
      '/etc/ssh/ssh_config': 'Include sys.d/*.conf\nHost *\n  User system\n  Port 1\n',
      '/etc/ssh/sys.d/1.conf': 'Host x\n  IdentityFile /sys/key\n',
    });
    const c = resolveSshConfig({ host: 'x', options: [] }, files);
    expect([c.user, c.port, c.identityFiles]).toEqual(['from-include', 2000, ['/sys/key']]);
    expect(resolveSshConfig({ host: 'y', options: [] }, files).user).toBe('system');
  });

  it('splits lines as ssh does: Key=Value, quotes, comments', () => {
    expect(splitConfigLine('  HostName=web.test ')).toEqual({ keyword: 'hostname', args: ['web.test'] });
    expect(splitConfigLine('IdentityFile "/a b/c" d # note')).toEqual({ keyword: 'identityfile', args: ['/a b/c', 'd'] });
    expect(splitConfigLine('# only a comment')).toBeUndefined();
    // A command is the rest of the line, as ssh keeps it: quotes and all.
    expect(splitConfigLine('ProxyCommand= ssh -W "%h:%p"  gw # c')).toEqual({ keyword: 'proxycommand', args: ['ssh -W "%h:%p"  gw # c'] });
  });

  it('refuses Match criteria it does not understand by name', () => {
    const files = memoryFiles({ '/home/u/.ssh/config': 'Match exec "true"\n  User x\n' });
    expect(() => resolveSshConfig({ host: 'h', options: [] }, files)).toThrow(/Match exec "true" would run a command/);
  });

  it('reads ProxyJump lists', () => {
    expect(parseJumpList('a,ops@b:2222,ssh://u@[fe80::1]:22')).toEqual([
      { user: undefined, host: 'a', port: undefined },
      { user: 'ops', host: 'b', port: 2222 },
      { user: 'u', host: 'fe80::1', port: 22 },
    ]);
    expect(() => parseJumpList('a,b:99999')).toThrow(/bad port/);
  });

  it("reads Ansible's ssh args: -o in both spellings, -J, -F, bundled flags", () => {
    expect(parseSshArgs(`-C -o ProxyJump=root@198.18.2.160 -oUser=x -o 'Port 2' -4J j1 -F /cfg -q`, 'args')).toEqual({
      options: [
        { keyword: 'ProxyJump', args: ['root@198.18.2.160'] },
        { keyword: 'User', args: ['x'] },
        { keyword: 'Port', args: ['2'] },
        { keyword: 'ProxyJump', args: ['j1'] },
      ],
      configFile: '/cfg',
    });
    expect(() => parseSshArgs('-o', 'args')).toThrow(/-o needs a value/);
    expect(parseSshArgs(`-o 'ProxyCommand=ssh -W  "%h:%p" gw'`, 'args').options).toEqual([
      { keyword: 'ProxyCommand', args: ['ssh -W  "%h:%p" gw'] },
    ]);
  });

  it('globs like glob(3): sorted, no dot files unless asked', () => {
    expect(globPaths(join(FIXTURES, 'include', 'conf.d', '*.conf')).map((p) => p.split('/').at(-1))).toEqual([
      '10-first.conf',
      '20-second.conf',
    ]);
    expect(globPaths(join(FIXTURES, 'include', 'conf.d', '.*.conf')).map((p) => p.split('/').at(-1))).toEqual(['.hidden.conf']);
  });
});
