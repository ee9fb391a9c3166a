import { quote } from './quote.js';

export interface AtomicReplace {
  path: string;
  /** Commands that fill the temp file "$t" and check it is complete; any failure leaves the old file. */
  fill: string[];
  /** Without a mode the file keeps the mode of the one it replaces (0644 when new). */
  mode?: string;
  /** Without owner and group, root keeps the owner of the file it replaces. */
  owner?: string;
  group?: string;
  /** A command to validate the new file before it replaces the old; %s is the temp path. */
  validate?: string;
  backup?: boolean;
  /** Make the missing directories above the file first. */
  parents?: boolean;
}

/**
 * Replace a file atomically: a temp file in the same directory (created 0600 by mktemp, so a secret
 * is never readable while it arrives), attributes set, filled and checked, optionally validated,
 * then renamed over the target. Any failure, or a cut connection, removes the temp file.
 */
export function atomicReplaceCommand(a: AtomicReplace): string {
  const attrs = a.owner || a.group ? quote(`${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`) : undefined;
  return [
    'set -e',
    `p=${quote(a.path)}`,
    a.parents ? 'mkdir -p -- "$(dirname -- "$p")"' : '',
    't=$(mktemp "$(dirname -- "$p")/.provision.XXXXXX")',
    `trap 'rm -f -- "$t"' EXIT HUP INT TERM PIPE`,
    a.mode ? `chmod ${a.mode} "$t"` : `if [ -e "$p" ]; then chmod --reference="$p" "$t"; else chmod 0644 "$t"; fi`,
    attrs ? `chown ${attrs} "$t"` : `if [ -e "$p" ] && [ "$(id -u)" = 0 ]; then chown --reference="$p" "$t"; fi`,
    ...a.fill,
    a.validate
      ? `${a.validate.split('%s').join('"$t"')} || { echo "validation of the new $p failed; the old file is untouched" >&2; exit 1; }`
      : '',
    a.backup ? `if [ -f "$p" ]; then cp -p -- "$p" "$p.$(date +%Y%m%d%H%M%S)~"; fi` : '',
    'mv -f -- "$t" "$p"',
    'trap - EXIT',
  ]
    .filter(Boolean)
    .join('\n');
}
