/** Lookups that read the controller's environment and variables: env, vars, pipe, lines. */
import { spawnSync } from 'node:child_process';
import type { Lookup } from '../../extension.js';
import { isUndefined, pyStr } from '../../value.js';
import { pluginError } from '../shared.js';
import { baseDir } from './search.js';

const env: Lookup = (_ctx, terms, kwargs) => {
  const fallback = kwargs.default ?? '';
  return terms.map((term) => {
    const name = pyStr(term).trim().split(/\s+/)[0] ?? '';
    return process.env[name] ?? fallback;
  });
};

const vars: Lookup = (ctx, terms, kwargs) => {
  const fallback = kwargs.default ?? null;
  return terms.map((term) => {
    if (typeof term !== 'string')
      throw pluginError(`Invalid setting identifier, "${pyStr(term)}" is not a string, its a <class '${typeof term}'>`);
    const value = ctx.resolve(term);
    if (!isUndefined(value)) return value;
    if (fallback !== null) return fallback;
    throw pluginError(`No variable found with this name: ${term}`);
  });
};

/** Run a command through /bin/sh on the controller, in the playbook directory, as Ansible's pipe and lines do. */
function runShell(name: string, command: string, cwd: string): string {
  const r = spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
  if (r.error) throw pluginError(`lookup_plugin.${name}(${command}) failed: ${r.error.message}`);
  if (r.status !== 0) throw pluginError(`lookup_plugin.${name}(${command}) returned ${r.status ?? -1}`);
  return r.stdout;
}

const pipe: Lookup = (ctx, terms) => terms.map((term) => runShell('pipe', pyStr(term), baseDir(ctx)).replace(/\s+$/, ''));

const lines: Lookup = (ctx, terms) =>
  terms.flatMap((term) => {
    const out = runShell('lines', pyStr(term), baseDir(ctx));
    return out === '' ? [] : out.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/);
  });

export const envLookups: Record<string, Lookup> = { env, vars, pipe, lines };
