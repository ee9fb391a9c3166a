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
];
