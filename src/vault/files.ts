import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ProvisionError } from '../errors.js';

/** `-` is standard input, as in ansible-vault. */
export function readInput(file: string): Buffer {
  try {
    return file === '-' ? readFileSync(0) : readFileSync(file);
  } catch (e) {
    throw new ProvisionError(
      'usage',
      `cannot read ${file === '-' ? 'standard input' : file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      {
        hint: 'check the path',
      },
    );
  }
}

/** A file named on the command line is replaced where it really is (through a symlink), as ansible-vault does. */
export function realTarget(file: string): string {
  return file !== '-' && existsSync(file) ? realpathSync(file) : file;
}

/**
 * Write `data` to `file` (`-` is standard output): a 0600 temp file beside it, renamed over it, so
 * neither a half-written file nor a readable plaintext is ever seen. An edited or rekeyed file keeps
 * its mode and owner (`keep`); encrypted and decrypted files are 0600 like ansible-vault's.
 */
export function writeOutput(data: Buffer | string, file: string, keep = false): void {
  if (file === '-') {
    process.stdout.write(data);
    return;
  }
  const temp = join(dirname(file), `.${basename(file)}.provision-${process.pid}`);
  const before = keep ? statSync(file) : undefined;
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    closeSync(fd);
    fd = undefined;
    if (before) {
      chmodSync(temp, before.mode & 0o7777);
      if (process.getuid?.() === 0) chownSync(temp, before.uid, before.gid);
    }
    renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw new ProvisionError('usage', `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      hint: 'check that the directory exists and is writable',
    });
  }
}
