import { z } from 'zod';
import { type PathStat, pathStat } from '../reads/path-stat.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = withAliases(
  {
    path: z.string().min(1).describe('the path to look at'),
    follow: yesNo.default(false).describe('follow a symbolic link'),
    get_checksum: yesNo.default(true).describe('sha1 of a regular file, as `checksum`'),
    checksum_algorithm: z.enum(['sha1']).default('sha1').describe('only sha1 is supported'),
    get_mime: yesNo.default(true).describe('accepted for Ansible: mimetype and charset are reported "unknown"'),
    get_attributes: yesNo.default(true).describe('accepted for Ansible: attributes are not read'),
  },
  { dest: 'path', name: 'path' },
);

/** The `stat` dictionary of Ansible's result, with its names and shapes. */
export function statResult(path: string, s: PathStat): Record<string, unknown> {
  if (!s.exists) return { exists: false };
  const m = Number.parseInt(s.mode, 8);
  const bit = (b: number) => (m & b) !== 0;
  const { exists, type, readable, writeable, executable, ...rest } = s;
  return {
    exists,
    path,
    ...rest,
    isdir: type === 'directory',
    isreg: type === 'file',
    islnk: type === 'link',
    isfifo: type === 'fifo',
    issock: type === 'socket',
    isblk: type === 'block',
    ischr: type === 'char',
    isuid: bit(0o4000),
    isgid: bit(0o2000),
    rusr: bit(0o400),
    wusr: bit(0o200),
    xusr: bit(0o100),
    rgrp: bit(0o40),
    wgrp: bit(0o20),
    xgrp: bit(0o10),
    roth: bit(0o4),
    woth: bit(0o2),
    xoth: bit(0o1),
    readable,
    writeable,
    executable,
    mimetype: 'unknown',
    charset: 'unknown',
  };
}

export const stat = defineModule({
  name: 'stat',
  schema,
  async plan({ args, reader }) {
    const s = await reader.get(pathStat, { path: args.path, follow: args.follow, checksum: args.get_checksum });
    return { changes: [], data: { stat: statResult(args.path, s) }, msg: s.exists ? `${args.path} exists` : `${args.path} does not exist` };
  },
});
