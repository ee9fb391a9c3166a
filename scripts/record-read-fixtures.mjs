#!/usr/bin/env node
// Records the fixture cases of every read (test/unit/reads/<read>.json) from a real host: the
// command each read builds, what the host printed, and what the parser made of it. Review the
// parsed values by eye before committing them; the unit test then holds the parsers to them.
//   npm run build && node scripts/record-read-fixtures.mjs INVENTORY HOST [READ...]
// With READ names, only those reads' files are written (the others stay as recorded).
import { writeFileSync } from 'node:fs';
import { loadInventory } from '../dist/config/inventory.js';
import { toJson } from '../dist/core/read-value.js';
import { connectHost } from '../dist/engine/connect.js';
import { allReads } from '../dist/reads/registry.js';

const [inventoryFile, hostName, ...only] = process.argv.slice(2);
if (!inventoryFile || !hostName) {
  console.error('usage: node scripts/record-read-fixtures.mjs INVENTORY HOST');
  process.exit(5);
}

/** Made on the host first: an archive, a link, a file with a secret-looking mode. */
const SETUP = [
  'set -e',
  'rm -rf /tmp/pf && mkdir -p /tmp/pf/k',
  'printf "hi\\n" > /tmp/pf/k/configure && chmod 0600 /tmp/pf/k/configure',
  'tar -czf /tmp/pf/k.tgz -C /tmp/pf k',
  'ln -s k/configure /tmp/pf/link',
  'mkdir -p /tmp/pf/tree/sub && printf "a\\n" > /tmp/pf/tree/a.conf && printf "b\\n" > "/tmp/pf/tree/sub/b c" && chmod 0600 /tmp/pf/tree/a.conf',
  'ln -sfn a.conf /tmp/pf/tree/l',
  'head -c 2000000 /dev/zero > /tmp/pf/big',
  'touch -m -t 202401021530.45 /tmp/pf/k/configure',
  'getent group pfgroup >/dev/null || groupadd -g 2999 pfgroup',
  'id pfuser >/dev/null 2>&1 || useradd -m -u 2999 -g pfgroup -G sudo -s /bin/bash -c "PF User" -p "\\$6\\$x\\$y" pfuser',
].join('\n');

const CASES = {
  file_state: [
    ['a small file with content', { path: '/tmp/pf/k/configure', content: true }],
    ['a file with its checksum only', { path: '/tmp/pf/k/configure', checksum: true }],
    ['a file too large to pull back', { path: '/tmp/pf/big', content: true }],
    ['a symbolic link is not followed', { path: '/tmp/pf/link', content: true }],
    ['a directory', { path: '/tmp/pf', checksum: true }],
    ['an absent path', { path: '/tmp/pf/none', content: true }],
    ['a path with a space and a quote', { path: "/tmp/pf/it's here" }],
  ],
  apt_packages: [
    ['installed and missing packages', { names: ['openssh-server', 'no-such-package'], latest: false }],
    ['candidates for state=latest', { names: ['openssh-server'], latest: true }],
    ['no packages: only the cache age', { names: [], latest: false }],
  ],
  unit_state: [
    ['a running, enabled unit', { name: 'ssh.service' }],
    ['an unknown unit', { name: 'no-such.service' }],
    ['no unit: daemon_reload alone', {}],
  ],
  host_facts: [['a lab host', {}]],
  apt_autoremovable: [['nothing to autoremove', {}]],
  file_bytes: [
    ['a file', { path: '/tmp/pf/k/configure' }],
    ['a missing file', { path: '/tmp/pf/none' }],
  ],
  file_times: [
    ['a file with a set modification time', { path: '/tmp/pf/k/configure' }],
    ['an absent path', { path: '/tmp/pf/none' }],
  ],
  path_stat: [
    ['a file with its sha1', { path: '/tmp/pf/k/configure', checksum: true }],
    ['a link, not followed', { path: '/tmp/pf/link', checksum: true }],
    ['a link, followed', { path: '/tmp/pf/link', follow: true }],
    ['a directory', { path: '/tmp/pf' }],
    ['an absent path', { path: '/tmp/pf/none' }],
  ],
  sysctl_value: [
    ['a key with several values', { name: 'net.ipv4.tcp_rmem' }],
    ['an unknown key', { name: 'net.no.such.key' }],
  ],
  user_account: [
    ['a user, its groups and a key file', { name: 'pfuser', groups: ['sudo', 'nosuchgroup'], keyFile: '.ssh/id_rsa' }],
    ['no such user', { name: 'nosuchuser', groups: [] }],
  ],
  group_entry: [
    ['a group with a member', { name: 'sudo' }],
    ['no such group', { name: 'nosuchgroup' }],
  ],
  mount_point: [
    ['the root is a mount point', { path: '/' }],
    ['a folder that is not', { path: '/tmp/pf' }],
  ],
  tree_state: [
    ['a folder with a subfolder, files and a link', { path: '/tmp/pf/tree' }],
    ['a file is not a folder', { path: '/tmp/pf/k/configure' }],
    ['an absent path', { path: '/tmp/pf/none' }],
  ],
  path_exists: [
    ['present', { path: '/tmp/pf/k.tgz' }],
    ['absent', { path: '/tmp/pf/none' }],
  ],
  archive_entry: [
    ['a gzipped tarball', { path: '/tmp/pf/k.tgz' }],
    ['a missing archive', { path: '/tmp/pf/none.tgz' }],
  ],
  wait_until: [
    ['a listening port', { host: '127.0.0.1', port: 22, state: 'started', timeout: 0, delay: 0, sleep: 1 }],
    ['a closed port, no time to wait', { host: '127.0.0.1', port: 1, state: 'started', timeout: 0, delay: 0, sleep: 1 }],
    ['a path that must be absent', { host: '127.0.0.1', path: '/tmp/pf/none', state: 'absent', timeout: 0, delay: 0, sleep: 1 }],
  ],
};

const inv = loadInventory(inventoryFile);
const host = inv.hosts.get(hostName);
if (!host) throw new Error(`no host ${hostName} in ${inventoryFile}`);
const transport = await connectHost(host, { inventoryFile });
try {
  const setup = await transport.exec(SETUP);
  if (setup.exitCode !== 0) throw new Error(`setup failed: ${setup.stderr}`);
  for (const read of allReads.filter((r) => only.length === 0 || only.includes(r.name))) {
    const cases = CASES[read.name];
    if (!cases) throw new Error(`no cases for the read ${read.name}`);
    const recorded = [];
    for (const [name, args] of cases) {
      const command = read.command(args);
      const r = await transport.exec(command, { read: true });
      const text = r.stdoutBytes.toString('utf8');
      const stdout = Buffer.from(text, 'utf8').equals(r.stdoutBytes)
        ? { stdout: text }
        : { stdoutBase64: r.stdoutBytes.toString('base64') };
      let parsed;
      try {
        parsed = { value: toJson(read.parse(r, args)) ?? null };
      } catch (err) {
        parsed = { error: err.message };
      }
      recorded.push({ name, args, command, output: { exitCode: r.exitCode, ...stdout, stderr: r.stderr }, ...parsed });
    }
    writeFileSync(`test/unit/reads/${read.name}.json`, `${JSON.stringify(recorded, null, 2)}\n`);
    console.log(`${read.name}: ${recorded.length} cases`);
  }
} finally {
  await transport.close();
}
