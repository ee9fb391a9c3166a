import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExecResult } from '../core/exec.js';
import type { DesiredFile } from '../core/plan.js';
import { sha256 } from '../modules/desired-file.js';
import { atomicReplaceCommand } from '../shell/atomic-replace.js';

/** Write a file atomically from stdin, checked complete by checksum before it replaces the old one. */
export function atomicWriteCommand(w: DesiredFile): string {
  return atomicReplaceCommand({
    ...w,
    fill: [
      `head -c ${w.content.length} > "$t"`,
      `[ "$(sha256sum < "$t" | cut -c1-64)" = ${sha256(w.content)} ] || { echo "upload of $p incomplete; the old file is untouched" >&2; exit 1; }`,
    ],
  });
}

/** fetch's write: the bytes already came from the host, the controller keeps them (folders made as needed). */
export function writeOnController(path: string, content: Buffer): ExecResult {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return { command: `write ${path} on the controller`, exitCode: 0, stdout: '', stderr: '', stdoutBytes: Buffer.alloc(0) };
}
