import { ProvisionError } from '../errors.js';
import { splitWords } from '../shell/quote.js';

/** The ways provision becomes another user on a host, as Ansible's become plugins of the same names. */
export const BECOME_METHODS = ['sudo', 'su'] as const;
export type BecomeMethod = (typeof BECOME_METHODS)[number];

/** Ansible's other become plugins: named when refused, so that they never read as a typo. */
export const UNSUPPORTED_BECOME_METHODS = ['doas', 'pbrun', 'pfexec', 'dzdo', 'ksu', 'machinectl', 'pmrun', 'runas', 'sesu', 'enable'];

export interface BecomeOptions {
  user: string;
  /** sudo when not given. */
  method?: BecomeMethod;
  /** become_flags as written (shell words); Ansible's defaults when not given. */
  flags?: string;
  /** become_exe: the program to run instead of `sudo` or `su`. */
  exe?: string;
  password?: string;
}

export interface BecomeWrapped {
  command: string;
  /** Written to the command's stdin before anything else: the password, read by sudo or su only. */
  stdinPrefix?: string;
  /** What the become program writes on stderr before the command runs (su's prompt): not the command's output. */
  prompt?: string;
  /** The method that wrapped the command; none when no become applies. */
  method?: BecomeMethod;
}

/**
 * What each become program says first on stderr when it refuses, before the command starts, and
 * Ansible's words for it (its become plugins' `fail` and `missing` texts, C locale).
 */
const REFUSALS: Record<BecomeMethod, { said: string; incorrect: boolean }[]> = {
  sudo: [
    { said: 'Sorry, try again.', incorrect: true },
    { said: 'sudo: a password is required', incorrect: false },
    { said: 'Sorry, a password is required to run sudo', incorrect: false },
  ],
  su: [{ said: 'su: Authentication failure', incorrect: true }],
};

/**
 * The task's failure when the become program refused (a wrong or missing password), in Ansible's
 * words ("Incorrect sudo password", "Missing sudo password"); undefined when the command ran.
 */
export function becomeRefusal(wrapped: BecomeWrapped, exitCode: number | undefined, stderr: string): string | undefined {
  if (!wrapped.method || (exitCode !== undefined && exitCode !== 1)) return undefined;
  const first = stderr.trimStart();
  const r = REFUSALS[wrapped.method].find((x) => first.startsWith(x.said));
  return r && `${r.incorrect ? 'Incorrect' : 'Missing'} ${wrapped.method} password`;
}

/** Ansible's default become_flags of each method. */
const DEFAULT_FLAGS: Record<BecomeMethod, string> = { sudo: '-H -S -n', su: '' };
/** su's prompt in the C locale (a login over SSH carries no LANG of the controller's). */
const SU_PROMPT = 'Password: ';

/**
 * Wrap a command for `become`. The password never goes on a command line: it is the first line of
 * the command's stdin, which sudo (`-S`) and su read before the command starts. `sudo -k` asks for
 * it every time, so the line is always consumed and never reaches the command.
 */
export function becomeCommand(
  command: string,
  become: BecomeOptions | undefined,
  loginUser: string,
  q: (s: string) => string,
): BecomeWrapped {
  if (!become || become.user === loginUser) return { command };
  const method = become.method ?? 'sudo';
  const exe = become.exe?.trim() || method;
  const flags = become.flags ?? DEFAULT_FLAGS[method];
  const inner = `sh -c ${q(command)}`;
  if (method === 'su') {
    const line = [exe, flags, q(become.user), '-c', q(inner)].filter(Boolean).join(' ');
    // root is let through by pam_rootok without a prompt; anyone else would have su read the command's stdin as the password.
    if (become.password === undefined) {
      if (loginUser === 'root') return { command: line, method };
      throw new ProvisionError('command', `become_method su needs the password of ${become.user}, and none was given`, {
        hint: 'set ansible_become_password (vault it), or pass -K (--ask-become-pass)',
      });
    }
    return { command: line, stdinPrefix: `${become.password}\n`, prompt: SU_PROMPT, method };
  }
  const words = become.password === undefined ? withNonInteractive(flags) : withoutNonInteractive(flags);
  const own = become.password === undefined ? [] : ['-k', '-S', '-p', "''"];
  const line = [exe, ...words, ...own, '-u', q(become.user), '--', inner].filter(Boolean).join(' ');
  return become.password === undefined ? { command: line, method } : { command: line, stdinPrefix: `${become.password}\n`, method };
}

/** Without a password sudo must never wait for one: with `-S` it would take the command's stdin for it. */
function withNonInteractive(flags: string): string[] {
  const words = flags.trim() ? [flags.trim()] : [];
  return splitWords(flags).some(isNonInteractive) ? words : [...words, '-n'];
}

/** With a password, `-n` goes, as Ansible's sudo plugin drops it (also from grouped flags such as `-Hn`). */
function withoutNonInteractive(flags: string): string[] {
  const words = splitWords(flags);
  if (!words.some((w) => isNonInteractive(w) || /^-[A-Za-z]*n/.test(w))) return flags.trim() ? [flags.trim()] : [];
  return words
    .filter((w) => !isNonInteractive(w))
    .map((w) => (w.startsWith('--') ? w : w.replace(/^(-\w*?)n(\w*)$/, '$1$2')))
    .filter((w) => w !== '-')
    .map(shellWord);
}

function isNonInteractive(word: string): boolean {
  return word === '-n' || word === '--non-interactive';
}

function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/**
 * Drops `prompt` from the start of a stderr stream (su writes it before the command runs, with no
 * newline after it); everything else passes through. Holds back only while the start could still be it.
 */
export function promptFilter(prompt: string | undefined): (chunk: Buffer) => Buffer {
  if (!prompt) return (c) => c;
  let held = Buffer.alloc(0);
  let decided = false;
  const expected = Buffer.from(prompt);
  return (chunk) => {
    if (decided) return chunk;
    held = Buffer.concat([held, chunk]);
    const n = Math.min(held.length, expected.length);
    if (held.subarray(0, n).equals(expected.subarray(0, n))) {
      if (held.length < expected.length) return Buffer.alloc(0);
      decided = true;
      return held.subarray(expected.length);
    }
    decided = true;
    return held;
  };
}
