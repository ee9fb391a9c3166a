import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type GitCheckoutArgs = {
  /** The repository as git is given it (an absolute path already made a file:// URL). */
  repo: string;
  dest: string;
  remote: string;
  bare: boolean;
  /** The git program: `executable`, or git from PATH. */
  git: string;
  /** The version asked for, resolved in the clone when it is there (a commit given by a short sha). */
  version: string;
  /** `export GIT_SSH_COMMAND=...` for key_file and host key options, or '' for none. */
  sshEnv: string;
};

/** A clone on the host and the refs of its remote, as git reports them. */
export type GitCheckout = {
  /** Null when the host has no git: the PATH it searched, for Ansible's message. */
  missingGitPath: string | null;
  /** A clone (its config file) is at dest. */
  cloned: boolean;
  /** The commit checked out (HEAD), or null. */
  head: string | null;
  /** The branch HEAD is on, or the remote's HEAD branch when detached (Ansible's head branch). */
  headBranch: string | null;
  /** The URL the clone's remote points at. */
  remoteUrl: string | null;
  /** `git status --porcelain` lines of tracked files (untracked ones do not count, as in Ansible). */
  localMods: string[];
  /** The version resolved to a commit inside the clone, when it can be. */
  localVersion: string | null;
  /** `git ls-remote` of the repository: [sha, ref] pairs. */
  refs: [string, string][];
  /** Why ls-remote failed (unreachable repository), or null. */
  remoteError: string | null;
};

function gitCommand(a: GitCheckoutArgs): string {
  const g = quote(a.git);
  const cfg = quote(a.bare ? `${a.dest}/config` : `${a.dest}/.git/config`);
  const remote = quote(a.remote);
  return [
    a.sshEnv,
    `command -v ${g} >/dev/null 2>&1 || { echo "nogit $PATH"; exit 0; }`,
    'export LC_ALL=C',
    `if [ -f ${cfg} ]; then (cd ${quote(a.dest)} || exit 0`,
    'echo cloned',
    `echo "head $(${g} rev-parse HEAD 2>/dev/null)"`,
    `echo "branch $(${g} symbolic-ref -q --short HEAD || ${g} symbolic-ref -q --short refs/remotes/${remote}/HEAD | sed 's#^[^/]*/##')"`,
    `echo "url $(${g} ls-remote --get-url ${remote} 2>/dev/null)"`,
    a.bare ? '' : `${g} status --porcelain 2>/dev/null | grep -v '^??' | sed 's/^/mod /'`,
    a.version === 'HEAD' ? '' : `echo "local $(${g} rev-parse --verify -q ${quote(`${a.version}^{commit}`)})"`,
    '); fi',
    `if out=$(${g} ls-remote ${quote(a.repo)} 2>&1); then printf '%s\\n' "$out" | sed 's/^/ref /'; else printf '%s\\n' "$out" | sed 's/^/lserr /'; fi`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** What the read says before any line of output: git present, no clone, no refs. */
export function noCheckout(): GitCheckout {
  return {
    missingGitPath: null,
    cloned: false,
    head: null,
    headBranch: null,
    remoteUrl: null,
    localMods: [],
    localVersion: null,
    refs: [],
    remoteError: null,
  };
}

/** The lines of a git_checkout read back into its value, pure. */
export function parseGitCheckout(stdout: string): GitCheckout {
  const v = noCheckout();
  const errors: string[] = [];
  for (const line of stdout.split('\n')) {
    const sp = line.indexOf(' ');
    const [tag, rest] = sp < 0 ? [line, ''] : [line.slice(0, sp), line.slice(sp + 1)];
    if (tag === 'nogit') v.missingGitPath = rest;
    else if (tag === 'cloned') v.cloned = true;
    else if (tag === 'head') v.head = rest || null;
    else if (tag === 'branch') v.headBranch = rest || null;
    else if (tag === 'url') v.remoteUrl = rest || null;
    else if (tag === 'mod') v.localMods.push(rest);
    else if (tag === 'local') v.localVersion = rest || null;
    else if (tag === 'lserr') errors.push(rest);
    else if (tag === 'ref') {
      const [sha, ref] = rest.split('\t');
      if (sha && ref) v.refs.push([sha, ref]);
    }
  }
  if (errors.length) v.remoteError = errors.join('\n').trim();
  return v;
}

/** The state of a git clone at dest and of the repository it should track: one round trip for the git module. */
export const gitCheckout = defineRead({
  name: 'git_checkout',
  command: gitCommand,
  parse: ({ stdout }): GitCheckout => parseGitCheckout(stdout),
});
