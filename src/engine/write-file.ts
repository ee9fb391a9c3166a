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
