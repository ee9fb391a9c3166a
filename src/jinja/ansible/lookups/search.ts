/**
 * Where a lookup finds a relative file, as Ansible's find_file_in_search_path does: for each
 * directory of ctx.searchPaths (Ansible's ansible_search_path: the role, then the playbook
 * directory), first DIR/<subdir>/NAME (files/, templates/, vars/) unless NAME already starts with
 * that subdir, then DIR/NAME. Absolute names and ~ are taken as they are.
 */
import { existsSync } from 'node:fs';
import type { CallContext } from '../../extension.js';
import { pyExpanduser, pyJoin, pyNormpath } from '../filters/paths.js';

export function searchCandidates(ctx: CallContext, subdir: string, name: string): string[] {
  if (name.startsWith('/') || name.startsWith('~')) return [pyNormpath(pyExpanduser(name))];
  const out: string[] = [];
  for (const dir of ctx.searchPaths) {
    const base = pyNormpath(dir);
    if (name.split('/')[0] !== subdir) out.push(pyJoin([base, subdir, name]));
    out.push(pyJoin([base, name]));
  }
  return out;
}

/** The first existing candidate, or undefined. */
export function findInSearchPath(ctx: CallContext, subdir: string, name: string): string | undefined {
  return searchCandidates(ctx, subdir, name).find((p) => existsSync(p));
}

/** The playbook's directory (Ansible's loader basedir): the last search path. */
export function baseDir(ctx: CallContext): string {
  return ctx.searchPaths[ctx.searchPaths.length - 1] ?? process.cwd();
}
