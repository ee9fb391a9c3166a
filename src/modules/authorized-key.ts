import { posix } from 'node:path';
import { z } from 'zod';
import type { FileState } from '../core/file-state.js';
import type { Change, Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { type UserAccount, userAccount } from '../reads/account.js';
import { fileState } from '../reads/file-state.js';
import { commandLine } from '../shell/quote.js';
import { yesNo } from './common-args.js';
import { decideFile } from './desired-file.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  user: z.string().min(1).describe('whose authorized_keys'),
  key: z.string().min(1).describe('the public key line, or several, one a line'),
  path: z.string().regex(/^\//, 'an absolute path').optional().describe('default ~USER/.ssh/authorized_keys'),
  manage_dir: yesNo.default(true).describe("make the .ssh directory (0700, the user's) when it is missing"),
  state: z.enum(['present', 'absent']).default('present'),
  key_options: z.string().optional().describe('options put before the key (no-pty,from="10.0.0.1")'),
  exclusive: yesNo.default(false).describe('remove every other key from the file'),
  comment: z.string().optional().describe("replaces the key's own comment"),
  validate_certs: yesNo.default(true).describe('accepted for Ansible (keys from URLs are not fetched)'),
  follow: yesNo.default(false).describe('accepted for Ansible'),
});
export type AuthorizedKeyArgs = z.infer<typeof schema>;

/** One line of an authorized_keys file. */
export interface KeyLine {
  options: string;
  type: string;
  blob: string;
  comment: string;
}

const KEY_TYPE =
  /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ecdsa-sha2-nistp256|ssh-ed25519)@openssh\.com)(-cert-v01@openssh\.com)?$/;

/** Words of a line, double quotes keeping spaces inside options (from="a b"). */
function words(line: string): string[] {
  return line.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}

/** A key line as Ansible parses it; undefined for a comment, a blank line or something that is not a key. */
export function parseKeyLine(line: string): KeyLine | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const w = words(t);
  const at = w.findIndex((x) => KEY_TYPE.test(x));
  const blob = at < 0 ? undefined : w[at + 1];
  if (at < 0 || blob === undefined) return undefined;
  return { options: w.slice(0, at).join(' '), type: w[at] ?? '', blob, comment: w.slice(at + 2).join(' ') };
}

function keyText(k: KeyLine): string {
  return `${k.options ? `${k.options} ` : ''}${k.type} ${k.blob} ${k.comment}`.trimEnd();
}

/**
 * The new file, pure. As Ansible does, the file is written back key by key in its order, new
 * keys at the end, comment lines kept; a key is the same key when its blob is.
 */
export function editAuthorizedKeys(text: string, a: AuthorizedKeyArgs): string {
  const wanted = a.key
    .split('\n')
    .map(parseKeyLine)
    .filter((k): k is KeyLine => k !== undefined)
    .map((k) => ({ ...k, options: a.key_options ?? k.options, comment: a.comment ?? k.comment }));
  const lines: (KeyLine | string)[] = text
    .split('\n')
    .filter((l, i, all) => l !== '' || i < all.length - 1)
    .map((l) => parseKeyLine(l) ?? l);
  const isKey = (l: KeyLine | string): l is KeyLine => typeof l !== 'string';
  let out = [...lines];
  if (a.state === 'absent') {
    const blobs = new Set(wanted.map((k) => k.blob));
    out = lines.filter((l) => !isKey(l) || !blobs.has(l.blob));
  } else {
    for (const k of wanted) {
      const at = out.findIndex((l) => isKey(l) && l.blob === k.blob);
      if (at >= 0) out[at] = k;
      else out.push(k);
    }
    if (a.exclusive) {
      const blobs = new Set(wanted.map((k) => k.blob));
      out = out.filter((l) => !isKey(l) || blobs.has(l.blob));
    }
  }
  // Blank lines and comments stay; every key is written as Ansible serialises it.
  const rendered = out.map((l) => (isKey(l) ? keyText(l) : l));
  if (isUnchanged(lines, out)) return text;
  return rendered.map((l) => `${l}\n`).join('');
}

/** Same keys (by their full text) and same other lines, in the same order: the file stays as it is. */
function isUnchanged(before: (KeyLine | string)[], after: (KeyLine | string)[]): boolean {
  if (before.length !== after.length) return false;
  return before.every((b, i) => {
    const x = after[i];
    if (typeof b === 'string' || typeof x === 'string') return b === x;
    return x !== undefined && keyText(b) === keyText(x);
  });
}

export function decideAuthorizedKey(a: AuthorizedKeyArgs, acc: UserAccount, dir: FileState, file: FileState, keyfile: string): Plan {
  const u = acc.user;
  if (!u) return { changes: [], failed: `Failed to lookup user ${a.user}: no such user` };
  if (file.exists && file.type === 'file' && !file.content) return { changes: [], failed: `${keyfile} is too large` };
  const before = file.exists && file.content ? file.content.toString('utf8') : '';
  const after = editAuthorizedKeys(before, a);
  // As ansible.posix: nothing to write, nothing made (not even a missing .ssh).
  if (after === before && (file.exists || a.state === 'absent')) return { changes: [], msg: 'keys in place' };
  const changes: Change[] = [];
  if (!dir.exists) {
    const d = posix.dirname(keyfile);
    // manage_dir: the .ssh directory, the user's and 0700; without it Ansible still makes the
    // missing directories (os.makedirs), root's with the umask's mode.
    const command = a.manage_dir
      ? commandLine(['install', '-d', '-m', '0700', '-o', a.user, '-g', u.group || String(u.gid), d])
      : commandLine(['mkdir', '-p', d]);
    changes.push({ kind: 'exec', command, description: `create directory ${d}` });
  }
  // A new file is the user's and 0600; an existing one keeps its owner and mode (the write takes them from it).
  const owner = file.exists ? {} : { mode: '0600', owner: a.user, group: u.group || String(u.gid) };
  const plan = decideFile(file, { path: keyfile, content: Buffer.from(after), ...owner });
  return { ...plan, changes: [...changes, ...plan.changes] };
}

export const authorizedKey = defineModule({
  name: 'authorized_key',
  collection: 'ansible.posix',
  schema,
  async plan({ args, reader }) {
    // Without a path the home decides where the file is: the user first, then the files (two round trips).
    const files = (path: string) => [ask(fileState, { path: posix.dirname(path) }), ask(fileState, { path, content: true })] as const;
    let account: UserAccount;
    let dir: FileState;
    let file: FileState;
    let keyfile: string;
    if (args.path === undefined) {
      account = await reader.get(userAccount, { name: args.user });
      if (!account.user) return decideAuthorizedKey(args, account, { exists: false, path: '' }, { exists: false, path: '' }, '');
      keyfile = posix.join(account.user.home, '.ssh', 'authorized_keys');
      [dir, file] = await reader.getAll(files(keyfile));
    } else {
      keyfile = args.path;
      [account, dir, file] = await reader.getAll([ask(userAccount, { name: args.user }), ...files(keyfile)] as const);
    }
    const plan = decideAuthorizedKey(args, account, dir, file, keyfile);
    const data = {
      user: args.user,
      key: args.key,
      key_options: args.key_options ?? null,
      keyfile,
      exclusive: args.exclusive,
      manage_dir: args.manage_dir,
      path: args.path ?? null,
      state: args.state,
      comment: args.comment ?? null,
      follow: args.follow,
      validate_certs: args.validate_certs,
    };
    return { ...plan, data };
  },
});
