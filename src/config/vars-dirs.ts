import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Vars } from '../core/vars.js';
import { inputError, type SourceLocation } from '../errors.js';
import { YamlSource } from './source.js';

// group_vars/ and host_vars/ as Ansible's host_group_vars plugin reads them: for an entity NAME, the
// first of NAME (a directory: every file in it, sorted, recursively), NAME.yml, NAME.yaml, NAME.json.
// Inside a directory, hidden files, backups (`~`) and other extensions are skipped.

const EXTENSIONS = ['.yml', '.yaml', '.json'];

/** Variables with the place each was set, one layer of the precedence order. */
export interface VarsLayer {
  vars: Vars;
  origins: Record<string, SourceLocation>;
}

/** The files Ansible reads for `name` under `dir` (a group_vars/ or host_vars/ directory), in merge order. */
export function findVarsFiles(dir: string, name: string): string[] {
  for (const ext of ['', ...EXTENSIONS]) {
    const path = join(dir, name + ext);
    if (!existsSync(path)) continue;
    return statSync(path).isDirectory() ? filesInDir(path) : [path];
  }
  return [];
}

function filesInDir(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const path = join(dir, entry);
    const ext = extname(entry);
    const st = statSync(path);
    if (st.isDirectory() && !ext) found.push(...filesInDir(path));
    else if (st.isFile() && (!ext || EXTENSIONS.includes(ext))) found.push(path);
  }
  return found;
}

/** One variables file (YAML or JSON, whole-file vault and `!vault` values opened); an empty file is no variables. */
export function loadVarsFile(file: string): VarsLayer {
  const src = YamlSource.fromFile(file);
  const value = src.value;
  if (value === null || value === undefined) return { vars: {}, origins: {} };
  if (typeof value !== 'object' || Array.isArray(value))
    throw inputError(`${file} must hold a mapping of variables`, src.locate([]), 'write one "name: value" a line');
  const vars = value as Vars;
  const origins: Record<string, SourceLocation> = {};
  for (const k of Object.keys(vars)) origins[k] = src.locate([k]);
  return { vars, origins };
}

/** The variables for `name` under `base/subdir` (group_vars or host_vars), files merged in order. */
export function varsFor(base: string, subdir: 'group_vars' | 'host_vars', name: string, cache: Map<string, VarsLayer>): VarsLayer {
  const key = join(base, subdir, name);
  const cached = cache.get(key);
  if (cached) return cached;
  const dir = join(base, subdir);
  const layer: VarsLayer = { vars: {}, origins: {} };
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    for (const file of findVarsFiles(dir, name)) {
      const l = loadVarsFile(file);
      Object.assign(layer.vars, l.vars);
      Object.assign(layer.origins, l.origins);
    }
  }
  cache.set(key, layer);
  return layer;
}
