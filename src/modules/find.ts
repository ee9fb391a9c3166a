import { posix } from 'node:path';
import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { compilePyRegex } from '../jinja/ansible/py-regex.js';
import { type DirEntry, dirEntries } from '../reads/dir-entries.js';
import { fnmatchRegExp } from '../util/fnmatch.js';
import { withAliases } from './aliases.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const list = z.union([z.string().transform((s) => s.split(',')), z.array(z.string())]);

const schema = withAliases(
  {
    paths: list.describe('folders to look in (a list, or comma-separated)'),
    patterns: list.default([]).describe('shell globs (or Python regexes with use_regex) on the base name; default all'),
    excludes: list.optional().describe('base names to leave out, in the same syntax as patterns'),
    use_regex: yesNo.default(false).describe('patterns are Python regular expressions, matched at the start of the name'),
    file_type: z.enum(['file', 'directory', 'link', 'any']).default('file'),
    recurse: yesNo.default(false).describe('look in subfolders too'),
    depth: z.coerce.number().int().positive().optional().describe('how deep recurse goes'),
    hidden: yesNo.default(false).describe('include names starting with a dot'),
    follow: yesNo.default(false).describe('follow symbolic links to folders'),
    age: z
      .string()
      .regex(/^-?\d+[smhdw]?$/i, 'a number of seconds, or with a unit: 2d, -1h, 3w')
      .optional()
      .describe('older than (or, negative, newer than) this'),
    age_stamp: z.enum(['mtime', 'atime', 'ctime']).default('mtime'),
    size: z
      .string()
      .regex(/^-?\d+[bkmgt]?$/i, 'a number of bytes, or with a unit: 10k, -1m')
      .optional()
      .describe('at least (or, negative, at most) this size; files only'),
    get_checksum: z.literal(false).default(false).describe('only false: checksums of found files are not read'),
  },
  { name: 'paths', path: 'paths', pattern: 'patterns', exclude: 'excludes' },
);
export type FindArgs = z.infer<typeof schema>;

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const BYTES: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** "2d" as 172800, "-10k" as -10240: Ansible's age and size with their units (the schema checked the syntax). */
export function withUnit(text: string, units: Record<string, number>): number {
  const [, n = '0', unit = ''] = /^(-?\d+)([a-z]?)$/.exec(text.toLowerCase()) ?? [];
  return Number(n) * (units[unit] ?? 1);
}

function nameFilter(a: FindArgs): (name: string) => boolean {
  const patterns = a.patterns.length ? a.patterns : [a.use_regex ? '.*' : '*'];
  const compile = (p: string): RegExp => {
    if (!a.use_regex) return fnmatchRegExp(p);
    const r = compilePyRegex(p);
    // re.match: anchored at the start only, which a sticky RegExp tested from 0 is.
    return new RegExp(r.source, `${r.flags.replace('g', '')}y`);
  };
  const wanted = patterns.map(compile);
  const excluded = (a.excludes ?? []).map(compile);
  const test = (r: RegExp, name: string) => {
    r.lastIndex = 0;
    return r.test(name);
  };
  return (name) => wanted.some((r) => test(r, name)) && !excluded.some((r) => test(r, name));
}

/** find's listing in os.walk's order: a folder's files, then its folders, then each folder's own listing. */
export function walkOrder(root: string, entries: readonly DirEntry[], follow: boolean): DirEntry[] {
  const children = new Map<string, DirEntry[]>();
  for (const e of entries) {
    const parent = posix.dirname(e.path);
    children.set(parent, [...(children.get(parent) ?? []), e]);
  }
  const out: DirEntry[] = [];
  const walk = (dir: string) => {
    const here = children.get(dir) ?? [];
    const dirs = here.filter((e) => e.dirLike);
    out.push(...here.filter((e) => !e.dirLike), ...dirs);
    for (const d of dirs) if (d.type === 'directory' || follow) walk(d.path);
  };
  walk(root.replace(/(.)\/+$/, '$1'));
  return out;
}

/** The per-file dictionary of Ansible's find result (its statinfo). */
function statInfo(e: DirEntry): Record<string, unknown> {
  const m = Number.parseInt(e.mode, 8);
  const bit = (b: number) => (m & b) !== 0;
  const { type, dirLike, ...rest } = e;
  return {
    ...rest,
    isdir: type === 'directory',
    ischr: type === 'char',
    isblk: type === 'block',
    isreg: type === 'file',
    isfifo: type === 'fifo',
    islnk: type === 'link',
    issock: type === 'socket',
    wusr: bit(0o200),
    rusr: bit(0o400),
    xusr: bit(0o100),
    wgrp: bit(0o20),
    rgrp: bit(0o40),
    xgrp: bit(0o10),
    woth: bit(0o2),
    roth: bit(0o4),
    xoth: bit(0o1),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
  };
}

/** Pure decision: the listings (null: not a folder) filtered as Ansible's find filters them. */
export function decideFind(a: FindArgs, listings: readonly (DirEntry[] | null)[], now: number): Plan {
  const named = nameFilter(a);
  const age = a.age === undefined ? undefined : withUnit(a.age, SECONDS);
  const size = a.size === undefined ? undefined : withUnit(a.size, BYTES);
  const ageOk = (e: DirEntry) => age === undefined || (age >= 0 ? now - e[a.age_stamp] >= age : now - e[a.age_stamp] <= -age);
  const sizeOk = (e: DirEntry) => size === undefined || (size >= 0 ? e.size >= size : e.size <= -size);
  const typeOk = (e: DirEntry) =>
    a.file_type === 'any' || (a.file_type === 'directory' ? e.type === 'directory' : e.type === (a.file_type === 'file' ? 'file' : 'link'));
  const skipped: Record<string, string> = {};
  const files: Record<string, unknown>[] = [];
  let examined = 0;
  a.paths.forEach((root, i) => {
    const listing = listings[i] ?? null;
    if (listing === null) {
      skipped[root] = `'${root}' is not a directory`;
      return;
    }
    const walked = walkOrder(root, listing, a.follow);
    examined += walked.length;
    for (const e of walked) {
      const name = posix.basename(e.path);
      if (name.startsWith('.') && !a.hidden) continue;
      if (!typeOk(e) || !named(name) || !ageOk(e) || (e.type === 'file' && !sizeOk(e))) continue;
      files.push({ path: e.path, ...statInfo(e) });
    }
  });
  const msg = Object.keys(skipped).length ? 'Not all paths examined, check warnings for details' : 'All paths examined';
  return { changes: [], msg, data: { files, matched: files.length, examined, skipped_paths: skipped } };
}

export const find = defineModule({
  name: 'find',
  schema,
  async plan({ args, reader }) {
    const maxDepth = args.recurse ? args.depth : 1;
    const listings = await reader.getAll(args.paths.map((path) => ask(dirEntries, { path, maxDepth, follow: args.follow })));
    return decideFind(args, listings, Date.now() / 1000);
  },
});
