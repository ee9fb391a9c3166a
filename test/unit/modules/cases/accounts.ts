import type { ReadArgs } from '../../../../src/core/reads.js';
import type { UserAccount } from '../../../../src/reads/account.js';
import type { Case } from '../case.js';
import { packages, read, stat } from '../fake-reader.js';

const alice = {
  name: 'alice',
  uid: 1000,
  gid: 1000,
  comment: '',
  home: '/home/alice',
  shell: '/bin/bash',
  password: '!',
  group: 'alice',
  groups: ['devs'],
};
const account = (args: ReadArgs, value: UserAccount) => read('user_account', args, value);
const KEY1 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINflq2oZ3q2 alice@example';
const KEY2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJWplAYNR32 bob@example';

export const accountCases: Case[] = [
  // package (apt underneath)
  {
    name: 'package installs through apt',
    module: 'package',
    args: { name: ['nginx', 'curl'], state: 'present' },
    reads: [packages(['nginx', 'curl'], { installed: { curl: '7' }, candidates: {}, cacheAge: 10 })],
    changes: ['install nginx'],
  },
  {
    name: 'package twin: installed',
    module: 'package',
    args: { name: ['nginx', 'curl'], state: 'present' },
    reads: [packages(['nginx', 'curl'], { installed: { curl: '7', nginx: '1' }, candidates: {}, cacheAge: 10 })],
    changes: [],
  },
  {
    name: 'package state=removed removes',
    module: 'ansible.builtin.package',
    args: { name: 'nginx', state: 'removed' },
    reads: [packages(['nginx'], { installed: { nginx: '1' }, candidates: {}, cacheAge: 10 })],
    changes: ['remove nginx'],
  },
  {
    name: 'package twin: removed already',
    module: 'ansible.builtin.package',
    args: { name: 'nginx', state: 'removed' },
    reads: [packages(['nginx'], { installed: {}, candidates: {}, cacheAge: 10 })],
    changes: [],
  },
  // user
  {
    name: 'user creates with shell, groups and a password hash',
    module: 'user',
    args: { name: 'alice', shell: '/bin/bash', groups: ['devs', 'sudo'], append: true, password: '$6$s$h' },
    reads: [account({ name: 'alice', groups: ['devs', 'sudo', 'alice'] }, { user: null, groups: { devs: 2001, sudo: 27 } })],
    changes: ['create user alice'],
    data: { name: 'alice', state: 'present', shell: '/bin/bash', groups: 'devs,sudo', password: 'NOT_LOGGING_PASSWORD', create_home: true },
  },
  {
    name: 'user twin: all in place',
    module: 'user',
    args: { name: 'alice', shell: '/bin/bash', groups: ['devs', 'sudo'], append: true, password: '$6$s$h' },
    reads: [
      account(
        { name: 'alice', groups: ['devs', 'sudo', 'alice'] },
        { user: { ...alice, password: '$6$s$h', groups: ['devs', 'sudo'] }, groups: { devs: 2001, sudo: 27, alice: 1000 } },
      ),
    ],
    changes: [],
    data: { uid: 1000, group: 1000, home: '/home/alice', append: true },
  },
  {
    name: 'user without append sets exactly the groups',
    module: 'user',
    args: { name: 'alice', groups: 'sudo' },
    reads: [account({ name: 'alice', groups: ['sudo', 'alice'] }, { user: alice, groups: { sudo: 27, alice: 1000 } })],
    changes: ['change user alice: groups devs -> sudo'],
  },
  {
    name: 'user twin: exactly those groups',
    module: 'user',
    args: { name: 'alice', groups: 'sudo' },
    reads: [
      account({ name: 'alice', groups: ['sudo', 'alice'] }, { user: { ...alice, groups: ['sudo'] }, groups: { sudo: 27, alice: 1000 } }),
    ],
    changes: [],
  },
  {
    name: 'user changes the shell and the password',
    module: 'user',
    args: { name: 'alice', shell: '/bin/zsh', password: '$6$n$h' },
    reads: [account({ name: 'alice', groups: ['alice'] }, { user: alice, groups: { alice: 1000 } })],
    changes: ['change user alice: shell /bin/bash -> /bin/zsh, password'],
  },
  {
    name: 'user twin: shell and password in place',
    module: 'user',
    args: { name: 'alice', shell: '/bin/zsh', password: '$6$n$h' },
    reads: [
      account({ name: 'alice', groups: ['alice'] }, { user: { ...alice, shell: '/bin/zsh', password: '$6$n$h' }, groups: { alice: 1000 } }),
    ],
    changes: [],
  },
  {
    name: 'user update_password on_create leaves a password alone',
    module: 'user',
    args: { name: 'alice', password: '$6$n$h', update_password: 'on_create' },
    reads: [account({ name: 'alice', groups: ['alice'] }, { user: alice, groups: { alice: 1000 } })],
    changes: [],
  },
  {
    name: 'user system account without a home',
    module: 'user',
    args: { name: 'svc', system: true, create_home: false, shell: '/usr/sbin/nologin' },
    reads: [account({ name: 'svc', groups: ['svc'] }, { user: null, groups: {} })],
    changes: ['create user svc'],
  },
  {
    name: 'user twin: system account there',
    module: 'user',
    args: { name: 'svc', system: true, create_home: false, shell: '/usr/sbin/nologin' },
    reads: [
      account(
        { name: 'svc', groups: ['svc'] },
        { user: { ...alice, name: 'svc', uid: 999, shell: '/usr/sbin/nologin', groups: [] }, groups: { svc: 996 } },
      ),
    ],
    changes: [],
  },
  {
    name: 'user with a group that does not exist fails',
    module: 'user',
    args: { name: 'alice', groups: ['nope'] },
    reads: [account({ name: 'alice', groups: ['nope', 'alice'] }, { user: alice, groups: { alice: 1000 } })],
    failed: /Group nope does not exist/,
  },
  {
    // Ansible's check mode says changed for a user it would create before it looks at the groups.
    name: 'user to create in check mode, its group made by an earlier task of the run',
    module: 'user',
    args: { name: 'deploy', group: 'deploy' },
    reads: [account({ name: 'deploy', groups: ['deploy'] }, { user: null, groups: {} })],
    check: true,
    changes: ['create user deploy'],
    alwaysChanges: 'check mode never creates the user',
  },
  {
    name: 'user to create with a group that does not exist fails when applied',
    module: 'user',
    args: { name: 'deploy', group: 'deploy' },
    reads: [account({ name: 'deploy', groups: ['deploy'] }, { user: null, groups: {} })],
    failed: /Group deploy does not exist/,
  },
  {
    name: 'user absent with remove',
    module: 'user',
    args: { name: 'bob', state: 'absent', remove: true },
    reads: [account({ name: 'bob', groups: [] }, { user: { ...alice, name: 'bob' }, groups: {} })],
    changes: ['remove user bob'],
  },
  {
    name: 'user twin: already absent',
    module: 'user',
    args: { name: 'bob', state: 'absent', remove: true },
    reads: [account({ name: 'bob', groups: [] }, { user: null, groups: {} })],
    changes: [],
  },
  {
    name: 'user generates an ssh key when the key file is missing',
    module: 'user',
    args: { name: 'alice', generate_ssh_key: true },
    reads: [
      account(
        { name: 'alice', groups: ['alice'], keyFile: '.ssh/id_rsa' },
        { user: { ...alice, keyFileExists: false }, groups: { alice: 1000 } },
      ),
    ],
    changes: ['generate ssh key .ssh/id_rsa for alice'],
  },
  {
    name: 'user twin: the key file exists',
    module: 'user',
    args: { name: 'alice', generate_ssh_key: true },
    reads: [
      account(
        { name: 'alice', groups: ['alice'], keyFile: '.ssh/id_rsa' },
        { user: { ...alice, keyFileExists: true }, groups: { alice: 1000 } },
      ),
    ],
    changes: [],
  },
  // group
  {
    name: 'group creates with a gid',
    module: 'group',
    args: { name: 'devs', gid: 2001 },
    reads: [read('group_entry', { name: 'devs' }, null)],
    changes: ['create group devs'],
    data: { name: 'devs', gid: 2001, state: 'present', system: false },
  },
  {
    name: 'group twin: there with that gid',
    module: 'group',
    args: { name: 'devs', gid: 2001 },
    reads: [read('group_entry', { name: 'devs' }, { gid: 2001, members: [] })],
    changes: [],
  },
  {
    name: 'group changes the gid',
    module: 'group',
    args: { name: 'devs', gid: 2002 },
    reads: [read('group_entry', { name: 'devs' }, { gid: 2001, members: [] })],
    changes: ['gid 2001 -> 2002'],
  },
  {
    name: 'group twin: gid changed',
    module: 'group',
    args: { name: 'devs', gid: 2002 },
    reads: [read('group_entry', { name: 'devs' }, { gid: 2002, members: [] })],
    changes: [],
  },
  {
    name: 'group removes',
    module: 'group',
    args: { name: 'devs', state: 'absent' },
    reads: [read('group_entry', { name: 'devs' }, { gid: 2002, members: [] })],
    changes: ['remove group devs'],
  },
  {
    name: 'group twin: absent',
    module: 'group',
    args: { name: 'devs', state: 'absent' },
    reads: [read('group_entry', { name: 'devs' }, null)],
    changes: [],
  },
  // authorized_key
  {
    name: 'authorized_key makes .ssh and the file (two round trips: the home comes first)',
    module: 'ansible.posix.authorized_key',
    args: { user: 'alice', key: KEY1 },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/home/alice/.ssh', {}, 'absent'),
      stat('/home/alice/.ssh/authorized_keys', { content: true }, 'absent'),
    ],
    changes: ['create directory /home/alice/.ssh', 'create /home/alice/.ssh/authorized_keys'],
    writes: `${KEY1}\n`,
    roundTrips: 2,
    data: { keyfile: '/home/alice/.ssh/authorized_keys', user: 'alice', exclusive: false, manage_dir: true },
  },
  {
    name: 'authorized_key twin: the key is there',
    module: 'ansible.posix.authorized_key',
    args: { user: 'alice', key: KEY1 },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/home/alice/.ssh', {}, { type: 'directory', mode: '0700', owner: 'alice' }),
      stat('/home/alice/.ssh/authorized_keys', { content: true }, { content: `${KEY1}\n`, mode: '0600', owner: 'alice' }),
    ],
    changes: [],
  },
  {
    name: 'authorized_key with options and a path: one round trip',
    module: 'authorized_key',
    args: { user: 'alice', key: KEY2, key_options: 'no-pty,from="10.0.0.1"', path: '/etc/ssh/keys/alice' },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/etc/ssh/keys', {}, { type: 'directory' }),
      stat('/etc/ssh/keys/alice', { content: true }, { content: `${KEY1}\n` }),
    ],
    changes: ['update /etc/ssh/keys/alice'],
    writes: `${KEY1}\nno-pty,from="10.0.0.1" ${KEY2}\n`,
    roundTrips: 1,
  },
  {
    name: 'authorized_key twin: with its options',
    module: 'authorized_key',
    args: { user: 'alice', key: KEY2, key_options: 'no-pty,from="10.0.0.1"', path: '/etc/ssh/keys/alice' },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/etc/ssh/keys', {}, { type: 'directory' }),
      stat('/etc/ssh/keys/alice', { content: true }, { content: `${KEY1}\nno-pty,from="10.0.0.1" ${KEY2}\n` }),
    ],
    changes: [],
  },
  // ansible.posix's keyfile(): with manage_dir false the missing directories are still made (os.makedirs), root's.
  {
    name: 'authorized_key manage_dir false makes a missing directory for the file',
    module: 'authorized_key',
    args: { user: 'alice', key: KEY2, manage_dir: false, path: '/etc/ssh/authorized_keys/alice' },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/etc/ssh/authorized_keys', {}, 'absent'),
      stat('/etc/ssh/authorized_keys/alice', { content: true }, 'absent'),
    ],
    changes: ['create directory /etc/ssh/authorized_keys', 'create /etc/ssh/authorized_keys/alice'],
    writes: `${KEY2}\n`,
  },
  {
    name: 'authorized_key twin: manage_dir false, directory and key in place',
    module: 'authorized_key',
    args: { user: 'alice', key: KEY2, manage_dir: false, path: '/etc/ssh/authorized_keys/alice' },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/etc/ssh/authorized_keys', {}, { type: 'directory' }),
      stat('/etc/ssh/authorized_keys/alice', { content: true }, { content: `${KEY2}\n`, mode: '0600', owner: 'alice' }),
    ],
    changes: [],
  },
  {
    name: 'authorized_key absent with no .ssh at all changes nothing (nothing to write, nothing made)',
    module: 'authorized_key',
    args: { user: 'alice', key: KEY1, state: 'absent' },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/home/alice/.ssh', {}, 'absent'),
      stat('/home/alice/.ssh/authorized_keys', { content: true }, 'absent'),
    ],
    changes: [],
  },
  {
    name: 'authorized_key exclusive drops the other keys',
    module: 'authorized_key',
    args: { user: 'alice', key: KEY2, exclusive: true, path: '/k' },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/', {}, { type: 'directory' }),
      stat('/k', { content: true }, { content: `${KEY1}\n${KEY2}\n` }),
    ],
    changes: ['update /k'],
    writes: `${KEY2}\n`,
  },
  {
    name: 'authorized_key twin: only that key',
    module: 'authorized_key',
    args: { user: 'alice', key: KEY2, exclusive: true, path: '/k' },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/', {}, { type: 'directory' }),
      stat('/k', { content: true }, { content: `${KEY2}\n` }),
    ],
    changes: [],
  },
  {
    name: 'authorized_key absent removes the key',
    module: 'authorized_key',
    args: { user: 'alice', key: KEY1, state: 'absent', path: '/k' },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/', {}, { type: 'directory' }),
      stat('/k', { content: true }, { content: `# keys\n${KEY1}\n${KEY2}\n` }),
    ],
    changes: ['update /k'],
    writes: `# keys\n${KEY2}\n`,
  },
  {
    name: 'authorized_key twin: the key is gone',
    module: 'authorized_key',
    args: { user: 'alice', key: KEY1, state: 'absent', path: '/k' },
    reads: [
      account({ name: 'alice' }, { user: alice, groups: {} }),
      stat('/', {}, { type: 'directory' }),
      stat('/k', { content: true }, { content: `# keys\n${KEY2}\n` }),
    ],
    changes: [],
  },
  {
    name: 'authorized_key for a missing user fails',
    module: 'authorized_key',
    args: { user: 'nobody2', key: KEY1 },
    reads: [account({ name: 'nobody2' }, { user: null, groups: {} })],
    failed: /no such user/,
  },
];
