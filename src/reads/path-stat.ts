import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type PathStatArgs = { path: string; follow?: boolean; checksum?: boolean };

/** What the stat module reports of a path (Ansible's names), as lstat(2) sees it unless `follow`. */
export type PathStat =
  | { exists: false }
  | {
      exists: true;
      type: 'file' | 'directory' | 'link' | 'fifo' | 'socket' | 'block' | 'char' | 'other';
      /** Octal, four digits. */
      mode: string;
      uid: number;
      gid: number;
      pw_name: string;
      gr_name: string;
      size: number;
      mtime: number;
      atime: number;
      ctime: number;
      inode: number;
      dev: number;
      nlink: number;
      blocks: number;
      block_size: number;
      device_type: number;
      lnk_target?: string;
      lnk_source?: string;
      checksum?: string;
      readable: boolean;
      writeable: boolean;
      executable: boolean;
    };

const TYPES: Record<string, Extract<PathStat, { exists: true }>['type']> = {
  'regular file': 'file',
  'regular empty file': 'file',
  directory: 'directory',
  'symbolic link': 'link',
  fifo: 'fifo',
  socket: 'socket',
  'block special file': 'block',
  'character special file': 'char',
};

/** One path's full stat: times, ids, names, link target, access for the reading user, sha1 when asked. */
export const pathStat = defineRead({
  name: 'path_stat',
  command({ path, follow, checksum }: PathStatArgs): string {
    const p = quote(path);
    const L = follow ? '-L ' : '';
    const regular = follow ? `[ -f ${p} ]` : `[ -f ${p} ] && [ ! -L ${p} ]`;
    return [
      follow ? `if [ ! -e ${p} ]; then echo absent; exit 0; fi` : `if [ ! -e ${p} ] && [ ! -L ${p} ]; then echo absent; exit 0; fi`,
      `stat ${L}-c '%F|%a|%u|%g|%U|%G|%s|%.9Y|%.9X|%.9Z|%i|%d|%h|%b|%o|%t|%T' -- ${p} || exit 1`,
      `if [ -L ${p} ]; then echo "link=$(readlink -- ${p})"; echo "source=$(realpath -m -- ${p})"; fi`,
      `a=; [ -r ${p} ] && a=r; [ -w ${p} ] && a=\${a}w; [ -x ${p} ] && a=\${a}x; echo "access=$a"`,
      checksum ? `if ${regular} && [ -r ${p} ]; then echo "sha1=$(sha1sum < ${p} | cut -c1-40)"; fi` : '',
    ]
      .filter(Boolean)
      .join('\n');
  },
  // Reading a file moves its access time: not state a saved plan can hold.
  stable: (value: PathStat) => (value.exists ? { ...value, atime: undefined } : value),
  parse({ exitCode, stdout, stderr }, { path }): PathStat {
    if (exitCode !== 0) throw new Error(`cannot stat ${path}: ${stderr.trim() || `exit ${exitCode}`}`);
    if (stdout === 'absent\n') return { exists: false };
    const [statLine = '', ...rest] = stdout.split('\n');
    const f = statLine.split('|');
    if (f.length !== 17) throw new Error(`unexpected stat output for ${path}: ${statLine}`);
    // The kind, the twelve fields both stat reads share (statCore), then stat(1)'s own.
    const kind = f[0] ?? '';
    const [blocks, blksize, major = '0', minor = '0'] = f.slice(13);
    const kv = new Map(rest.filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));
    const access = kv.get('access') ?? '';
    const st: PathStat = {
      exists: true,
      type: TYPES[kind] ?? 'other',
      ...statCore(f.slice(1, 13)),
      blocks: Number(blocks),
      block_size: Number(blksize),
      device_type: (Number.parseInt(major, 16) << 8) | Number.parseInt(minor, 16),
      readable: access.includes('r'),
      writeable: access.includes('w'),
      executable: access.includes('x'),
    };
    const link = kv.get('link');
    if (link !== undefined) Object.assign(st, { lnk_target: link, lnk_source: kv.get('source') ?? '' });
    const sha1 = kv.get('sha1');
    if (sha1) st.checksum = sha1;
    return st;
  },
});

/** The fields stat(1) and find -printf give alike, in this order: mode uid gid user group size mtime atime ctime inode dev nlink. */
export type StatCore = Pick<Extract<PathStat, { exists: true }>, (typeof CORE_FIELDS)[number]>;
const CORE_FIELDS = ['mode', 'uid', 'gid', 'pw_name', 'gr_name', 'size', 'mtime', 'atime', 'ctime', 'inode', 'dev', 'nlink'] as const;

/** Those twelve fields from their text: the mode as four octal digits, the names as they are, the rest as numbers. */
export function statCore(text: readonly (string | undefined)[]): StatCore {
  const [mode = '', uid, gid, user = '', group = '', size, mtime, atime, ctime, inode, dev, nlink] = text;
  return {
    mode: mode.padStart(4, '0'),
    uid: Number(uid),
    gid: Number(gid),
    pw_name: user,
    gr_name: group,
    size: Number(size),
    mtime: Number(mtime),
    atime: Number(atime),
    ctime: Number(ctime),
    inode: Number(inode),
    dev: Number(dev),
    nlink: Number(nlink),
  };
}
