import { createHash } from 'node:crypto';
import type { FileState, FileType } from '../core/file-state.js';
import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

/** Files larger than this are compared by checksum only, never pulled back for a diff. */
export const MAX_DIFF_BYTES = 1024 * 1024;

/** The third line when the file's bytes follow instead of sha256sum's line. */
const WHOLE = '@whole';

export type FileStateArgs = { path: string; content?: boolean; checksum?: boolean };

const TYPES: Record<string, FileType> = {
  'regular file': 'file',
  'regular empty file': 'file',
  directory: 'directory',
  'symbolic link': 'link',
};

/** A path's type, mode, owner (no links followed), optionally its checksum and (small files) its content. */
export const fileState = defineRead({
  name: 'file_state',
  // Runs in the host's shell itself: no exit, and `s` is assigned before every use.
  inline: true,
  command({ path, content, checksum }: FileStateArgs): string {
    const p = quote(path);
    const regular = `[ -f ${p} ] && [ ! -L ${p} ]`;
    // Every process started on the host costs more than the round trip (tens of ms on a busy host):
    // the stat line is kept in a variable for the size test; a file small enough to come back whole
    // is not digested on the host (the parser digests what came back), a larger one is, by
    // sha256sum, its digest cut from the line by the parser.
    const digest = `if ${regular}; then sha256sum -- ${p} || echo; else echo; fi`;
    const third = content
      ? `if ${regular} && [ "\${s##*|}" -le ${MAX_DIFF_BYTES} ]; then echo ${WHOLE}; cat -- ${p}; else ${digest}; fi`
      : checksum
        ? digest
        : 'echo';
    return [
      `if [ ! -e ${p} ] && [ ! -L ${p} ]; then echo absent`,
      `elif s=$(stat -c '%F|%a|%U|%G|%s' -- ${p}); then`,
      `printf '%s\\n' "$s"`,
      `if [ -L ${p} ]; then readlink -- ${p}; else echo; fi`,
      third,
      'else false; fi',
    ].join('\n');
  },
  parse(result, { path }): FileState {
    if (result.exitCode !== 0) throw new Error(`cannot stat ${path}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
    const buf = result.stdoutBytes;
    if (buf.toString('utf8', 0, 7) === 'absent\n') return { exists: false, path };
    const ends: number[] = [];
    for (let i = 0; i < buf.length && ends.length < 3; i++) if (buf[i] === 0x0a) ends.push(i);
    const [statEnd, linkEnd, shaEnd] = ends;
    if (statEnd === undefined || linkEnd === undefined || shaEnd === undefined) throw new Error(`unexpected stat output for ${path}`);
    const [statLine, link, sha] = [
      buf.toString('utf8', 0, statEnd),
      buf.toString('utf8', statEnd + 1, linkEnd),
      buf.toString('utf8', linkEnd + 1, shaEnd),
    ];
    const [kind, mode, owner, group, size] = statLine.split('|');
    if (kind === undefined || mode === undefined || owner === undefined || group === undefined || size === undefined)
      throw new Error(`unexpected stat output for ${path}: ${statLine}`);
    const type = TYPES[kind] ?? 'other';
    const state: FileState = {
      exists: true,
      path,
      type,
      mode: mode.padStart(4, '0'),
      owner,
      group,
      size: Number(size),
    };
    if (link) state.linkTarget = link;
    if (sha === WHOLE) {
      state.content = buf.subarray(shaEnd + 1);
      state.sha256 = createHash('sha256').update(state.content).digest('hex');
      return state;
    }
    // sha256sum's line is `DIGEST  PATH`, with a backslash first when it had to escape the path.
    const digest = sha.replace(/^\\/, '').slice(0, 64);
    if (digest) state.sha256 = digest;
    return state;
  },
});
