import { type DesiredFile, sha256 } from '../modules/desired-file.js';
import { quote } from '../shell/quote.js';

export type WriteSpec = DesiredFile;

/**
 * Write a file atomically: a temp file in the same directory (created 0600, so a secret is never
 * readable while it arrives), attributes set, content checked complete by checksum, optionally
 * validated, then renamed over the target. Any failure, or a cut connection, removes the temp file.
 */
export function atomicWriteCommand(w: WriteSpec): string {
  const p = quote(w.path);
  const attrs = w.owner || w.group ? quote(`${w.owner ?? ''}${w.group ? `:${w.group}` : ''}`) : undefined;
  return [
    'set -e',
    `p=${p}`,
    't=$(mktemp "$(dirname -- "$p")/.provision.XXXXXX")',
    `trap 'rm -f -- "$t"' EXIT HUP INT TERM PIPE`,
    w.mode ? `chmod ${w.mode} "$t"` : `if [ -e "$p" ]; then chmod --reference="$p" "$t"; else chmod 0644 "$t"; fi`,
    attrs ? `chown ${attrs} "$t"` : `if [ -e "$p" ] && [ "$(id -u)" = 0 ]; then chown --reference="$p" "$t"; fi`,
    `head -c ${w.content.length} > "$t"`,
    `[ "$(sha256sum < "$t" | cut -c1-64)" = ${sha256(w.content)} ] || { echo "upload of $p incomplete; the old file is untouched" >&2; exit 1; }`,
    w.validate
      ? `${w.validate.split('%s').join('"$t"')} || { echo "validation of the new $p failed; the old file is untouched" >&2; exit 1; }`
      : '',
    w.backup ? `if [ -f "$p" ]; then cp -p -- "$p" "$p.$(date +%Y%m%d%H%M%S)~"; fi` : '',
    'mv -f -- "$t" "$p"',
    'trap - EXIT',
  ]
    .filter(Boolean)
    .join('\n');
}
