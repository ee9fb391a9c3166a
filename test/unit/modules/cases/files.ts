import { expect } from 'vitest';
import type { Case } from '../case.js';
import { read, stat } from '../fake-reader.js';

const motd = Buffer.from('welcome\n');

// The fragments of /tmp/fr as recorded beside Ansible's assemble (expected outputs are what Ansible wrote).
const fragments = read('dir_files', { path: '/etc/app.d' }, [
  { name: '20-b', content: Buffer.from('b-no-newline') },
  { name: '10-a', content: Buffer.from('a1\n') },
  { name: '.hidden', content: Buffer.from('h\n') },
  { name: '30-c.conf', content: Buffer.from('c\n') },
]);
const assembled = (content: string | 'absent') => stat('/etc/app.conf', { content: true }, content === 'absent' ? 'absent' : { content });

const entry = (path: string, type: 'file' | 'directory' | 'link', extra: Record<string, unknown> = {}) => ({
  path,
  type,
  dirLike: type === 'directory',
  mode: type === 'directory' ? '0755' : '0644',
  uid: 0,
  gid: 0,
  pw_name: 'root',
  gr_name: 'root',
  size: 10,
  mtime: 1700000000,
  atime: 1700000000,
  ctime: 1700000000,
  inode: 1,
  dev: 2,
  nlink: 1,
  ...extra,
});
// find's order (a folder's subtree right after it), which the module turns into os.walk's.
const tree = [
  entry('/etc/app/conf.d', 'directory'),
  entry('/etc/app/conf.d/b.conf', 'file'),
  entry('/etc/app/a.conf', 'file', { size: 5000 }),
  entry('/etc/app/.hidden.conf', 'file'),
  entry('/etc/app/notes.txt', 'file'),
];
const listing = (args: Record<string, unknown>, value: unknown) =>
  read('dir_entries', { path: '/etc/app', follow: false, ...args }, value as never);

// copy with a folder src, from the controller and on the host (remote_src).
const site = { 'site/index.html': 'hi\n', 'site/css/a.css': 'x\n' };
const dir = (path: string, mode = '0755') => stat(path, {}, { type: 'directory', mode });
const treeEntry = (rel: string, type: 'file' | 'directory', sha256?: string) => ({
  rel,
  type,
  mode: type === 'directory' ? '0755' : '0644',
  owner: 'root',
  group: 'root',
  ...(sha256 ? { sha256 } : {}),
});
const tplTree = [treeEntry('conf.d', 'directory'), treeEntry('conf.d/a.conf', 'file', 'aa'), treeEntry('main.conf', 'file', 'mm')];
const remoteReads = (
  a: { src: string; dest: string; inner: string; target: string },
  v: { dest: unknown; inner: unknown; target: unknown },
) => [
  read(
    'file_state',
    { path: a.src, checksum: true },
    { exists: true, path: a.src, type: 'directory', mode: '0755', owner: 'root', group: 'root', size: 0 },
  ),
  read('tree_state', { path: a.src }, tplTree),
  read('file_state', { path: a.dest, checksum: true }, v.dest as never),
  read('file_state', { path: a.inner, checksum: true }, v.inner as never),
  read('tree_state', { path: a.target }, v.target as never),
];
const absent = (path: string) => ({ exists: false, path });
const dirState = (path: string) => ({ exists: true, path, type: 'directory', mode: '0755', owner: 'root', group: 'root', size: 0 });
const bashrc = (path: string, sha: string) => ({
  exists: true,
  path,
  type: 'file',
  mode: '0644',
  owner: 'root',
  group: 'root',
  size: 3,
  sha256: sha,
});

// file: recurse, state=hard, times in a format of one's own.
const appTree = (mode: string, owner: string) => [
  entry('/srv/app/lib', 'directory', { mode: mode === '0640' ? '0750' : mode, pw_name: owner }),
  entry('/srv/app/lib/x.py', 'file', { mode, pw_name: owner }),
  entry('/srv/app/current', 'link', { mode: '0777', pw_name: owner }),
];
// find -L's listing: the link's path carries what it points to (a file here).
const appTreeLinked = (mode: string, owner: string) => [
  ...appTree(mode, owner).slice(0, 2),
  entry('/srv/app/current', 'file', { mode, pw_name: owner }),
];
const appListings = (mode: string, owner: string) => [
  read('dir_entries', { path: '/srv/app', follow: false }, appTree(mode, owner)),
  read('dir_entries', { path: '/srv/app', follow: true }, appTreeLinked(mode, owner)),
];
const inode = (path: string, ino: number, extra: Record<string, unknown> = {}) =>
  read('path_stat', { path }, { ...passwdLike, inode: ino, ...extra });
const passwdLike = {
  exists: true,
  type: 'file',
  mode: '0644',
  uid: 0,
  gid: 0,
  pw_name: 'root',
  gr_name: 'root',
  size: 3,
  mtime: 1700000000,
  atime: 1700000000,
  ctime: 1700000000,
  inode: 1,
  dev: 2,
  nlink: 1,
  blocks: 8,
  block_size: 4096,
  device_type: 0,
  readable: true,
  writeable: true,
  executable: false,
};

export const fileCases: Case[] = [
  {
    name: 'fetch copies a changed host file to DEST/HOST/SRC on the controller',
    module: 'ansible.builtin.fetch',
    args: { src: '/etc/motd', dest: 'out' },
    reads: [read('file_bytes', { path: '/etc/motd' }, motd)],
    files: { '/controller/out/h1/etc/motd': 'old\n' },
    roundTrips: 1,
    changes: ['fetch /etc/motd to /controller/out/h1/etc/motd'],
    data: { dest: '/controller/out/h1/etc/motd', checksum: '85fcd345dd2c8f9e3199adb5459a5e1dc2d4e76c' },
  },
  {
    name: 'fetch twin: the controller has the same bytes',
    module: 'ansible.builtin.fetch',
    args: { src: '/etc/motd', dest: 'out' },
    reads: [read('file_bytes', { path: '/etc/motd' }, Buffer.from('old\n'))],
    files: { '/controller/out/h1/etc/motd': 'old\n' },
    changes: [],
  },
  {
    name: 'fetch flat into a folder (trailing slash)',
    module: 'fetch',
    args: { src: '/etc/motd', dest: '/tmp/got/', flat: true },
    reads: [read('file_bytes', { path: '/etc/motd' }, Buffer.from('changed\n'))],
    files: { '/tmp/got/motd': 'welcome\n' },
    changes: ['fetch /etc/motd to /tmp/got/motd'],
  },
  {
    name: 'fetch twin: flat, same bytes',
    module: 'fetch',
    args: { src: '/etc/motd', dest: '/tmp/got/', flat: true },
    reads: [read('file_bytes', { path: '/etc/motd' }, motd)],
    files: { '/tmp/got/motd': 'welcome\n' },
    changes: [],
  },
  {
    name: "fetch of a missing file fails with Ansible's message",
    module: 'fetch',
    args: { src: '/nope', dest: 'out' },
    reads: [read('file_bytes', { path: '/nope' }, null)],
    failed: /^the remote file does not exist, not transferring, ignored$/,
  },
  {
    name: 'fetch of a missing file with fail_on_missing: no is ok',
    module: 'fetch',
    args: { src: '/nope', dest: 'out', fail_on_missing: false },
    reads: [read('file_bytes', { path: '/nope' }, null)],
    changes: [],
  },

  {
    name: 'find lists files by glob, in os.walk order, with Ansible keys',
    module: 'ansible.builtin.find',
    args: { paths: '/etc/app', patterns: '*.conf', recurse: true },
    reads: [listing({}, tree)],
    roundTrips: 1,
    changes: [],
    data: {
      matched: 2,
      examined: 5,
      files: [
        { path: '/etc/app/a.conf', isreg: true, mode: '0644', size: 5000, rusr: true, xusr: false },
        { path: '/etc/app/conf.d/b.conf', isreg: true },
      ],
    },
  },
  {
    name: 'find one level only, directories, hidden names skipped',
    module: 'find',
    args: { path: '/etc/app', file_type: 'directory' },
    reads: [
      listing(
        { maxDepth: 1 },
        tree.filter((e) => e.path.split('/').length === 4),
      ),
    ],
    changes: [],
    data: { matched: 1, files: [{ path: '/etc/app/conf.d', isdir: true }] },
  },
  {
    name: 'find with a size and a Python regex, a missing folder skipped',
    module: 'find',
    args: { paths: ['/etc/app', '/nope'], use_regex: true, patterns: ['^[an]'], size: '1k', recurse: true },
    reads: [listing({}, tree), read('dir_entries', { path: '/nope', follow: false }, null)],
    roundTrips: 1,
    changes: [],
    msg: 'Not all paths examined, check warnings for details',
    data: { matched: 1, files: [{ path: '/etc/app/a.conf' }], skipped_paths: { '/nope': "'/nope' is not a directory" } },
  },

  {
    name: 'tempfile creates a file under /tmp, named before it runs',
    module: 'ansible.builtin.tempfile',
    args: { suffix: '.conf' },
    reads: [],
    roundTrips: 0,
    alwaysChanges: 'a new name each run, as Ansible',
    changes: [expect.stringMatching(/^create \/tmp\/ansible\.[a-z0-9_]{8}\.conf$/)],
    data: { state: 'file', path: expect.stringMatching(/^\/tmp\/ansible\.[a-z0-9_]{8}\.conf$/) },
  },
  {
    name: 'tempfile a directory with a prefix',
    module: 'tempfile',
    args: { state: 'directory', path: '/var/tmp', prefix: 'build-' },
    reads: [],
    alwaysChanges: 'a new name each run, as Ansible',
    changes: [expect.stringMatching(/^create directory \/var\/tmp\/build-[a-z0-9_]{8}$/)],
  },

  {
    name: "assemble joins a host folder's fragments in name order, as Ansible does",
    module: 'ansible.builtin.assemble',
    args: { src: '/etc/app.d', dest: '/etc/app.conf' },
    reads: [fragments, assembled('absent')],
    roundTrips: 1,
    changes: ['create /etc/app.conf'],
    writes: 'h\na1\nb-no-newline\nc\n',
  },
  {
    name: 'assemble twin: the file is already assembled',
    module: 'ansible.builtin.assemble',
    args: { src: '/etc/app.d', dest: '/etc/app.conf' },
    reads: [fragments, assembled('h\na1\nb-no-newline\nc\n')],
    changes: [],
  },
  {
    name: 'assemble with a delimiter, hidden fragments left out',
    module: 'assemble',
    args: { src: '/etc/app.d', dest: '/etc/app.conf', delimiter: '### part', ignore_hidden: true },
    reads: [fragments, assembled('old\n')],
    changes: ['update /etc/app.conf'],
    writes: 'a1\n### part\nb-no-newline\n### part\nc\n',
  },
  {
    name: 'assemble twin: delimiter, already assembled',
    module: 'assemble',
    args: { src: '/etc/app.d', dest: '/etc/app.conf', delimiter: '### part', ignore_hidden: true },
    reads: [fragments, assembled('a1\n### part\nb-no-newline\n### part\nc\n')],
    changes: [],
  },
  {
    name: 'assemble with a regexp and an escaped delimiter',
    module: 'assemble',
    args: { src: '/etc/app.d', dest: '/etc/app.conf', regexp: '^[0-9]+-[ab]$', delimiter: '--\\n' },
    reads: [fragments, assembled('absent')],
    changes: ['create /etc/app.conf'],
    writes: 'a1\n--\nb-no-newline',
    data: { checksum: 'b8c363300774342c3a3843c8a4f317426e83e8fb', md5sum: 'b2ddb9ce153cdab0b503223677602156' },
  },
  {
    name: 'assemble twin: regexp, already assembled',
    module: 'assemble',
    args: { src: '/etc/app.d', dest: '/etc/app.conf', regexp: '^[0-9]+-[ab]$', delimiter: '--\\n' },
    reads: [fragments, assembled('a1\n--\nb-no-newline')],
    changes: [],
  },
  {
    name: "assemble of a missing folder fails with Ansible's message",
    module: 'assemble',
    args: { src: '/nope', dest: '/etc/app.conf' },
    reads: [read('dir_files', { path: '/nope' }, null), assembled('absent')],
    failed: /^Source \(\/nope\) does not exist$/,
  },
  {
    name: 'copy a controller folder (no trailing slash) into a new dest: folders with directory_mode, files with mode',
    module: 'ansible.builtin.copy',
    args: { src: 'site', dest: '/srv/www', directory_mode: '0750', mode: '0640' },
    files: site,
    reads: [
      dir('/srv'),
      stat('/srv/www', {}, 'absent'),
      stat('/srv/www/site', {}, 'absent'),
      stat('/srv/www/site/css', {}, 'absent'),
      stat('/srv/www/site/css/a.css', { content: true }, 'absent'),
      stat('/srv/www/site/index.html', { content: true }, 'absent'),
    ],
    roundTrips: 1,
    changes: [
      'create directory /srv/www',
      'set mode 0750',
      'create directory /srv/www/site',
      'set mode 0750',
      'create directory /srv/www/site/css',
      'set mode 0750',
      'create /srv/www/site/css/a.css',
      'create /srv/www/site/index.html',
    ],
    data: { dest: '/srv/www/', src: '/controller/site' },
  },
  {
    name: 'copy twin: the folder is there with its modes and contents',
    module: 'ansible.builtin.copy',
    args: { src: 'site', dest: '/srv/www', directory_mode: '0750', mode: '0640' },
    files: site,
    reads: [
      dir('/srv'),
      dir('/srv/www', '0700'),
      dir('/srv/www/site', '0750'),
      dir('/srv/www/site/css', '0750'),
      stat('/srv/www/site/css/a.css', { content: true }, { content: 'x\n', mode: '0640' }),
      stat('/srv/www/site/index.html', { content: true }, { content: 'hi\n', mode: '0640' }),
    ],
    changes: [],
  },
  {
    name: 'copy a folder in check mode: the same reads, the same changes reported',
    module: 'copy',
    check: true,
    args: { src: 'site', dest: '/srv/www', directory_mode: '0750', mode: '0640' },
    files: site,
    reads: [
      dir('/srv'),
      dir('/srv/www', '0700'),
      dir('/srv/www/site', '0755'),
      dir('/srv/www/site/css', '0750'),
      stat('/srv/www/site/css/a.css', { content: true }, { content: 'x\n', mode: '0640' }),
      stat('/srv/www/site/index.html', { content: true }, { content: 'old\n', mode: '0640' }),
    ],
    changes: ['mode 0755 -> 0750', 'update /srv/www/site/index.html'],
  },
  {
    name: "copy a folder's contents (trailing slash) into an existing dest, owner on everything",
    module: 'copy',
    args: { src: 'site/', dest: '/srv/www', owner: 'www-data' },
    files: site,
    reads: [
      dir('/srv'),
      dir('/srv/www'),
      dir('/srv/www/css'),
      stat('/srv/www/css/a.css', { content: true }, { content: 'x\n' }),
      stat('/srv/www/index.html', { content: true }, 'absent'),
    ],
    changes: ['owner root:root -> www-data:root', 'owner root:root -> www-data:root', 'create /srv/www/index.html'],
    data: { dest: '/srv/www/', src: '/controller/site/' },
  },
  {
    name: "copy twin: the folder's contents are there, owned by www-data",
    module: 'copy',
    args: { src: 'site/', dest: '/srv/www', owner: 'www-data' },
    files: site,
    reads: [
      dir('/srv'),
      dir('/srv/www'),
      stat('/srv/www/css', {}, { type: 'directory', owner: 'www-data' }),
      stat('/srv/www/css/a.css', { content: true }, { content: 'x\n', owner: 'www-data' }),
      stat('/srv/www/index.html', { content: true }, { content: 'hi\n', owner: 'www-data' }),
    ],
    changes: [],
  },
  {
    name: 'copy a file into a folder named with a trailing slash',
    module: 'copy',
    args: { src: 'files/motd', dest: '/etc/' },
    files: { 'files/motd': 'hi\n' },
    reads: [stat('/etc/motd', { content: true }, { content: 'old\n' })],
    changes: ['update /etc/motd'],
  },
  {
    name: 'copy twin: that file in place',
    module: 'copy',
    args: { src: 'files/motd', dest: '/etc/' },
    files: { 'files/motd': 'hi\n' },
    reads: [stat('/etc/motd', { content: true }, { content: 'hi\n' })],
    changes: [],
  },
  {
    name: 'copy remote_src: a host folder merged into an existing one (trailing slash), owner set down the tree',
    module: 'copy',
    args: { src: '/opt/tpl/', dest: '/etc/app', remote_src: true, owner: 'www-data' },
    reads: remoteReads(
      { src: '/opt/tpl/', dest: '/etc/app', inner: '/etc/app/tpl', target: '/etc/app' },
      {
        dest: dirState('/etc/app'),
        inner: absent('/etc/app/tpl'),
        target: [treeEntry('main.conf', 'file', 'old'), treeEntry('extra', 'file', 'ee')],
      },
    ),
    roundTrips: 1,
    changes: [
      'copy folder /opt/tpl/conf.d to /etc/app/conf.d',
      'update /etc/app/main.conf from /opt/tpl/main.conf',
      'owner of /etc/app and everything in it -> www-data',
    ],
    data: { dest: '/etc/app/', src: '/opt/tpl/' },
  },
  {
    name: 'copy twin: remote_src, everything there and owned',
    module: 'copy',
    args: { src: '/opt/tpl/', dest: '/etc/app', remote_src: true, owner: 'www-data' },
    reads: remoteReads(
      { src: '/opt/tpl/', dest: '/etc/app', inner: '/etc/app/tpl', target: '/etc/app' },
      {
        dest: { ...dirState('/etc/app'), owner: 'www-data' },
        inner: absent('/etc/app/tpl'),
        target: [...tplTree, treeEntry('extra', 'file', 'ee')].map((e) => ({ ...e, owner: 'www-data' })),
      },
    ),
    changes: [],
  },
  {
    name: 'copy remote_src: a folder (no trailing slash) to a dest that does not exist: both made, mode on dest',
    module: 'copy',
    args: { src: '/opt/tpl', dest: '/srv/new', remote_src: true, mode: '0700' },
    reads: remoteReads(
      { src: '/opt/tpl', dest: '/srv/new', inner: '/srv/new/tpl', target: '/srv/new/tpl' },
      { dest: absent('/srv/new'), inner: absent('/srv/new/tpl'), target: null },
    ),
    changes: [
      'create directory /srv/new/tpl',
      'copy folder /opt/tpl/conf.d to /srv/new/tpl/conf.d',
      'create /srv/new/tpl/main.conf from /opt/tpl/main.conf',
      'mode 0755 -> 0700',
    ],
    data: { dest: '/srv/new', src: '/opt/tpl' },
  },
  {
    name: 'copy twin: remote_src folder already copied into dest',
    module: 'copy',
    args: { src: '/opt/tpl', dest: '/srv/new', remote_src: true, mode: '0700' },
    reads: remoteReads(
      { src: '/opt/tpl', dest: '/srv/new', inner: '/srv/new/tpl', target: '/srv/new/tpl' },
      { dest: { ...dirState('/srv/new'), mode: '0700' }, inner: { ...dirState('/srv/new/tpl'), mode: '0700' }, target: tplTree },
    ),
    changes: [],
  },
  {
    name: 'copy remote_src: a host file onto another',
    module: 'copy',
    args: { src: '/etc/skel/.bashrc', dest: '/root/.bashrc', remote_src: true },
    reads: [
      read('file_state', { path: '/etc/skel/.bashrc', checksum: true }, bashrc('/etc/skel/.bashrc', 'new')),
      read('tree_state', { path: '/etc/skel/.bashrc' }, false),
      read('file_state', { path: '/root/.bashrc', checksum: true }, bashrc('/root/.bashrc', 'old')),
      read('file_state', { path: '/root/.bashrc/.bashrc', checksum: true }, absent('/root/.bashrc/.bashrc')),
      read('tree_state', { path: '/root/.bashrc/.bashrc' }, null),
    ],
    roundTrips: 1,
    changes: ['update /root/.bashrc from /etc/skel/.bashrc'],
  },
  {
    name: 'copy twin: remote_src file, same checksum',
    module: 'copy',
    args: { src: '/etc/skel/.bashrc', dest: '/root/.bashrc', remote_src: true },
    reads: [
      read('file_state', { path: '/etc/skel/.bashrc', checksum: true }, bashrc('/etc/skel/.bashrc', 'new')),
      read('tree_state', { path: '/etc/skel/.bashrc' }, false),
      read('file_state', { path: '/root/.bashrc', checksum: true }, bashrc('/root/.bashrc', 'new')),
      read('file_state', { path: '/root/.bashrc/.bashrc', checksum: true }, absent('/root/.bashrc/.bashrc')),
      read('tree_state', { path: '/root/.bashrc/.bashrc' }, null),
    ],
    changes: [],
  },
  {
    name: "copy remote_src of a missing src fails with Ansible's message",
    module: 'copy',
    args: { src: '/nope', dest: '/tmp/x', remote_src: true },
    reads: [
      read('file_state', { path: '/nope', checksum: true }, absent('/nope')),
      read('tree_state', { path: '/nope' }, null),
      read('file_state', { path: '/tmp/x', checksum: true }, absent('/tmp/x')),
      read('file_state', { path: '/tmp/x/nope', checksum: true }, absent('/tmp/x/nope')),
      read('tree_state', { path: '/tmp/x/nope' }, null),
    ],
    failed: /^Source \/nope not found$/,
  },

  {
    name: 'file recurse sets owner and a symbolic mode on everything under the folder, and where its links lead',
    module: 'ansible.builtin.file',
    args: { path: '/srv/app', state: 'directory', recurse: true, owner: 'www-data', mode: 'u=rwX,g=rX,o=' },
    reads: [stat('/srv/app', {}, { type: 'directory', mode: '0755' }), ...appListings('0644', 'root')],
    roundTrips: 1,
    changes: [
      'mode 0755 -> 0750',
      'owner root:root -> www-data:root',
      'mode 0750 on 1 path under /srv/app',
      'mode 0640 on 2 paths under /srv/app',
      'owner www-data on 3 paths under /srv/app',
      'owner www-data on 1 path under /srv/app (through links)',
    ],
  },
  {
    name: 'file twin: recurse, the tree already right',
    module: 'ansible.builtin.file',
    args: { path: '/srv/app', state: 'directory', recurse: true, owner: 'www-data', mode: 'u=rwX,g=rX,o=' },
    reads: [stat('/srv/app', {}, { type: 'directory', mode: '0750', owner: 'www-data' }), ...appListings('0640', 'www-data')],
    changes: [],
  },
  {
    name: 'file recurse with a state other than directory is refused as Ansible does',
    module: 'file',
    args: { path: '/srv/app', state: 'file', recurse: true },
    reads: [],
    failed: /recurse option requires state to be 'directory'/,
  },
  {
    name: 'file state=hard links a missing path to src',
    module: 'file',
    args: { path: '/srv/h', src: '/srv/f', state: 'hard' },
    reads: [read('path_stat', { path: '/srv/h' }, { exists: false }), inode('/srv/f', 7)],
    roundTrips: 1,
    changes: ['hard link /srv/h => /srv/f'],
    data: { dest: '/srv/h', src: '/srv/f' },
  },
  {
    name: 'file twin: the hard link is there (same inode)',
    module: 'file',
    args: { path: '/srv/h', src: '/srv/f', state: 'hard' },
    reads: [inode('/srv/h', 7, { nlink: 2 }), inode('/srv/f', 7, { nlink: 2 })],
    changes: [],
  },
  {
    name: 'file state=hard onto another file needs force, as Ansible says',
    module: 'file',
    args: { path: '/srv/h', src: '/srv/f', state: 'hard' },
    reads: [inode('/srv/h', 8), inode('/srv/f', 7)],
    failed: /^Cannot link, file exists at destination$/,
  },
  {
    name: 'file state=hard with force replaces another file, then sets the mode',
    module: 'file',
    args: { path: '/srv/h', src: '/srv/f', state: 'hard', force: true, mode: '0600' },
    reads: [inode('/srv/h', 8), inode('/srv/f', 7)],
    changes: ['hard link /srv/h => /srv/f', 'mode 0644 -> 0600'],
  },
  {
    name: 'file twin: forced hard link in place with its mode',
    module: 'file',
    args: { path: '/srv/h', src: '/srv/f', state: 'hard', force: true, mode: '0600' },
    reads: [inode('/srv/h', 7, { nlink: 2, mode: '0600' }), inode('/srv/f', 7, { nlink: 2, mode: '0600' })],
    changes: [],
  },
  {
    name: 'file state=hard to a missing src fails',
    module: 'file',
    args: { path: '/srv/h', src: '/srv/none', state: 'hard' },
    reads: [read('path_stat', { path: '/srv/h' }, { exists: false }), read('path_stat', { path: '/srv/none' }, { exists: false })],
    failed: /^src does not exist$/,
  },
  {
    name: 'file modification_time in a format of its own',
    module: 'file',
    args: {
      path: '/srv/f',
      modification_time: '2024-01-02 15:30:45',
      modification_time_format: '%Y-%m-%d %H:%M:%S',
      access_time: 'preserve',
    },
    reads: [stat('/srv/f', {}, {}), read('file_times', { path: '/srv/f' }, { mtime: '202301010000.00', atime: '202301010000.00' })],
    roundTrips: 1,
    changes: ['modification time 202401021530.45'],
  },
  {
    name: 'file twin: that modification time already set',
    module: 'file',
    args: {
      path: '/srv/f',
      modification_time: '2024-01-02 15:30:45',
      modification_time_format: '%Y-%m-%d %H:%M:%S',
      access_time: 'preserve',
    },
    reads: [stat('/srv/f', {}, {}), read('file_times', { path: '/srv/f' }, { mtime: '202401021530.45', atime: '202611270000.00' })],
    changes: [],
  },
  {
    name: 'file times in check mode: the same reads, the change reported',
    module: 'file',
    check: true,
    args: { path: '/srv/f', access_time: '02/Jan/2024 03:30:45 PM', access_time_format: '%d/%b/%Y %I:%M:%S %p' },
    reads: [stat('/srv/f', {}, {}), read('file_times', { path: '/srv/f' }, { mtime: '202301010000.00', atime: '202301010000.00' })],
    changes: ['access time 202401021530.45'],
  },
  {
    name: 'file twin: that access time already set',
    module: 'file',
    check: true,
    args: { path: '/srv/f', access_time: '02/Jan/2024 03:30:45 PM', access_time_format: '%d/%b/%Y %I:%M:%S %p' },
    reads: [stat('/srv/f', {}, {}), read('file_times', { path: '/srv/f' }, { mtime: '202301010000.00', atime: '202401021530.45' })],
    changes: [],
  },
  {
    name: 'file modification_time that does not match its format is refused at load',
    module: 'file',
    args: { path: '/srv/f', modification_time: '2024-01-02', modification_time_format: '%Y%m%d' },
    reads: [],
    failed: /does not match format '%Y%m%d'/,
  },
];
