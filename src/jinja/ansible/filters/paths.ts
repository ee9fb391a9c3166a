/**
 * Ansible's path filters, with Python's os.path (posixpath and ntpath) semantics, which differ from
 * Node's path module at the edges: basename('/a/') is '', splitext('.bashrc') has no extension.
 * realpath, expanduser, expandvars and fileglob read the controller.
 */
import { lstatSync, opendirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Filter } from '../../extension.js';
import { defined } from '../../extension.js';
import { tuple } from '../../value.js';
import { bind, pluginError, pyClass, toText } from '../shared.js';

export function pyBasename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function pyDirname(p: string): string {
  let head = p.slice(0, p.lastIndexOf('/') + 1);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

export function pySplitext(p: string, sep = '/'): [string, string] {
  const sepIndex = Math.max(p.lastIndexOf(sep), sep === '\\' ? p.lastIndexOf('/') : -1);
  const dotIndex = p.lastIndexOf('.');
  if (dotIndex > sepIndex) {
    for (let i = sepIndex + 1; i < dotIndex; i++) if (p.charAt(i) !== '.') return [p.slice(0, dotIndex), p.slice(dotIndex)];
  }
  return [p, ''];
}

/** posixpath.normpath. */
export function pyNormpath(p: string): string {
  if (p === '') return '.';
  const initial = p.startsWith('//') && !p.startsWith('///') ? 2 : p.startsWith('/') ? 1 : 0;
  const out: string[] = [];
  for (const comp of p.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (!initial && out.length === 0) || out[out.length - 1] === '..') out.push(comp);
    else if (out.length) out.pop();
  }
  const joined = '/'.repeat(initial) + out.join('/');
  return joined || '.';
}

export function pyJoin(parts: string[]): string {
  let path = parts[0] ?? '';
  for (const b of parts.slice(1)) {
    if (b.startsWith('/')) path = b;
    else if (path === '' || path.endsWith('/')) path += b;
    else path += `/${b}`;
  }
  return path;
}

function pyAbspath(p: string): string {
  return pyNormpath(p.startsWith('/') ? p : pyJoin([process.cwd(), p]));
}

export function pyRelpath(path: string, start = '.'): string {
  if (!path) throw pluginError('no path specified');
  const startList = pyAbspath(start).split('/').filter(Boolean);
  const pathList = pyAbspath(path).split('/').filter(Boolean);
  let i = 0;
  while (i < startList.length && i < pathList.length && startList[i] === pathList[i]) i++;
  const rel = [...Array<string>(startList.length - i).fill('..'), ...pathList.slice(i)];
  return rel.length ? rel.join('/') : '.';
}

/** os.path.realpath: symlinks resolved as far as the path exists, the rest normalised. */
export function pyRealpath(p: string): string {
  const abs = pyAbspath(p);
  try {
    return realpathSync.native(abs);
  } catch {
    if (abs === '/') return abs;
    return pyJoin([pyRealpath(pyDirname(abs)), pyBasename(abs)]);
  }
}

export function pyExpanduser(p: string): string {
  if (!p.startsWith('~')) return p;
  const slash = p.indexOf('/', 1);
  const user = p.slice(1, slash < 0 ? undefined : slash);
  if (user !== '') return p; // another user's home: Python reads pwd; not needed by roles seen so far
  const home = (process.env.HOME ?? homedir()).replace(/\/+$/, '') || '/';
  return home + (slash < 0 ? '' : p.slice(slash));
}

export function pyExpandvars(p: string): string {
  return p.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name;
    return process.env[key] ?? whole;
  });
}

function ntSplitdrive(p: string): [string, string] {
  const norm = p.replace(/\//g, '\\');
  if (norm.startsWith('\\\\') && norm.charAt(2) !== '\\') {
    const index = norm.indexOf('\\', 2);
    const index2 = index < 0 ? -1 : norm.indexOf('\\', index + 1);
    if (index < 0 || index2 === index + 1) return ['', p];
    const end = index2 < 0 ? p.length : index2;
    return [p.slice(0, end), p.slice(end)];
  }
  if (p.charAt(1) === ':') return [p.slice(0, 2), p.slice(2)];
  return ['', p];
}

function ntSplit(p: string): [string, string] {
  const [drive, rest] = ntSplitdrive(p);
  let i = rest.length;
  while (i && !'/\\'.includes(rest.charAt(i - 1))) i--;
  const head = rest.slice(0, i);
  const tail = rest.slice(i);
  const trimmed = head.replace(/[/\\]+$/, '') || head;
  return [drive + trimmed, tail];
}

const stringFilter =
  (fn: (s: string) => unknown): Filter =>
  (_ctx, value) =>
    fn(toText(value));

const relpath: Filter = (_ctx, value, args, kwargs) => {
  const [start] = bind('relpath', ['start'], ['.'], args, kwargs);
  return pyRelpath(toText(value), toText(start));
};

const pathJoin: Filter = (_ctx, value) => {
  const v = defined(value);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return pyJoin(v.map((x) => toText(x)));
  throw pluginError(`|path_join expects string or sequence, got ${pyClass(v)} instead.`);
};

/** fnmatch.translate: * ? [seq] [!seq], anchored, as a RegExp. */
function fnmatchRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      let j = i + 1;
      if (pattern.charAt(j) === '!') j++;
      if (pattern.charAt(j) === ']') j++;
      while (j < pattern.length && pattern.charAt(j) !== ']') j++;
      if (j >= pattern.length) out += '\\[';
      else {
        let body = pattern.slice(i + 1, j).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        else if (body.startsWith('^')) body = `\\${body}`;
        out += `[${body}]`;
        i = j;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

const MAGIC = /[*?[]/;

/** glob.glob(pattern): per path component, hidden names matched only by a pattern starting with '.', directory order kept. */
export function pyGlob(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let paths = [absolute ? '/' : ''];
  for (const [i, part] of parts.entries()) {
    if (i === 0 && absolute) continue;
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const base of paths) {
      if (!MAGIC.test(part)) {
        const p = base === '' ? part : pyJoin([base, part]);
        if (last ? lexists(p) : isDir(p)) next.push(p);
        continue;
      }
      const re = fnmatchRegex(part);
      const names = listDir(base === '' ? '.' : base);
      for (const name of names) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        const p = base === '' ? name : pyJoin([base, name]);
        if (re.test(name) && (last || isDir(p))) next.push(p);
      }
    }
    paths = next;
  }
  return paths.filter((p) => p !== '' && p !== '/');
}

/** os.scandir's names in the directory's own order (Node's readdirSync sorts them, Python does not). */
function listDir(dir: string): string[] {
  let handle: ReturnType<typeof opendirSync>;
  try {
    handle = opendirSync(dir);
  } catch {
    return [];
  }
  const names: string[] = [];
  try {
    for (let entry = handle.readSync(); entry; entry = handle.readSync()) names.push(entry.name);
  } finally {
    handle.closeSync();
  }
  return names;
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** glob.glob(pattern) keeping regular files only, as Ansible's fileglob filter and lookup do. */
export function globFiles(pattern: string): string[] {
  return pyGlob(pattern).filter((m) => {
    try {
      return statSync(m).isFile();
    } catch {
      return false;
    }
  });
}

export const pathFilters: Record<string, Filter> = {
  basename: stringFilter(pyBasename),
  dirname: stringFilter(pyDirname),
  splitext: stringFilter((s) => tuple(pySplitext(s))),
  realpath: stringFilter(pyRealpath),
  relpath,
  path_join: pathJoin,
  expanduser: stringFilter(pyExpanduser),
  expandvars: stringFilter(pyExpandvars),
  fileglob: stringFilter(globFiles),
  win_basename: stringFilter((s) => ntSplit(s)[1]),
  win_dirname: stringFilter((s) => ntSplit(s)[0]),
  win_splitdrive: stringFilter((s) => tuple(ntSplitdrive(s))),
};
