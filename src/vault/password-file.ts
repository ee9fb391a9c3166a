import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { ProvisionError } from '../errors.js';

/** A password read from a file, or printed by an executable one. */
export interface FilePassword {
  password: Buffer;
  kind: 'file' | 'script';
}

/**
 * A password file as Ansible reads one (vault and become alike): an executable file is run and
 * its standard output is the password (`runScript`, which differs between the two); any other
 * file is read. `what` names the password in errors ("vault password", "become password").
 */
export function readPasswordFile(file: string, what: string, runScript: (file: string) => Buffer, pathHint?: string): FilePassword {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (e) {
    throw new ProvisionError('usage', `the ${what} file ${file} cannot be read (${(e as NodeJS.ErrnoException).code})`, {
      hint: pathHint ?? `check the path given for the ${what} file`,
    });
  }
  const kind = (mode & 0o111) !== 0 ? 'script' : 'file';
  const password = kind === 'script' ? runScript(file) : stripLineEnds(stripWhitespace(readFileSync(file)));
  if (password.length === 0) throw new ProvisionError('usage', `the ${what} ${kind} ${file} gave an empty password`);
  return { password, kind };
}

// Python's bytes.strip(): Ansible strips a password file's whitespace, a script's line ends only.
export function stripWhitespace(b: Buffer): Buffer {
  return trimBytes(b, (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d));
}

export function stripLineEnds(b: Buffer): Buffer {
  return trimBytes(b, (c) => c === 0x0a || c === 0x0d);
}

function trimBytes(b: Buffer, strip: (c: number) => boolean): Buffer {
  let start = 0;
  let end = b.length;
  while (start < end && strip(b.readUInt8(start))) start++;
  while (end > start && strip(b.readUInt8(end - 1))) end--;
  return b.subarray(start, end);
}

/**
 * `--become-password-file` / `become_password_file`, as ansible-playbook reads it: `-` is standard
 * input; a script runs without arguments, and its error output is shown when it fails.
 */
export function readBecomePasswordFile(file: string): string {
  const what = 'become password';
  if (file === '-') {
    const password = stripLineEnds(readFileSync(0));
    if (password.length === 0) throw new ProvisionError('usage', `an empty ${what} was given on standard input`);
    return password.toString('utf8');
  }
  const fromScript = (script: string) => {
    const r = spawnSync(script, [], { stdio: ['inherit', 'pipe', 'pipe'] });
    if (r.error) throw new ProvisionError('usage', `the ${what} script ${script} cannot be run: ${r.error.message}`);
    if (r.status !== 0) {
      const said = r.stderr.toString('utf8').trim().split('\n').slice(-3).join(' | ');
      throw new ProvisionError(
        'usage',
        `the ${what} script ${script} exited with status ${r.status ?? r.signal}${said ? `: ${said}` : ''}`,
        {
          hint: 'run the script by hand; it must print the password and exit 0 (a plain password file must not be executable)',
        },
      );
    }
    return stripLineEnds(r.stdout);
  };
  return readPasswordFile(
    file,
    what,
    fromScript,
    'check --become-password-file, become_password_file or ANSIBLE_BECOME_PASSWORD_FILE',
  ).password.toString('utf8');
}
