import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { allModules, findModule } from '../../../src/modules/registry.js';
import type { HostFacts } from './fake-reader.js';
import { context, controllerFiles } from './fake-reader.js';

/**
 * Every case that changes something has a twin where the host already matches and nothing
 * changes: that is how each module's idempotence is tested, without a host.
 */
interface Case {
  name: string;
  module: string;
  args: Record<string, unknown>;
  facts: HostFacts;
  /** Change descriptions expected, in order; [] means "ok, no change". */
  changes?: string[];
  failed?: RegExp;
  files?: Record<string, string>;
  vars?: Record<string, unknown>;
  /** The message the module gives (debug's text, assert's success message). */
  msg?: string;
  /** Variables the module sets on the host (set_fact). */
  sets?: Record<string, unknown>;
  /** Why a changing case has no idempotent twin: it changes every time, on purpose. */
  alwaysChanges?: string;
}

const deb = (pkgs: Record<string, string>, age = 10) =>
  `${Object.entries(pkgs)
    .map(([p, v]) => `${p}\tii \t${v}`)
    .join('\n')}\n@age ${age}\n`;

const cases: Case[] = [
  // copy
  {
    name: 'copy creates a missing file',
    module: 'copy',
    args: { dest: '/etc/motd', content: 'hi\n' },
    facts: { files: { '/etc/motd': undefined as never } },
    changes: ['create /etc/motd'],
  },
  {
    name: 'copy twin: same content',
    module: 'copy',
    args: { dest: '/etc/motd', content: 'hi\n' },
    facts: { files: { '/etc/motd': { content: 'hi\n' } } },
    changes: [],
  },
  {
    name: 'copy updates different content',
    module: 'copy',
    args: { dest: '/etc/motd', content: 'new\n' },
    facts: { files: { '/etc/motd': { content: 'old\n' } } },
    changes: ['update /etc/motd'],
  },
  {
    name: 'copy twin: new content in place',
    module: 'copy',
    args: { dest: '/etc/motd', content: 'new\n' },
    facts: { files: { '/etc/motd': { content: 'new\n' } } },
    changes: [],
  },
  {
    name: 'copy fixes only the mode',
    module: 'copy',
    args: { dest: '/etc/motd', content: 'hi\n', mode: '0600' },
    facts: { files: { '/etc/motd': { content: 'hi\n', mode: '0644' } } },
    changes: ['mode 0644 -> 0600'],
  },
  {
    name: 'copy twin: mode already right',
    module: 'copy',
    args: { dest: '/etc/motd', content: 'hi\n', mode: '0600' },
    facts: { files: { '/etc/motd': { content: 'hi\n', mode: '0600' } } },
    changes: [],
  },
  {
    name: 'copy twin: mode as YAML number 600',
    module: 'copy',
    args: { dest: '/etc/motd', content: 'hi\n', mode: 600 },
    facts: { files: { '/etc/motd': { content: 'hi\n', mode: '0600' } } },
    changes: [],
  },
  {
    name: 'copy fixes the owner',
    module: 'copy',
    args: { dest: '/etc/motd', content: 'hi\n', owner: 'www-data' },
    facts: { files: { '/etc/motd': { content: 'hi\n' } } },
    changes: ['owner root:root -> www-data:root'],
  },
  {
    name: 'copy twin: owner already right',
    module: 'copy',
    args: { dest: '/etc/motd', content: 'hi\n', owner: 'www-data' },
    facts: { files: { '/etc/motd': { content: 'hi\n', owner: 'www-data' } } },
    changes: [],
  },
  {
    name: 'copy from src',
    module: 'copy',
    args: { dest: '/etc/x', src: 'x.txt' },
    files: { 'x.txt': 'from controller' },
    facts: { files: { '/etc/x': { content: 'other' } } },
    changes: ['update /etc/x'],
  },
  {
    name: 'copy twin: from src',
    module: 'copy',
    args: { dest: '/etc/x', src: 'x.txt' },
    files: { 'x.txt': 'from controller' },
    facts: { files: { '/etc/x': { content: 'from controller' } } },
    changes: [],
  },
  {
    name: 'copy onto a directory fails',
    module: 'copy',
    args: { dest: '/etc', content: 'x' },
    facts: { files: { '/etc': { type: 'directory' } } },
    failed: /is a directory/,
  },
  // template
  {
    name: 'template renders and writes',
    module: 'template',
    args: { src: 't.j2', dest: '/etc/t' },
    files: { 't.j2': 'port {{ port }}' },
    vars: { port: 80 },
    facts: { files: { '/etc/t': { content: 'port 8080' } } },
    changes: ['update /etc/t'],
  },
  {
    name: 'template twin',
    module: 'template',
    args: { src: 't.j2', dest: '/etc/t' },
    files: { 't.j2': 'port {{ port }}' },
    vars: { port: 80 },
    facts: { files: { '/etc/t': { content: 'port 80' } } },
    changes: [],
  },
  // file
  {
    name: 'file makes a directory',
    module: 'file',
    args: { path: '/srv/a', state: 'directory', mode: '0750' },
    facts: { files: { '/srv/a': undefined as never } },
    changes: ['create directory /srv/a', 'set mode 0750'],
  },
  {
    name: 'file twin: directory exists',
    module: 'file',
    args: { path: '/srv/a', state: 'directory', mode: '0750' },
    facts: { files: { '/srv/a': { type: 'directory', mode: '0750' } } },
    changes: [],
  },
  {
    name: 'file removes',
    module: 'file',
    args: { path: '/srv/a', state: 'absent' },
    facts: { files: { '/srv/a': { type: 'directory' } } },
    changes: ['remove /srv/a'],
  },
  {
    name: 'file twin: already absent',
    module: 'file',
    args: { path: '/srv/a', state: 'absent' },
    facts: { files: { '/srv/a': undefined as never } },
    changes: [],
  },
  {
    name: 'file touch creates',
    module: 'file',
    args: { path: '/srv/f', state: 'touch' },
    facts: { files: { '/srv/f': undefined as never } },
    changes: ['create /srv/f'],
  },
  {
    name: 'file twin: touch existing is a no-op',
    module: 'file',
    args: { path: '/srv/f', state: 'touch' },
    facts: { files: { '/srv/f': {} } },
    changes: [],
  },
  {
    name: 'file link',
    module: 'file',
    args: { path: '/srv/l', state: 'link', src: '/srv/f' },
    facts: { files: { '/srv/l': undefined as never } },
    changes: ['link /srv/l -> /srv/f'],
  },
  {
    name: 'file twin: link in place',
    module: 'file',
    args: { path: '/srv/l', state: 'link', src: '/srv/f' },
    facts: { files: { '/srv/l': { type: 'link', linkTarget: '/srv/f' } } },
    changes: [],
  },
  {
    name: 'file link over a file needs force',
    module: 'file',
    args: { path: '/srv/l', state: 'link', src: '/srv/f' },
    facts: { files: { '/srv/l': {} } },
    failed: /force/,
  },
  {
    name: 'file state=file on a missing path fails',
    module: 'file',
    args: { path: '/nope', state: 'file' },
    facts: { files: { '/nope': undefined as never } },
    failed: /does not exist/,
  },
  // lineinfile
  {
    name: 'lineinfile adds a line',
    module: 'lineinfile',
    args: { path: '/etc/c', line: 'a=1' },
    facts: { files: { '/etc/c': { content: 'x\n' } } },
    changes: ['update /etc/c'],
  },
  {
    name: 'lineinfile twin: line present',
    module: 'lineinfile',
    args: { path: '/etc/c', line: 'a=1' },
    facts: { files: { '/etc/c': { content: 'x\na=1\n' } } },
    changes: [],
  },
  {
    name: 'lineinfile replaces by regexp',
    module: 'lineinfile',
    args: { path: '/etc/c', regexp: '^a=', line: 'a=2' },
    facts: { files: { '/etc/c': { content: 'a=1\n' } } },
    changes: ['update /etc/c'],
  },
  {
    name: 'lineinfile twin: regexp line already right',
    module: 'lineinfile',
    args: { path: '/etc/c', regexp: '^a=', line: 'a=2' },
    facts: { files: { '/etc/c': { content: 'a=2\n' } } },
    changes: [],
  },
  {
    name: 'lineinfile missing file without create fails',
    module: 'lineinfile',
    args: { path: '/etc/c', line: 'a' },
    facts: { files: { '/etc/c': undefined as never } },
    failed: /create: true/,
  },
  // apt
  {
    name: 'apt installs what is missing',
    module: 'apt',
    args: { name: ['nginx', 'curl'] },
    facts: { reads: { 'dpkg-query': { stdout: deb({ curl: '7' }) } } },
    changes: ['install nginx'],
  },
  {
    name: 'apt twin: all installed',
    module: 'apt',
    args: { name: ['nginx', 'curl'] },
    facts: { reads: { 'dpkg-query': { stdout: deb({ curl: '7', nginx: '1' }) } } },
    changes: [],
  },
  {
    name: 'apt updates a stale cache before installing',
    module: 'apt',
    args: { name: 'nginx', update_cache: true, cache_valid_time: 3600 },
    facts: { reads: { 'dpkg-query': { stdout: deb({}, 7200) } } },
    changes: ['update package lists', 'install nginx'],
  },
  {
    name: 'apt twin: fresh cache, installed',
    module: 'apt',
    args: { name: 'nginx', update_cache: true, cache_valid_time: 3600 },
    facts: { reads: { 'dpkg-query': { stdout: deb({ nginx: '1' }, 7200) } } },
    changes: ['update package lists'],
  },
  {
    name: 'apt twin twin: fresh cache and installed',
    module: 'apt',
    args: { name: 'nginx', update_cache: true, cache_valid_time: 3600 },
    facts: { reads: { 'dpkg-query': { stdout: deb({ nginx: '1' }, 60) } } },
    changes: [],
  },
  {
    name: 'apt removes',
    module: 'apt',
    args: { name: 'nginx', state: 'absent' },
    facts: { reads: { 'dpkg-query': { stdout: deb({ nginx: '1' }) } } },
    changes: ['remove nginx'],
  },
  {
    name: 'apt twin: already removed',
    module: 'apt',
    args: { name: 'nginx', state: 'absent' },
    facts: { reads: { 'dpkg-query': { stdout: deb({}) } } },
    changes: [],
  },
  {
    name: 'apt latest upgrades',
    module: 'apt',
    args: { name: 'nginx', state: 'latest' },
    facts: { reads: { 'dpkg-query': { stdout: `${deb({ nginx: '1' })}@pkg nginx\n@cand 2\n` } } },
    changes: ['install nginx'],
  },
  {
    name: 'apt twin: latest already',
    module: 'apt',
    args: { name: 'nginx', state: 'latest' },
    facts: { reads: { 'dpkg-query': { stdout: `${deb({ nginx: '2' })}@pkg nginx\n@cand 2\n` } } },
    changes: [],
  },
  // command / shell
  {
    name: 'command runs',
    module: 'command',
    args: { cmd: 'make install' },
    facts: {},
    changes: ['make install'],
    alwaysChanges: 'a command without creates or removes runs every time',
  },
  {
    name: 'command runs while creates is missing',
    module: 'command',
    args: { cmd: 'make install', creates: '/usr/bin/x' },
    facts: { reads: { '[ -e /usr/bin/x ]': { exitCode: 1 } } },
    changes: ['make install'],
  },
  {
    name: 'command twin: creates exists',
    module: 'command',
    args: { cmd: 'make install', creates: '/usr/bin/x' },
    facts: { reads: { '[ -e /usr/bin/x ]': { exitCode: 0 } } },
    changes: [],
  },
  {
    name: 'shell runs when removes exists',
    module: 'shell',
    args: { cmd: 'rm /tmp/a*', removes: '/tmp/a' },
    facts: { reads: { '[ -e /tmp/a ]': { exitCode: 0 } } },
    changes: ['rm /tmp/a*'],
  },
  {
    name: 'shell twin: removes is gone',
    module: 'shell',
    args: { cmd: 'rm /tmp/a*', removes: '/tmp/a' },
    facts: { reads: { '[ -e /tmp/a ]': { exitCode: 1 } } },
    changes: [],
  },
  // systemd
  {
    name: 'systemd starts and enables',
    module: 'systemd',
    args: { name: 'nginx', state: 'started', enabled: true },
    facts: { reads: { 'is-active': { stdout: 'inactive\ndisabled\n\nno\n' } } },
    changes: ['systemctl enable nginx', 'systemctl start nginx'],
  },
  {
    name: 'systemd twin: running and enabled',
    module: 'systemd',
    args: { name: 'nginx', state: 'started', enabled: true },
    facts: { reads: { 'is-active': { stdout: 'active\nenabled\n\nno\n' } } },
    changes: [],
  },
  {
    name: 'systemd daemon-reload only when needed',
    module: 'systemd',
    args: { name: 'k', state: 'started', daemon_reload: true },
    facts: { reads: { 'is-active': { stdout: 'active\nenabled\n\nyes\n' } } },
    changes: ['systemctl daemon-reload'],
  },
  {
    name: 'systemd twin: no unit file changed, no daemon-reload',
    module: 'systemd',
    args: { name: 'k', state: 'started', daemon_reload: true },
    facts: { reads: { 'is-active': { stdout: 'active\nenabled\n\nno\n' } } },
    changes: [],
  },
  {
    name: 'systemd stops',
    module: 'systemd',
    args: { name: 'k', state: 'stopped' },
    facts: { reads: { 'is-active': { stdout: 'active\nenabled\n\nno\n' } } },
    changes: ['systemctl stop k'],
  },
  {
    name: 'systemd twin: stopped',
    module: 'systemd',
    args: { name: 'k', state: 'stopped' },
    facts: { reads: { 'is-active': { stdout: 'inactive\nenabled\n\nno\n' } } },
    changes: [],
  },
  {
    name: 'systemd restarted always restarts',
    module: 'service',
    args: { name: 'k', state: 'restarted' },
    facts: { reads: { 'is-active': { stdout: 'active\nenabled\n\nno\n' } } },
    changes: ['systemctl restart k'],
    alwaysChanges: 'restarted restarts every time',
  },
  {
    name: 'service twin: started and running',
    module: 'service',
    args: { name: 'k', state: 'started' },
    facts: { reads: { 'is-active': { stdout: 'active\nenabled\n\nno\n' } } },
    changes: [],
  },
  {
    name: 'service starts',
    module: 'service',
    args: { name: 'k', state: 'started' },
    facts: { reads: { 'is-active': { stdout: 'inactive\nenabled\n\nno\n' } } },
    changes: ['systemctl start k'],
  },
  // get_url
  {
    name: 'get_url downloads when missing',
    module: 'get_url',
    args: {
      url: 'http://198.18.0.1/k.tgz',
      dest: '/usr/src/k.tgz',
      checksum: 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    },
    facts: { files: { '/usr/src/k.tgz': undefined as never } },
    changes: ['download http://198.18.0.1/k.tgz'],
  },
  {
    name: 'get_url twin: checksum matches',
    module: 'get_url',
    args: {
      url: 'http://198.18.0.1/k.tgz',
      dest: '/usr/src/k.tgz',
      checksum: 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    },
    facts: { files: { '/usr/src/k.tgz': { content: 'hello' } } },
    changes: [],
  },
  {
    name: 'get_url downloads again on a wrong checksum',
    module: 'get_url',
    args: {
      url: 'http://198.18.0.1/k.tgz',
      dest: '/usr/src/k.tgz',
      checksum: 'sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    },
    facts: { files: { '/usr/src/k.tgz': { content: 'other' } } },
    changes: ['download http://198.18.0.1/k.tgz'],
  },
  {
    name: 'get_url into a directory',
    module: 'get_url',
    args: { url: 'http://198.18.0.1/k.tgz', dest: '/usr/src' },
    facts: { files: { '/usr/src': { type: 'directory' }, '/usr/src/k.tgz': undefined as never } },
    changes: ['download http://198.18.0.1/k.tgz'],
  },
  {
    name: 'get_url twin: already in the directory',
    module: 'get_url',
    args: { url: 'http://198.18.0.1/k.tgz', dest: '/usr/src' },
    facts: { files: { '/usr/src': { type: 'directory' }, '/usr/src/k.tgz': { content: 'x' } } },
    changes: [],
  },
  {
    name: 'get_url require_checksum refuses without one',
    module: 'get_url',
    args: { url: 'http://198.18.0.1/k.tgz', dest: '/x', require_checksum: true },
    facts: {},
    failed: /require_checksum/,
  },
  // unarchive
  {
    name: 'unarchive unpacks',
    module: 'unarchive',
    args: { src: '/usr/src/k.tgz', dest: '/usr/src', remote_src: true, creates: '/usr/src/k/configure' },
    facts: {
      reads: {
        '[ -e /usr/src/k/configure ]': { exitCode: 1 },
        'tar -t': { stdout: 'k/\nk/configure\n' },
        '[ -e /usr/src/k ]': { exitCode: 1 },
      },
    },
    changes: ['unpack /usr/src/k.tgz into /usr/src'],
  },
  {
    name: 'unarchive twin: creates exists',
    module: 'unarchive',
    args: { src: '/usr/src/k.tgz', dest: '/usr/src', remote_src: true, creates: '/usr/src/k/configure' },
    facts: { reads: { '[ -e /usr/src/k/configure ]': { exitCode: 0 } } },
    changes: [],
  },
  // assert, debug, set_fact, wait_for
  {
    name: 'assert passes',
    module: 'assert',
    args: { that: ['x == 1'], success_msg: 'x is 1' },
    vars: { x: 1 },
    facts: {},
    changes: [],
    msg: 'x is 1',
  },
  {
    name: 'assert fails with its message',
    module: 'assert',
    args: { that: ['x == 2'], fail_msg: 'x must be 2' },
    vars: { x: 1 },
    facts: {},
    failed: /x must be 2/,
  },
  {
    name: 'wait_for port open',
    module: 'wait_for',
    args: { port: 80, timeout: 5 },
    facts: { reads: { '/dev/tcp/127.0.0.1/80': { exitCode: 0 } } },
    changes: [],
  },
  {
    name: 'wait_for timeout fails',
    module: 'wait_for',
    args: { port: 80, timeout: 5 },
    facts: { reads: { '/dev/tcp/127.0.0.1/80': { exitCode: 1 } } },
    failed: /timeout after 5s/,
  },
  { name: 'debug prints', module: 'debug', args: { msg: 'hello' }, facts: {}, changes: [], msg: 'hello' },
  { name: 'debug shows a variable', module: 'debug', args: { var: 'port' }, vars: { port: 80 }, facts: {}, changes: [], msg: 'port = 80' },
  { name: 'set_fact sets', module: 'set_fact', args: { a: 1, b: 'two' }, facts: {}, changes: [], sets: { a: 1, b: 'two' } },
  { name: 'meta flush_handlers changes nothing itself', module: 'meta', args: { action: 'flush_handlers' }, facts: {}, changes: [] },
];

describe('module decisions (fixture cases, each with an idempotent twin)', () => {
  it.each(cases)('$module: $name', async (c) => {
    const mod = findModule(c.module)!;
    const parsed = mod.schema.safeParse(c.args);
    if (!parsed.success) {
      expect(c.failed, `schema rejected: ${parsed.error.issues[0].message}`).toBeDefined();
      expect(parsed.error.issues.map((i) => i.message).join(' ')).toMatch(c.failed!);
      return;
    }
    const plan = await mod.plan(
      context(parsed.data, c.facts, {
        files: controllerFiles(c.files ?? {}),
        vars: c.vars ?? {},
        render: (t) => t.replace('{{ port }}', String(c.vars?.port)),
      }),
    );
    if (c.failed) {
      expect(plan.failed).toMatch(c.failed);
      return;
    }
    expect(plan.failed).toBeUndefined();
    expect(plan.changes.map((ch) => ch.description)).toEqual(c.changes);
    if (c.msg !== undefined) expect(plan.msg).toBe(c.msg);
    expect(plan.facts).toEqual(c.sets);
  });

  it('every registered module has cases, and every change has an idempotent twin', () => {
    const sameInputs = (a: Case, b: Case) =>
      findModule(a.module) === findModule(b.module) &&
      isDeepStrictEqual(a.args, b.args) &&
      isDeepStrictEqual(a.files, b.files) &&
      isDeepStrictEqual(a.vars, b.vars);
    for (const mod of allModules()) {
      const mine = cases.filter((c) => findModule(c.module) === mod);
      expect(mine.length, `module ${mod.name} has no fixture case`).toBeGreaterThan(0);
      for (const c of mine.filter((x) => x.changes?.length && !x.alwaysChanges)) {
        const twin = mine.find((t) => t !== c && sameInputs(t, c) && t.changes?.length === 0);
        expect(twin, `"${c.name}" needs a twin: the same arguments on a host already right, and no change`).toBeDefined();
      }
    }
  });

  it('a file write carries the wanted mode and a before/after diff', async () => {
    const mod = findModule('copy')!;
    const plan = await mod.plan(
      context(mod.schema.parse({ dest: '/etc/k.conf', content: 'b\n', mode: '0600' }), { files: { '/etc/k.conf': { content: 'a\n' } } }),
    );
    expect(plan.changes[0]).toMatchObject({ kind: 'write', path: '/etc/k.conf', mode: '0600' });
    expect(plan.diffs).toEqual([{ path: '/etc/k.conf', before: 'a\n', after: 'b\n' }]);
  });
});
