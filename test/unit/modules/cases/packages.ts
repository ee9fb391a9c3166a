import type { AptPackages } from '../../../../src/reads/apt-packages.js';
import type { ServiceInfo } from '../../../../src/reads/service-list.js';
import type { Case } from '../case.js';
import { packages, read, stat } from '../fake-reader.js';

const LIST = '/etc/apt/sources.list';
const DIR = '/etc/apt/sources.list.d';
const DEBIAN = 'deb http://deb.debian.org/debian bookworm main\n';
const LAB = 'deb [trusted=yes] file:/srv/repo ./';

/** The two reads of apt_repository: sources.list with its text, and the files of sources.list.d. */
const sources = (dir: Record<string, string> | null, list: string | 'absent' = DEBIAN) => [
  stat(LIST, { content: true }, list === 'absent' ? 'absent' : { content: list }),
  read('dir_files', { path: DIR }, dir && Object.entries(dir).map(([name, text]) => ({ name, content: Buffer.from(text) }))),
];

const KEYBLOCK = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n';
const DEB822 = [
  'X-Repolib-Name: Lab Repo_1',
  'Signed-By:',
  '    -----BEGIN PGP PUBLIC KEY BLOCK-----',
  '    .',
  '    mDMEZ',
  '    -----END PGP PUBLIC KEY BLOCK-----',
  'Suites: ./',
  'Trusted: yes',
  'Types: deb',
  'URIs: file:/srv/repo',
  '',
].join('\n');
const KEY = '7638D0442B90D010';
const keys = (args: Record<string, string>, value: { keys: string[]; given: string | null }) => read('apt_keys', args, value);
const noPackages: AptPackages = { installed: {}, candidates: {}, cacheAge: 10 };
const held = (selection: string) => read('dpkg_selection', { name: 'jq' }, selection);
const debconfShow = (value: Record<string, string>) => read('debconf_selections', { name: 'tzdata' }, value);
const ssh: ServiceInfo = { name: 'ssh.service', state: 'running', status: 'enabled', source: 'systemd' };

export const packageCases: Case[] = [
  // apt_repository
  {
    name: 'apt_repository adds a source in a file named after its URI, then updates the lists',
    module: 'apt_repository',
    args: { repo: 'deb http://ftp.example.org/debian bookworm main' },
    reads: sources({}),
    roundTrips: 1,
    changes: ['create /etc/apt/sources.list.d/ftp_example_org_debian.list', 'update package lists'],
    writes: 'deb http://ftp.example.org/debian bookworm main\n',
    data: { repo: 'deb http://ftp.example.org/debian bookworm main', state: 'present' },
  },
  {
    name: 'apt_repository twin: the source is there, spaced otherwise',
    module: 'apt_repository',
    args: { repo: 'deb http://ftp.example.org/debian bookworm main' },
    reads: sources({ 'ftp_example_org_debian.list': 'deb  http://ftp.example.org/debian   bookworm main\n' }),
    changes: [],
  },
  {
    name: 'apt_repository in check mode reports the same file, lists not updated',
    module: 'apt_repository',
    check: true,
    args: { repo: LAB, filename: 'lab', update_cache: false },
    reads: sources({ 'other.list': '' }),
    // Ansible's save removes every empty .list file once anything changes.
    changes: ['remove /etc/apt/sources.list.d/other.list', 'create /etc/apt/sources.list.d/lab.list'],
    writes: 'deb [trusted=yes] file:/srv/repo ./\n',
  },
  {
    name: 'apt_repository twin: check mode, lab.list in place',
    module: 'apt_repository',
    check: true,
    args: { repo: LAB, filename: 'lab', update_cache: false },
    reads: sources({ 'other.list': '', 'lab.list': `${LAB}\n` }),
    changes: [],
  },
  {
    name: 'apt_repository enables a commented-out source where it is, and writes the file back normalized',
    module: 'apt_repository',
    args: { repo: 'deb http://ftp.example.org/debian bookworm main', update_cache: 'no' },
    reads: sources({ 'x.list': '#deb http://ftp.example.org/debian bookworm main\n#comment\n' }),
    changes: ['update /etc/apt/sources.list.d/x.list'],
    writes: 'deb http://ftp.example.org/debian bookworm main\n# comment\n',
  },
  {
    name: 'apt_repository twin: enabled already',
    module: 'apt_repository',
    args: { repo: 'deb http://ftp.example.org/debian bookworm main', update_cache: 'no' },
    reads: sources({ 'x.list': 'deb http://ftp.example.org/debian bookworm main\n#comment\n' }),
    changes: [],
  },
  {
    name: 'apt_repository absent removes the line, and the file it leaves empty',
    module: 'ansible.builtin.apt_repository',
    args: { repo: LAB, state: 'absent', update_cache: false },
    reads: sources({ 'lab.list': `${LAB}\n` }),
    changes: ['remove /etc/apt/sources.list.d/lab.list'],
  },
  {
    name: 'apt_repository twin: absent already',
    module: 'ansible.builtin.apt_repository',
    args: { repo: LAB, state: 'absent', update_cache: false },
    reads: sources({}),
    changes: [],
  },
  {
    name: 'apt_repository refuses a line that is not deb or deb-src',
    module: 'apt_repository',
    args: { repo: 'http://ftp.example.org/debian bookworm main' },
    reads: sources({}),
    failed: /^Invalid repository string: http:/,
  },
  {
    name: 'apt_repository refuses a PPA (Launchpad is not contacted)',
    module: 'apt_repository',
    args: { repo: 'ppa:nginx/stable' },
    reads: sources({}),
    failed: /Launchpad/,
  },
  // deb822_repository (not in ansible-core 2.14: written after 2.15's module, no recording)
  {
    name: 'deb822_repository writes a .sources file named after the slug of its name',
    module: 'deb822_repository',
    args: { name: 'Lab Repo_1', uris: 'file:/srv/repo', suites: './', trusted: true, signed_by: KEYBLOCK },
    reads: [stat('/etc/apt/sources.list.d/lab-repo-1.sources', { content: true }, 'absent')],
    changes: ['create /etc/apt/sources.list.d/lab-repo-1.sources'],
    writes: DEB822,
    data: { dest: '/etc/apt/sources.list.d/lab-repo-1.sources', repo: DEB822 },
  },
  {
    name: 'deb822_repository twin: that file in place',
    module: 'deb822_repository',
    args: { name: 'Lab Repo_1', uris: 'file:/srv/repo', suites: './', trusted: true, signed_by: KEYBLOCK },
    reads: [stat('/etc/apt/sources.list.d/lab-repo-1.sources', { content: true }, { content: DEB822 })],
    changes: [],
  },
  {
    name: 'deb822_repository in check mode fixes only the mode',
    module: 'deb822_repository',
    check: true,
    args: { name: 'Lab Repo_1', uris: 'file:/srv/repo', suites: './', trusted: true, signed_by: KEYBLOCK, mode: '0600' },
    reads: [stat('/etc/apt/sources.list.d/lab-repo-1.sources', { content: true }, { content: DEB822 })],
    changes: ['mode 0644 -> 0600'],
  },
  {
    name: 'deb822_repository twin: check mode, mode 0600 already',
    module: 'deb822_repository',
    check: true,
    args: { name: 'Lab Repo_1', uris: 'file:/srv/repo', suites: './', trusted: true, signed_by: KEYBLOCK, mode: '0600' },
    reads: [stat('/etc/apt/sources.list.d/lab-repo-1.sources', { content: true }, { content: DEB822, mode: '0600' })],
    changes: [],
  },
  {
    name: 'deb822_repository absent removes the file and its keyring',
    module: 'deb822_repository',
    args: { name: 'lab', state: 'absent' },
    reads: [
      stat('/etc/apt/sources.list.d/lab.sources', { content: true }, { content: 'Types: deb\n' }),
      read('path_exists', { path: '/etc/apt/keyrings/lab.asc' }, true),
      read('path_exists', { path: '/etc/apt/keyrings/lab.gpg' }, false),
    ],
    roundTrips: 1,
    changes: ['remove /etc/apt/sources.list.d/lab.sources', 'remove /etc/apt/keyrings/lab.asc'],
  },
  {
    name: 'deb822_repository twin: absent already',
    module: 'deb822_repository',
    args: { name: 'lab', state: 'absent' },
    reads: [
      stat('/etc/apt/sources.list.d/lab.sources', { content: true }, 'absent'),
      read('path_exists', { path: '/etc/apt/keyrings/lab.asc' }, false),
      read('path_exists', { path: '/etc/apt/keyrings/lab.gpg' }, false),
    ],
    changes: [],
  },
  // apt_key
  {
    name: 'apt_key adds the key of a file on the host',
    module: 'apt_key',
    args: { file: '/tmp/lab.asc' },
    reads: [keys({ file: '/tmp/lab.asc' }, { keys: ['6ED0E7B82643E131'], given: KEY })],
    changes: [`add key ${KEY}`],
    data: { id: KEY, key_id: KEY, fp: KEY, short_id: '2B90D010', before: ['6ED0E7B82643E131'] },
  },
  {
    name: 'apt_key twin: the key is trusted already',
    module: 'apt_key',
    args: { file: '/tmp/lab.asc' },
    reads: [keys({ file: '/tmp/lab.asc' }, { keys: ['6ED0E7B82643E131', KEY], given: KEY })],
    changes: [],
  },
  {
    name: 'apt_key by a short id in check mode, into a keyring',
    module: 'apt_key',
    check: true,
    args: { id: '0x2b90d010', data: 'KEYDATA', keyring: '/etc/apt/trusted.gpg.d/lab.gpg' },
    reads: [keys({ keyring: '/etc/apt/trusted.gpg.d/lab.gpg' }, { keys: [], given: null })],
    changes: ['add key 2B90D010'],
  },
  {
    name: 'apt_key twin: short id compared with the listed ids shortened',
    module: 'apt_key',
    check: true,
    args: { id: '0x2b90d010', data: 'KEYDATA', keyring: '/etc/apt/trusted.gpg.d/lab.gpg' },
    reads: [keys({ keyring: '/etc/apt/trusted.gpg.d/lab.gpg' }, { keys: [KEY], given: null })],
    changes: [],
  },
  {
    name: 'apt_key absent deletes by the short id',
    module: 'apt_key',
    args: { id: KEY, state: 'absent' },
    reads: [keys({}, { keys: [KEY], given: null })],
    changes: [`remove key ${KEY}`],
  },
  {
    name: 'apt_key twin: absent already',
    module: 'apt_key',
    args: { id: KEY, state: 'absent' },
    reads: [keys({}, { keys: [], given: null })],
    changes: [],
  },
  {
    name: 'apt_key refuses a bad id',
    module: 'apt_key',
    args: { id: 'xyz' },
    reads: [keys({}, { keys: [], given: null })],
    failed: /Invalid key_id/,
  },
  {
    name: 'apt_key refuses a key server at load',
    module: 'apt_key',
    args: { id: KEY, keyserver: 'keyserver.ubuntu.com' },
    reads: [],
    failed: /key servers/,
  },
  // debconf
  {
    name: 'debconf sets an unanswered question',
    module: 'debconf',
    args: { name: 'tzdata', question: 'tzdata/Areas', vtype: 'select', value: 'Europe' },
    reads: [debconfShow({ 'tzdata/Areas': 'Etc' })],
    changes: ['set tzdata/Areas (select)'],
    data: { current: { 'tzdata/Areas': 'Europe' }, previous: { 'tzdata/Areas': 'Etc' } },
  },
  {
    name: 'debconf twin: answered so',
    module: 'debconf',
    args: { name: 'tzdata', question: 'tzdata/Areas', vtype: 'select', value: 'Europe' },
    reads: [debconfShow({ 'tzdata/Areas': 'Europe' })],
    changes: [],
  },
  {
    name: 'debconf in check mode: a YAML boolean against another answer',
    module: 'debconf',
    check: true,
    args: { pkg: 'tzdata', setting: 'tzdata/x', vtype: 'boolean', answer: true },
    reads: [debconfShow({ 'tzdata/x': 'false' })],
    changes: ['set tzdata/x (boolean)'],
  },
  {
    name: 'debconf twin: check mode, a boolean compared case-blind',
    module: 'debconf',
    check: true,
    args: { pkg: 'tzdata', setting: 'tzdata/x', vtype: 'boolean', answer: true },
    reads: [debconfShow({ 'tzdata/x': 'true' })],
    changes: [],
  },
  {
    name: 'debconf with only a name returns every answer',
    module: 'debconf',
    args: { name: 'tzdata' },
    reads: [debconfShow({ 'tzdata/Areas': 'Etc' })],
    changes: [],
    data: { current: { 'tzdata/Areas': 'Etc' } },
  },
  {
    name: 'debconf wants question, vtype and value together',
    module: 'debconf',
    args: { name: 'tzdata', question: 'q' },
    reads: [],
    failed: /together/,
  },
  // dpkg_selections
  {
    name: 'dpkg_selections holds a package',
    module: 'dpkg_selections',
    args: { name: 'jq', selection: 'hold' },
    reads: [held('install')],
    changes: ['jq: install -> hold'],
    data: { before: 'install', after: 'hold' },
  },
  {
    name: 'dpkg_selections twin: held',
    module: 'dpkg_selections',
    args: { name: 'jq', selection: 'hold' },
    reads: [held('hold')],
    changes: [],
  },
  {
    name: 'dpkg_selections in check mode, a package dpkg does not know',
    module: 'dpkg_selections',
    check: true,
    args: { name: 'jq', selection: 'install' },
    reads: [held('not present')],
    changes: ['jq: not present -> install'],
  },
  {
    name: 'dpkg_selections twin: check mode, selected for install',
    module: 'dpkg_selections',
    check: true,
    args: { name: 'jq', selection: 'install' },
    reads: [held('install')],
    changes: [],
  },
  // package_facts, service_facts
  {
    name: 'package_facts returns the packages fact, a list per name',
    module: 'package_facts',
    args: { manager: 'auto' },
    reads: [
      read(
        'installed_packages',
        {},
        { jq: [{ name: 'jq', version: '1.6', arch: 'amd64', category: 'utils', origin: 'Debian', source: 'apt' }] },
      ),
    ],
    changes: [],
    returns: { packages: { jq: [{ name: 'jq', version: '1.6', arch: 'amd64', category: 'utils', origin: 'Debian', source: 'apt' }] } },
  },
  {
    name: 'service_facts returns the services fact',
    module: 'service_facts',
    args: {},
    reads: [read('service_list', {}, { 'ssh.service': ssh })],
    changes: [],
    returns: { services: { 'ssh.service': ssh } },
  },
  // apt: upgrade, deb, only_upgrade, allow_downgrade, policy_rc_d, autoclean
  {
    name: 'apt upgrade=dist runs dist-upgrade when the simulation upgrades something',
    module: 'apt',
    args: { upgrade: 'dist' },
    reads: [packages([], noPackages), read('apt_simulation', { operation: 'dist-upgrade' }, { packages: ['libc6'] })],
    roundTrips: 1,
    changes: ['dist-upgrade libc6'],
  },
  {
    name: 'apt twin: upgrade=dist with nothing to upgrade',
    module: 'apt',
    args: { upgrade: 'dist' },
    reads: [packages([], noPackages), read('apt_simulation', { operation: 'dist-upgrade' }, { packages: [] })],
    changes: [],
  },
  {
    name: 'apt upgrade=yes (a YAML boolean) in check mode: upgrade --with-new-pkgs',
    module: 'apt',
    check: true,
    args: { upgrade: true, policy_rc_d: 101 },
    reads: [packages([], noPackages), read('apt_simulation', { operation: 'upgrade' }, { packages: ['jq'] })],
    changes: ['upgrade jq'],
  },
  {
    name: 'apt twin: check mode, upgrade=yes with nothing to upgrade',
    module: 'apt',
    check: true,
    args: { upgrade: true, policy_rc_d: 101 },
    reads: [packages([], noPackages), read('apt_simulation', { operation: 'upgrade' }, { packages: [] })],
    changes: [],
  },
  {
    name: 'apt deb installs a .deb whose version is not installed',
    module: 'apt',
    args: { deb: '/tmp/hello.deb' },
    reads: [packages([], noPackages), read('deb_file', { path: '/tmp/hello.deb' }, { name: 'hello', version: '1.1', installed: '1.0' })],
    changes: ['install hello 1.1 from /tmp/hello.deb'],
  },
  {
    name: 'apt twin: that .deb installed',
    module: 'apt',
    args: { deb: '/tmp/hello.deb' },
    reads: [packages([], noPackages), read('deb_file', { path: '/tmp/hello.deb' }, { name: 'hello', version: '1.1', installed: '1.1' })],
    changes: [],
  },
  {
    name: 'apt only_upgrade installs nothing new, upgrades what is there',
    module: 'apt',
    args: { name: ['jq', 'tree'], state: 'latest', only_upgrade: true },
    reads: [packages(['jq', 'tree'], { installed: { jq: '1.5' }, candidates: { jq: '1.6', tree: '2.1' }, cacheAge: 10 }, true)],
    changes: ['install jq'],
  },
  {
    name: 'apt twin: only_upgrade, jq at its candidate',
    module: 'apt',
    args: { name: ['jq', 'tree'], state: 'latest', only_upgrade: true },
    reads: [packages(['jq', 'tree'], { installed: { jq: '1.6' }, candidates: { jq: '1.6', tree: '2.1' }, cacheAge: 10 }, true)],
    changes: [],
  },
  {
    name: 'apt pins a version; allow_downgrade lets it go down',
    module: 'apt',
    args: { name: 'jq=1.5*', allow_downgrade: true },
    reads: [packages(['jq'], { installed: { jq: '1.6' }, candidates: {}, cacheAge: 10 })],
    changes: ['install jq=1.5*'],
  },
  {
    name: 'apt twin: the pinned version installed',
    module: 'apt',
    args: { name: 'jq=1.5*', allow_downgrade: true },
    reads: [packages(['jq'], { installed: { jq: '1.5-2' }, candidates: {}, cacheAge: 10 })],
    changes: [],
  },
  {
    name: 'apt autoclean removes what the simulation would delete',
    module: 'apt',
    args: { autoclean: true },
    reads: [packages([], noPackages), read('apt_simulation', { operation: 'autoclean' }, { packages: ['jq'] })],
    changes: ['autoclean jq'],
  },
  {
    name: 'apt twin: autoclean with nothing to delete',
    module: 'apt',
    args: { autoclean: true },
    reads: [packages([], noPackages), read('apt_simulation', { operation: 'autoclean' }, { packages: [] })],
    changes: [],
  },
  { name: 'apt refuses deb with name', module: 'apt', args: { deb: '/tmp/x.deb', name: 'jq' }, reads: [], failed: /mutually exclusive/ },
];
