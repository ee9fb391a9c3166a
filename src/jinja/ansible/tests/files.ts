/** Ansible's path tests, run on the controller as Python's os.path runs them. */
import { lstatSync, type Stats, statSync } from 'node:fs';
import type { Test } from '../../extension.js';
import { pyJoin } from '../filters/paths.js';
import { bind, pluginError, toText } from '../shared.js';

function stat(path: string, follow = true): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    return undefined;
  }
}

const pathTest =
  (check: (path: string) => boolean): Test =>
  (_ctx, value) =>
    check(toText(value));

/** os.path.ismount: a different device than the parent, or the same inode as the parent (/). */
function isMount(path: string): boolean {
  const s = stat(path, false);
  if (!s || s.isSymbolicLink()) return false;
  const parent = stat(pyJoin([path, '..']), false);
  if (!parent) return false;
  return s.dev !== parent.dev || s.ino === parent.ino;
}

const sameFile: Test = (_ctx, value, args, kwargs) => {
  const [other] = bind('samefile', ['f2'], [undefined] as [unknown], args, kwargs);
  const a = toText(value);
  const b = toText(other);
  const sa = stat(a);
  const sb = stat(b);
  if (!sa) throw pluginError(`[Errno 2] No such file or directory: '${a}'`);
  if (!sb) throw pluginError(`[Errno 2] No such file or directory: '${b}'`);
  return sa.dev === sb.dev && sa.ino === sb.ino;
};

export const fileTests: Record<string, Test> = {
  directory: pathTest((p) => stat(p)?.isDirectory() ?? false),
  is_dir: pathTest((p) => stat(p)?.isDirectory() ?? false),
  file: pathTest((p) => stat(p)?.isFile() ?? false),
  is_file: pathTest((p) => stat(p)?.isFile() ?? false),
  link: pathTest((p) => stat(p, false)?.isSymbolicLink() ?? false),
  is_link: pathTest((p) => stat(p, false)?.isSymbolicLink() ?? false),
  exists: pathTest((p) => stat(p) !== undefined),
  link_exists: pathTest((p) => stat(p, false) !== undefined),
  abs: pathTest((p) => p.startsWith('/')),
  is_abs: pathTest((p) => p.startsWith('/')),
  same_file: sameFile,
  is_same_file: sameFile,
  mount: pathTest(isMount),
  is_mount: pathTest(isMount),
};
