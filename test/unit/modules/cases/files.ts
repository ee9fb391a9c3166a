import type { Case } from '../case.js';
import { read } from '../fake-reader.js';

const motd = Buffer.from('welcome\n');

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
];
