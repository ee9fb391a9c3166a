import { type GitCheckout, noCheckout } from '../../../../src/reads/git-checkout.js';
import type { Case } from '../case.js';
import { read } from '../fake-reader.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const TAG_OBJECT = 'c'.repeat(40);

/** The remote of the cases: main at B, stable at A, an annotated tag v1 on A. */
const REFS: [string, string][] = [
  [B, 'HEAD'],
  [B, 'refs/heads/main'],
  [A, 'refs/heads/stable'],
  [TAG_OBJECT, 'refs/tags/v1'],
  [A, 'refs/tags/v1^{}'],
];

const fresh: GitCheckout = { ...noCheckout(), refs: REFS };

const clone = (at: string, extra: Partial<GitCheckout> = {}): GitCheckout => ({
  ...fresh,
  cloned: true,
  head: at,
  headBranch: 'main',
  remoteUrl: 'file:///srv/git/app.git',
  ...extra,
});

const SSH = "export GIT_SSH_COMMAND='ssh -o BatchMode=yes'";

/** The git_checkout read the module makes for these arguments. */
const checkout = (value: GitCheckout, version = 'HEAD', extra: Record<string, string | boolean> = {}) =>
  read(
    'git_checkout',
    { repo: 'file:///srv/git/app.git', dest: '/opt/app', remote: 'origin', bare: false, git: 'git', version, sshEnv: SSH, ...extra },
    value,
  );

const app = { repo: '/srv/git/app.git', dest: '/opt/app' };

/** git: statuses and result keys recorded against ansible-core 2.14's git module. */
export const networkCases: Case[] = [
  {
    name: 'git clones a missing checkout at the remote HEAD, in one round trip',
    module: 'git',
    args: app,
    reads: [checkout(fresh)],
    roundTrips: 1,
    changes: ['clone /srv/git/app.git into /opt/app at HEAD'],
    data: { before: null, after: B },
  },
  {
    name: 'git twin: the clone is at the remote HEAD',
    module: 'git',
    args: app,
    reads: [checkout(clone(B))],
    changes: [],
    data: { before: B, after: B, remote_url_changed: false },
  },
  {
    name: 'git in check mode: the clone is previewed with the commit ls-remote names',
    module: 'git',
    args: app,
    reads: [checkout(fresh)],
    check: true,
    changes: ['clone /srv/git/app.git into /opt/app at HEAD'],
    data: { before: null, after: B },
  },
  {
    name: 'git updates a clone the remote moved past',
    module: 'git',
    args: app,
    reads: [checkout(clone(A))],
    changes: ['update /opt/app to HEAD'],
    data: { before: A, after: B, remote_url_changed: false },
  },
  {
    name: "git checks out an annotated tag's commit",
    module: 'git',
    args: { ...app, version: 'v1' },
    reads: [checkout(clone(B), 'v1')],
    changes: ['update /opt/app to v1'],
    data: { before: B, after: A },
  },
  {
    name: 'git twin: at the tag already (detached)',
    module: 'git',
    args: { ...app, version: 'v1' },
    reads: [checkout(clone(A, { headBranch: 'main', localVersion: A }), 'v1')],
    changes: [],
    data: { before: A, after: A },
  },
  {
    name: 'git clones a branch shallow, single branch',
    module: 'git',
    args: { ...app, version: 'stable', depth: 1, single_branch: true },
    reads: [checkout(fresh, 'stable')],
    changes: ['clone /srv/git/app.git into /opt/app at stable'],
    data: { after: A },
  },
  {
    name: 'git twin: on the branch at its remote commit',
    module: 'git',
    args: { ...app, version: 'stable', depth: 1, single_branch: true },
    reads: [checkout(clone(A, { headBranch: 'stable' }), 'stable')],
    changes: [],
  },
  {
    name: 'git to a commit: resolved in the clone when applied',
    module: 'git',
    args: { ...app, version: 'aaaaaaa' },
    reads: [checkout(clone(B, { localVersion: A }), 'aaaaaaa')],
    changes: ['update /opt/app to aaaaaaa'],
    data: { before: B, after: A },
  },
  {
    name: 'git twin: at that commit already',
    module: 'git',
    args: { ...app, version: 'aaaaaaa' },
    reads: [checkout(clone(A, { localVersion: A }), 'aaaaaaa')],
    changes: [],
  },
  {
    name: "git fails on local modifications without force, as Ansible's does",
    module: 'git',
    args: app,
    reads: [checkout(clone(B, { localMods: [' M README'] }))],
    failed: /^Local modifications exist in the destination: \/opt\/app \(force=no\)\.$/,
  },
  {
    name: 'git with force discards local modifications (changed even at the same commit)',
    module: 'git',
    args: { ...app, force: true },
    reads: [checkout(clone(B, { localMods: [' M README'] }))],
    changes: ['update /opt/app to HEAD (discarding local modifications)'],
    data: { before: B, after: B },
  },
  {
    name: 'git twin: forced, nothing modified',
    module: 'git',
    args: { ...app, force: true },
    reads: [checkout(clone(B))],
    changes: [],
  },
  {
    name: 'git points the remote at a new URL (remote_url_changed)',
    module: 'git',
    args: { ...app, repo: '/srv/git/moved.git' },
    reads: [
      read(
        'git_checkout',
        { repo: 'file:///srv/git/moved.git', dest: '/opt/app', remote: 'origin', bare: false, git: 'git', version: 'HEAD', sshEnv: SSH },
        clone(B),
      ),
    ],
    changes: ['update /opt/app to HEAD'],
    data: { remote_url_changed: true },
  },
  {
    name: 'git twin: the remote has that URL',
    module: 'git',
    args: { ...app, repo: '/srv/git/moved.git' },
    reads: [
      read(
        'git_checkout',
        { repo: 'file:///srv/git/moved.git', dest: '/opt/app', remote: 'origin', bare: false, git: 'git', version: 'HEAD', sshEnv: SSH },
        clone(B, { remoteUrl: 'file:///srv/git/moved.git' }),
      ),
    ],
    changes: [],
  },
  {
    name: 'git update=no leaves a clone as it is',
    module: 'git',
    args: { ...app, update: false },
    reads: [checkout(clone(A))],
    changes: [],
    data: { before: A, after: A },
  },
  {
    name: "git without git on the host fails with Ansible's words",
    module: 'git',
    args: app,
    reads: [checkout({ ...fresh, missingGitPath: '/usr/sbin:/usr/bin:/sbin:/bin', refs: [] })],
    failed: /^Failed to find required executable "git" in paths: \/usr\/sbin:\/usr\/bin:\/sbin:\/bin$/,
  },
  {
    name: 'git key_file and accept_hostkey go to ssh through GIT_SSH_COMMAND (name is an alias of repo)',
    module: 'git',
    args: { name: 'git@git.example.org:app.git', dest: '/opt/app', key_file: '/root/.ssh/deploy', accept_hostkey: true },
    reads: [
      read(
        'git_checkout',
        {
          repo: 'git@git.example.org:app.git',
          dest: '/opt/app',
          remote: 'origin',
          bare: false,
          git: 'git',
          version: 'HEAD',
          sshEnv: "export GIT_SSH_COMMAND='ssh -o StrictHostKeyChecking=no -o BatchMode=yes -i /root/.ssh/deploy -o IdentitiesOnly=yes'",
        },
        clone(B, { remoteUrl: 'git@git.example.org:app.git' }),
      ),
    ],
    changes: [],
  },
  {
    name: 'git refuses accept_hostkey with accept_newhostkey',
    module: 'git',
    args: { ...app, accept_hostkey: true, accept_newhostkey: true },
    reads: [],
    failed: /mutually exclusive: accept_hostkey\|accept_newhostkey/,
  },
];
