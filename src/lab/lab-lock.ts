import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_STATE_DIR, labError } from './system.js';

/** One lock for everything labs share: the state file, the bridge, the apt cache, the light hosts. */
export const LAB_LOCK = process.env.PROVISION_LAB_LOCK ?? join(LAB_STATE_DIR, 'lab.lock');

/**
 * Run `fn` holding the lab lock, so that `lab up` and `lab down` of different inventories never
 * interleave their read-modify-write of the shared state. The lock is a kernel flock held by a
 * child process for as long as its stdin stays open: when this process ends, however it ends,
 * the pipe closes and the lock is released (no stale lock file to clean up).
 */
export function withLabLock<T>(fn: () => Promise<T>, log?: (l: string) => void): Promise<T> {
  mkdirSync(LAB_STATE_DIR, { recursive: true, mode: 0o700 });
  return withLock(LAB_LOCK, fn, log);
}

/** Run `fn` holding an exclusive flock on `file` (made if missing). */
export async function withLock<T>(file: string, fn: () => Promise<T>, log?: (l: string) => void): Promise<T> {
  const holder = spawn('flock', ['--exclusive', file, '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const waitingNote = setTimeout(() => log?.(`waiting for another lab command to finish (lock ${file})...`), 1000);
  try {
    await new Promise<void>((resolve, reject) => {
      holder.once('error', (e) => reject(labError(`could not take the lock ${file}: ${e.message}`, 'install util-linux (flock)')));
      holder.once('exit', (code) => reject(labError(`could not take the lock ${file} (flock exit ${code})`)));
      holder.stdout.once('data', () => resolve());
    });
  } finally {
    clearTimeout(waitingNote);
  }
  try {
    return await fn();
  } finally {
    holder.removeAllListeners('exit');
    const released = holder.exitCode === null ? new Promise((r) => holder.once('exit', r)) : undefined;
    holder.stdin.end();
    await released;
  }
}
