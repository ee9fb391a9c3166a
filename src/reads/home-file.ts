import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type HomeFileArgs = { path: string };

/** A text file named as Ansible's `path` arguments are (a leading `~/` is the connection user's home): where it is, and its text. */
export type HomeFile = { path: string; content: string | null; dirExists: boolean };

/** The path with `~` expanded on the host, whether its folder exists, and the file's text (null when there is no file). */
export const homeFile = defineRead({
  name: 'home_file',
  command: ({ path }: HomeFileArgs) =>
    [
      `p=${quote(path)}`,
      `case $p in "~") p=$HOME;; "~/"*) p="$HOME/\${p#"~/"}";; esac`,
      `printf '%s\\n' "$p"`,
      `if [ -d "$(dirname -- "$p")" ]; then echo dir; else echo nodir; fi`,
      `if [ -f "$p" ]; then echo file; cat -- "$p"; else echo none; fi`,
    ].join('\n'),
  parse({ stdout }): HomeFile {
    const [path = '', dir, kind, ...rest] = stdout.split('\n');
    return { path, dirExists: dir === 'dir', content: kind === 'file' ? rest.join('\n') : null };
  },
});
