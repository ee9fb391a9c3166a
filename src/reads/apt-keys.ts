import { defineRead } from '../core/reads.js';
import { commandLine, quote } from '../shell/quote.js';

export type AptKeysArgs = { keyring?: string; file?: string; data?: string };

export type AptKeys = {
  /** The key ids `apt-key adv --list-public-keys --keyid-format=long` lists (pub and sub, expired ones left out). */
  keys: string[];
  /** The first key id gpg finds in `file` or `data`; null when neither was given. */
  given: string | null;
};

/** Ansible's parse_output_for_keys: apt-key's `pub rsa4096/ID` lines or gpg's colon lines, not expired. */
export function keyIdsOf(output: string): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    if (!(line.startsWith('pub') || line.startsWith('sub')) || line.includes('expired')) continue;
    const halves = (line.split(/\s+/).filter(Boolean)[1] ?? '').split('/');
    if (halves.length === 2) found.push(halves[1] ?? '');
    else {
      const fields = line.split(':');
      if (fields.length > 4) found.push(fields[4] ?? '');
    }
  }
  return found;
}

/**
 * The keys apt trusts (or one keyring's), and the id of the key a file or inline data holds, in one
 * round trip. gpg reads the key as apt_key does, so it is needed on the host as it is for Ansible.
 */
export const aptKeys = defineRead({
  name: 'apt_keys',
  command({ keyring, file, data }: AptKeysArgs): string {
    const aptKey = ['apt-key', ...(keyring ? ['--keyring', keyring] : [])];
    const gpg = 'LC_ALL=C gpg --with-colons';
    return [
      'command -v apt-key >/dev/null || { echo "apt-key is not installed" >&2; exit 3; }',
      'command -v gpg >/dev/null || { echo "gpg is not installed (package gnupg)" >&2; exit 3; }',
      `LC_ALL=C ${commandLine([...aptKey, 'adv', '--list-public-keys', '--keyid-format=long'])} 2>/dev/null || exit 4`,
      file !== undefined ? `echo @given; ${gpg} ${quote(file)} 2>/dev/null || exit 5` : '',
      data !== undefined ? `echo @given; printf %s ${quote(data)} | ${gpg} - 2>/dev/null || exit 5` : '',
    ]
      .filter(Boolean)
      .join('\n');
  },
  parse({ exitCode, stdout, stderr }, { file }): AptKeys {
    if (exitCode === 3) throw new Error(stderr.trim());
    if (exitCode === 4) throw new Error('Unable to list public keys');
    if (exitCode === 5) throw new Error(`Unable to extract key from '${file ?? 'inline data'}'`);
    if (exitCode !== 0) throw new Error(`cannot list apt keys: ${stderr.trim() || `exit ${exitCode}`}`);
    const at = stdout.indexOf('@given\n');
    const keys = keyIdsOf(at < 0 ? stdout : stdout.slice(0, at));
    return { keys, given: at < 0 ? null : (keyIdsOf(stdout.slice(at + 7))[0] ?? null) };
  },
});
