import { posix } from 'node:path';
import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { type GitCheckout, type GitCheckoutArgs, gitCheckout } from '../reads/git-checkout.js';
import { commandLine, quote } from '../shell/quote.js';
import { withAliases } from './aliases.js';
import { absPath, yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    repo: z.string().min(1).describe('the repository: URL, user@host:path, or a path on the host'),
    dest: absPath.optional().describe('where the clone goes (needed unless clone=no)'),
    version: z.string().min(1).default('HEAD').describe('what to check out: HEAD, a branch, a tag or a commit'),
    remote: z.string().min(1).default('origin').describe("the remote's name in the clone"),
    update: yesNo.default(true).describe('fetch and check out version when a clone is already there'),
    force: yesNo.default(false).describe('discard local modifications of tracked files instead of failing'),
    clone: yesNo.default(true).describe('clone when dest has none (no: only report the remote revision)'),
    depth: z.coerce.number().int().positive().optional().describe('shallow clone with this many commits (HEAD, branches, tags)'),
    bare: yesNo.default(false).describe('a bare repository at dest'),
    single_branch: yesNo.default(false).describe('clone only the history of version (or HEAD)'),
    recursive: yesNo.default(true).describe('initialise and update submodules'),
    accept_hostkey: yesNo.default(false).describe('accept an unknown SSH host key of the repository (StrictHostKeyChecking=no)'),
    accept_newhostkey: yesNo.default(false).describe('accept a new SSH host key, never a changed one (StrictHostKeyChecking=accept-new)'),
    key_file: absPath.optional().describe('SSH private key on the host for the repository'),
    ssh_opts: z.string().optional().describe('more options given to ssh'),
    umask: z
      .string()
      .regex(/^[0-7]{1,4}$/, 'a quoted octal umask like "0022"')
      .optional()
      .describe('umask for the clone and checkout (quoted octal)'),
    executable: absPath.optional().describe('the git program to run'),
  },
  { name: 'repo' },
)
  .refine((a) => !a.clone || a.dest !== undefined, { message: 'the destination directory must be specified unless clone=no' })
  .refine((a) => !(a.accept_hostkey && a.accept_newhostkey), {
    message: 'parameters are mutually exclusive: accept_hostkey|accept_newhostkey',
  });
export type GitArgs = z.infer<typeof schema>;

/** Ansible turns a path into a file:// URL so that depth works for it. */
export function repoUrl(a: GitArgs): string {
  return a.repo.startsWith('/') ? `file://${a.repo}` : a.repo;
}

/** GIT_SSH_COMMAND for the key and host key options, as Ansible's set_git_ssh_env composes it (BatchMode: never a prompt). */
export function sshEnv(a: GitArgs): string {
  const opts = [a.ssh_opts ?? ''];
  if (a.accept_hostkey) opts.push('-o StrictHostKeyChecking=no');
  if (a.accept_newhostkey) opts.push('-o StrictHostKeyChecking=accept-new');
  opts.push('-o BatchMode=yes');
  if (a.key_file) opts.push(`-i ${quote(a.key_file)} -o IdentitiesOnly=yes`);
  return `export GIT_SSH_COMMAND=${quote(['ssh', ...opts].filter(Boolean).join(' '))}`;
}

export function checkoutArgs(a: GitArgs): GitCheckoutArgs {
  return {
    repo: repoUrl(a),
    dest: a.dest ?? '/nonexistent',
    remote: a.remote,
    bare: a.bare,
    git: a.executable ?? 'git',
    version: a.version,
    sshEnv: sshEnv(a),
  };
}

const ref = (s: GitCheckout, name: string): string | undefined => s.refs.find(([, r]) => r === name)?.[0];

/** What version names on the remote: a branch, a tag or neither (a commit). */
export function versionKind(a: GitArgs, s: GitCheckout): 'head' | 'branch' | 'tag' | 'commit' {
  if (a.version === 'HEAD') return 'head';
  if (ref(s, `refs/heads/${a.version}`)) return 'branch';
  if (ref(s, `refs/tags/${a.version}`)) return 'tag';
  return 'commit';
}

/** The commit version stands for on the remote (an annotated tag's commit); a commit is itself, resolved in the clone when it can be. */
export function remoteCommit(a: GitArgs, s: GitCheckout, check: boolean): string | undefined {
  switch (versionKind(a, s)) {
    case 'head':
      return s.cloned && s.headBranch ? ref(s, `refs/heads/${s.headBranch}`) : ref(s, 'HEAD');
    case 'branch':
      return ref(s, `refs/heads/${a.version}`);
    case 'tag':
      return ref(s, `refs/tags/${a.version}^{}`) ?? ref(s, `refs/tags/${a.version}`);
    case 'commit':
      // Ansible's check run takes the version as given (it cannot ask the remote for a commit).
      return check ? a.version : (s.localVersion ?? a.version);
  }
}

const git = (a: GitArgs, ...args: (string | number)[]): string => commandLine([a.executable ?? 'git', ...args]);

/** Check out version in the clone (cwd), as Ansible's switch_version: a branch tracks its remote branch, a tag or commit detaches. */
export function switchCommands(a: GitArgs, kind: ReturnType<typeof versionKind>): string[] {
  const g = quote(a.executable ?? 'git');
  const r = a.remote;
  if (kind === 'head')
    return [
      `b=$(${g} symbolic-ref -q --short HEAD || ${g} symbolic-ref --short ${quote(`refs/remotes/${r}/HEAD`)} | sed 's#^[^/]*/##')`,
      `${g} checkout --force "$b"`,
      `${g} reset --hard ${quote(`${r}/`)}"$b" --`,
    ];
  if (kind !== 'branch') return [git(a, 'checkout', '--force', a.version)];
  const v = a.version;
  const local = `${g} show-ref -q --verify ${quote(`refs/heads/${v}`)}`;
  return [
    ...(a.depth
      ? [
          `${local} || ${git(a, 'fetch', `--depth=${a.depth}`, r, `+refs/heads/${v}:refs/heads/${v}`, `+refs/heads/${v}:refs/remotes/${r}/${v}`)}`,
        ]
      : []),
    `if ${local}; then ${git(a, 'checkout', '--force', v)}; ${git(a, 'reset', '--hard', `${r}/${v}`)}; else ${git(a, 'checkout', '--track', '-b', v, `${r}/${v}`)}; fi`,
  ];
}

function submoduleCommands(a: GitArgs): string[] {
  return a.recursive && !a.bare ? [`if [ -f .gitmodules ]; then ${git(a, 'submodule', 'update', '--init', '--recursive')}; fi`] : [];
}

/** A script that stops at the first failing step, in its own subshell, with git's messages in English. */
function script(a: GitArgs, steps: string[]): string {
  const pre = ['set -e', 'export LC_ALL=C', sshEnv(a), ...(a.umask ? [`umask ${a.umask}`] : [])];
  return `(\n${[...pre, ...steps].join('\n')}\n)`;
}

export function cloneCommand(a: GitArgs, s: GitCheckout): string {
  const dest = a.dest ?? '';
  const kind = versionKind(a, s);
  const named = kind === 'branch' || kind === 'tag';
  const opts: string[] = a.bare ? ['--bare'] : ['--origin', a.remote];
  // Shallow clones only of what can be fetched by name (Ansible ignores depth for a commit, with a warning).
  if (a.depth && (kind === 'head' || named)) opts.push('--depth', String(a.depth));
  if (a.single_branch) opts.push('--single-branch');
  if (named && (a.depth || a.single_branch)) opts.push('--branch', a.version);
  const steps = [commandLine(['mkdir', '-p', posix.dirname(dest)]), git(a, 'clone', ...opts, repoUrl(a), dest)];
  if (a.bare && a.remote !== 'origin') steps.push(`cd ${quote(dest)}`, git(a, 'remote', 'add', a.remote, repoUrl(a)));
  if (!a.bare) steps.push(`cd ${quote(dest)}`, ...switchCommands(a, kind), ...submoduleCommands(a));
  return script(a, steps);
}

/** Fetch the refs version needs (Ansible's fetch: all tags, or only what a shallow clone needs). */
function fetchCommand(a: GitArgs, s: GitCheckout, kind: ReturnType<typeof versionKind>): string {
  const force = a.force ? ['--force'] : [];
  const v = a.version;
  if (a.depth) {
    const refspecs =
      kind === 'head'
        ? [s.headBranch ?? 'HEAD']
        : kind === 'branch'
          ? [...(s.headBranch !== v ? [`+refs/heads/${v}:refs/heads/${v}`] : []), `+refs/heads/${v}:refs/remotes/${a.remote}/${v}`]
          : kind === 'tag'
            ? [`+refs/tags/${v}:refs/tags/${v}`]
            : [];
    if (refspecs.length) return git(a, 'fetch', '--depth', a.depth, ...force, a.remote, ...refspecs);
  }
  if (a.bare) return git(a, 'fetch', ...force, a.remote, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*');
  return git(a, 'fetch', '--tags', ...force, a.remote);
}

export function updateCommand(a: GitArgs, s: GitCheckout, urlChanged: boolean, reset: boolean): string {
  const kind = versionKind(a, s);
  const steps = [`cd ${quote(a.dest ?? '')}`];
  if (reset) steps.push(git(a, 'reset', '--hard', 'HEAD'));
  if (urlChanged) steps.push(git(a, 'remote', 'set-url', a.remote, repoUrl(a)));
  steps.push(fetchCommand(a, s, kind));
  if (!a.bare) steps.push(...switchCommands(a, kind), ...submoduleCommands(a));
  return script(a, steps);
}

/** Remote URLs compare as Ansible's unfrackgitpath does: normalised, no trailing slash. */
function sameUrl(x: string, y: string): boolean {
  const norm = (u: string) => posix.normalize(u).replace(/\/$/, '');
  return x === y || norm(x) === norm(y);
}

export function decideGit(a: GitArgs, s: GitCheckout, check: boolean): Plan {
  if (s.missingGitPath !== null)
    return { changes: [], failed: `Failed to find required executable "${a.executable ?? 'git'}" in paths: ${s.missingGitPath}` };
  const dest = a.dest ?? '';
  if (!s.cloned || !a.dest) {
    if (s.remoteError) return { changes: [], failed: `Failed to read ${repoUrl(a)}: ${s.remoteError}`, data: { before: null } };
    const after = remoteCommit(a, s, check);
    if (!after) return { changes: [], failed: `Could not determine remote revision for ${a.version}`, data: { before: null } };
    if (!a.clone) return { changes: [], data: { before: null, after }, msg: 'no clone (clone=no)' };
    return {
      changes: [{ kind: 'exec', command: cloneCommand(a, s), description: `clone ${a.repo} into ${dest} at ${a.version}` }],
      data: { before: null, after },
      diffs: [{ path: dest, before: '', after: `>> Newly checked out ${after}\n` }],
    };
  }
  const before = s.head;
  if (!a.update) return { changes: [], data: { before, after: before } };
  const modified = s.localMods.length > 0;
  if (modified && !a.force)
    return { changes: [], failed: `Local modifications exist in the destination: ${dest} (force=no).`, data: { before } };
  const remote_url_changed = s.remoteUrl !== null && !sameUrl(s.remoteUrl, repoUrl(a));
  if (s.remoteError) return { changes: [], failed: `Failed to read ${repoUrl(a)}: ${s.remoteError}`, data: { before } };
  const after = remoteCommit(a, s, check);
  if (!after) return { changes: [], failed: `Could not determine remote revision for ${a.version}`, data: { before } };
  if (before === after && !modified && !remote_url_changed)
    return { changes: [], data: { before, after, remote_url_changed }, msg: `${dest} is at ${a.version} (${after})` };
  return {
    changes: [
      {
        kind: 'exec',
        command: updateCommand(a, s, remote_url_changed, modified),
        description: `update ${dest} to ${a.version}${modified ? ' (discarding local modifications)' : ''}`,
      },
    ],
    data: { before, after, remote_url_changed },
    ...(modified ? { msg: `Local modifications exist in the destination: ${dest}` } : {}),
  };
}

export const gitModule = defineModule({
  name: 'git',
  schema,
  async plan({ args, reader, check }) {
    return decideGit(args, await reader.get(gitCheckout, checkoutArgs(args)), check);
  },
});
