import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBecomePasswordFile } from '../../src/vault/password-file.js';

function file(name: string, text: string, mode = 0o600): string {
  const dir = mkdtempSync(join(tmpdir(), 'prov-pwfile-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('--become-password-file, as ansible-playbook reads it', () => {
  it("a plain file: its whitespace stripped (Python's strip)", () => {
    expect(readBecomePasswordFile(file('pw', '  s3cret pw \n\n'))).toBe('s3cret pw');
  });

  it('an executable file is run: its output with line ends stripped', () => {
    expect(readBecomePasswordFile(file('pw.sh', "#!/bin/sh\nprintf ' from script \\r\\n'\n", 0o700))).toBe(' from script ');
  });

  it('a script that fails, an empty file and a missing one are usage errors naming the file', () => {
    const failing = file('bad.sh', '#!/bin/sh\necho vault locked >&2\nexit 3\n', 0o700);
    expect(() => readBecomePasswordFile(failing)).toThrow(`the become password script ${failing} exited with status 3: vault locked`);
    const empty = file('empty', ' \n');
    expect(() => readBecomePasswordFile(empty)).toThrow(`the become password file ${empty} gave an empty password`);
    expect(() => readBecomePasswordFile('/nonexistent/pw')).toThrow('the become password file /nonexistent/pw cannot be read (ENOENT)');
  });
});
