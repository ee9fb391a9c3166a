#!/usr/bin/env node
// Records the fixture cases of every read (test/unit/reads/<read>.json) from a real host: the
// command each read builds, what the host printed, and what the parser made of it. Review the
// parsed values by eye before committing them; the unit test then holds the parsers to them.
//   npm run build && node scripts/record-read-fixtures.mjs INVENTORY HOST [READ...]
// Naming reads records only those (the others' files stay as they are). http_request needs python3
// on the host (apt-get install -y python3); its cases and remote_archive_entry's were recorded with the same commands run by sh
// against a static server on the controller's loopback.
import { writeFileSync } from 'node:fs';
import { loadInventory } from '../dist/config/inventory.js';
import { toJson } from '../dist/core/read-value.js';
import { connectHost } from '../dist/engine/connect.js';
import { allReads } from '../dist/reads/registry.js';

const [inventoryFile, hostName, ...only] = process.argv.slice(2);
if (!inventoryFile || !hostName) {
  console.error('usage: node scripts/record-read-fixtures.mjs INVENTORY HOST [READ...]');
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
  'printf "x\\n" > "/tmp/pf/back\\\\slash"',
  'touch -m -t 202401021530.45 /tmp/pf/k/configure',
  'getent group pfgroup >/dev/null || groupadd -g 2999 pfgroup',
  // The packaging reads: a key made on the host (gnupg is installed for it), a .deb built there.
  'command -v gpg >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnupg >/dev/null',
  'if [ ! -e /tmp/pf-lab.asc ]; then export GNUPGHOME=$(mktemp -d); gpg --batch --passphrase "" --quick-gen-key "Lab <lab@example.org>" ed25519 sign never 2>/dev/null; gpg --armor --export lab@example.org > /tmp/pf-lab.asc; fi',
  'cp /tmp/pf-lab.asc /tmp/pf/lab.asc',
  'mkdir -p /tmp/pf/deb/DEBIAN && printf "Package: pf-hello\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: pf <pf@example.org>\\nDescription: pf\\n" > /tmp/pf/deb/DEBIAN/control',
  'dpkg-deb --build /tmp/pf/deb /tmp/pf/hello.deb >/dev/null',
  'id pfuser >/dev/null 2>&1 || useradd -m -u 2999 -g pfgroup -G sudo -s /bin/bash -c "PF User" -p "\\$6\\$x\\$y" pfuser',
  'printf \'{"up": true}\\n\' > /tmp/pf/health.json',
  // A static server for http_request, on the host's loopback only, gone after a minute.
  'if command -v python3 >/dev/null; then (cd /tmp/pf && timeout 60 python3 -m http.server 18089 --bind 127.0.0.1 >/dev/null 2>&1 &); sleep 1; fi',
  'command -v crontab >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q cron >/dev/null',
  'printf \'MAILTO="ops"\\n#Ansible: backup\\n30 2 * * * /usr/local/bin/backup\\n\' | crontab -u pfuser -',
  'crontab -r -u root 2>/dev/null || true',
  // git_checkout: a repository made on the host with a branch and an annotated tag, and a clone of it with a local edit.
  'command -v git >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q git >/dev/null',
  'rm -rf /tmp/pf-repo /tmp/pf-clone && git init -q -b main /tmp/pf-repo && cd /tmp/pf-repo && printf "one\\n" > README && git add README',
  'git -c user.name=pf -c user.email=pf@example.org commit -q -m one && git branch stable && git -c user.name=pf -c user.email=pf@example.org tag -a v1 -m v1 && cd /',
  'git clone -q /tmp/pf-repo /tmp/pf-clone && printf "edit\\n" >> /tmp/pf-clone/README && touch /tmp/pf-clone/untracked',
  'printf "git.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJWplAYNR32\\n" > ~/.pf-known',
  // unit_state's scopes: a unit for every user's manager (left disabled), and root's own manager
  // (kept running by lingering) running another.
  'printf "[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=default.target\\n" > /etc/systemd/user/lab-agent.service',
  'mkdir -p /root/.config/systemd/user && cp /etc/systemd/user/lab-agent.service /root/.config/systemd/user/agent.service',
  'dpkg -s libpam-systemd >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q dbus libpam-systemd >/dev/null && systemctl start dbus systemd-logind; }',
  'loginctl enable-linger root && systemctl start user@0.service && for i in 1 2 3 4 5 6 7 8 9 10; do [ -S /run/user/0/systemd/private ] && break; sleep 1; done',
  'XDG_RUNTIME_DIR=/run/user/0 systemctl --user daemon-reload && XDG_RUNTIME_DIR=/run/user/0 systemctl --user enable --now agent.service 2>/dev/null',
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
    ['a name sha256sum escapes (a backslash): the digest still read', { path: '/tmp/pf/back\\slash', checksum: true }],
  ],
  apt_packages: [
    ['installed and missing packages', { names: ['openssh-server', 'no-such-package'], latest: false }],
    ['candidates for state=latest', { names: ['openssh-server'], latest: true }],
    ['no packages: only the cache age', { names: [], latest: false }],
  ],
  unit_state: [
    ['a running, enabled unit', { name: 'ssh.service' }],
    ['an alias (is-enabled says alias)', { name: 'sshd' }],
    ['a template (no state of its own)', { name: 'getty@.service' }],
    ['an unknown unit', { name: 'no-such.service' }],
    ["every user's unit files: only their enablement, no manager to ask", { name: 'lab-agent.service', scope: 'global' }],
    ["the connected user's manager, found through XDG_RUNTIME_DIR", { name: 'agent.service', scope: 'user' }],
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
  remote_archive_entry: [
    ['a gzipped tarball at a URL', { url: 'http://127.0.0.1:18089/k.tgz', validate_certs: true, timeout: 10 }],
    ['a URL that answers 404', { url: 'http://127.0.0.1:18089/none.tgz', validate_certs: true, timeout: 10 }],
  ],
  http_request: [
    [
      'a JSON file',
      {
        url: 'http://127.0.0.1:18089/health.json',
        method: 'GET',
        headers: {},
        body: null,
        timeout: 5,
        validate_certs: true,
        follow_redirects: 'safe',
      },
    ],
    [
      'a POST the static server refuses',
      {
        url: 'http://127.0.0.1:18089/health.json',
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"a": 1}',
        timeout: 5,
        validate_certs: true,
        follow_redirects: 'safe',
      },
    ],
    [
      'nothing listening',
      {
        url: 'http://127.0.0.1:18090/',
        method: 'GET',
        headers: {},
        body: null,
        timeout: 5,
        validate_certs: true,
        follow_redirects: 'safe',
      },
    ],
  ],
  apt_keys: [
    ['the keys apt trusts', {}],
    ['and the id of a key file', { file: '/tmp/pf/lab.asc' }],
    ['a keyring that does not exist', { keyring: '/etc/apt/trusted.gpg.d/none.gpg' }],
  ],
  apt_simulation: [
    ['a dist-upgrade', { operation: 'dist-upgrade' }],
    ['an autoclean', { operation: 'autoclean' }],
  ],
  deb_file: [
    ['a .deb not installed', { path: '/tmp/pf/hello.deb' }],
    ['no such file', { path: '/tmp/pf/none.deb' }],
  ],
  debconf_selections: [
    ["debconf's own questions", { name: 'debconf' }],
    ['a package without questions', { name: 'no-such-package' }],
  ],
  dpkg_selection: [
    ['an installed package', { name: 'openssh-server' }],
    ['a package dpkg does not know', { name: 'no-such-package' }],
  ],
  installed_packages: [['a lab host', {}]],
  service_list: [['a lab host', {}]],
  user_crontab: [
    ['a user crontab', { user: 'pfuser' }],
    ['no crontab', { user: 'root' }],
  ],
  hostname_state: [
    ['the name the host has', { name: 'ms-1' }],
    ['a name that does not resolve', { name: 'web1.example.com' }],
  ],
  timezone_state: [
    ['a zone with a zoneinfo file', { name: 'Europe/Paris' }],
    ['a zone without one', { name: 'Mars/Base' }],
    ['hwclock only', {}],
  ],
  installed_locales: [['a lab host', {}]],
  home_file: [
    ['a file under the home folder', { path: '~/.pf-known' }],
    ['a missing file', { path: '~/.pf-none' }],
    ['a missing folder', { path: '/tmp/pf/none/known_hosts' }],
  ],
  getent_db: [
    ['one user', { database: 'passwd', key: 'pfuser' }],
    ['a missing key', { database: 'passwd', key: 'nosuchuser' }],
    ['an unknown database', { database: 'nosuchdb' }],
    ['a whole database', { database: 'hosts' }],
  ],
  git_checkout: [
    [
      'no clone yet: the remote refs',
      {
        repo: 'file:///tmp/pf-repo',
        dest: '/tmp/pf/none',
        remote: 'origin',
        bare: false,
        git: 'git',
        version: 'v1',
        sshEnv: "export GIT_SSH_COMMAND='ssh -o BatchMode=yes'",
      },
    ],
    [
      'a clone with a local edit',
      {
        repo: 'file:///tmp/pf-repo',
        dest: '/tmp/pf-clone',
        remote: 'origin',
        bare: false,
        git: 'git',
        version: 'HEAD',
        sshEnv: "export GIT_SSH_COMMAND='ssh -o BatchMode=yes'",
      },
    ],
    [
      'a repository that is not there',
      { repo: 'file:///tmp/pf/none.git', dest: '/tmp/pf/none', remote: 'origin', bare: false, git: 'git', version: 'HEAD', sshEnv: '' },
    ],
    [
      'no such git program',
      {
        repo: 'file:///tmp/pf-repo',
        dest: '/tmp/pf/none',
        remote: 'origin',
        bare: false,
        git: '/usr/bin/no-git',
        version: 'HEAD',
        sshEnv: '',
      },
    ],
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
