import type { EnvLayer } from '../config/scope.js';
import type { Vars } from '../core/vars.js';
import { ProvisionError } from '../errors.js';
import { quote } from '../shell/quote.js';
import { renderValue } from '../template/render.js';

/**
 * A task's `environment:` for one host: the play's, the blocks' and the task's mappings (or
 * templates of mappings) rendered and merged, innermost winning, as Ansible merges them.
 */
export function taskEnvironment(layers: readonly EnvLayer[], vars: Vars): Record<string, string> {
  const env: Record<string, string> = {};
  for (const layer of layers) {
    const value = renderValue(layer, vars);
    if (value === null || value === undefined || value === '') continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new ProvisionError('input', `environment must be a mapping of names to values, got ${JSON.stringify(value)}`);
    }
    for (const [k, v] of Object.entries(value)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new ProvisionError('input', `environment: "${k}" is not a variable name`);
      env[k] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
  }
  return env;
}

/** The command with the variables exported first: it may be a whole script, so `env NAME=v cmd` would not do. */
export function withEnvironment(command: string, env: Record<string, string>): string {
  const names = Object.keys(env);
  if (names.length === 0) return command;
  return `${names.map((k) => `export ${k}=${quote(env[k] ?? '')}`).join('; ')}; ${command}`;
}
