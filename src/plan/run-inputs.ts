import { existsSync, readFileSync } from 'node:fs';
import { sha256 } from '../core/input-files.js';
import { holdsSecret } from './changes.js';
import type { PlanDigest } from './plan-key.js';
import type { SavedPlan } from './schema.js';

/** The -e values of a run as a plan names them: hashed, keyed when one holds a secret (the plan shows them masked). */
export function extraVarsDigest(values: readonly string[], digest: PlanDigest): { extraVarsSha256: string } | { extraVarsHmac: string } {
  const text = JSON.stringify(values);
  return holdsSecret(text) ? { extraVarsHmac: digest.keyed(text) } : { extraVarsSha256: digest.plain(text) };
}

/** Apply was given the -e values the plan was made with. */
export function sameExtraVars(run: SavedPlan['run'], values: readonly string[], digest: PlanDigest): boolean {
  const text = JSON.stringify(values);
  return run.extraVarsHmac !== undefined ? digest.keyed(text) === run.extraVarsHmac : digest.plain(text) === run.extraVarsSha256;
}

/** The input files that changed since the plan: those every host read, and per host those only its tasks read. */
export interface ChangedInputs {
  everyHost: string[];
  byHost: Map<string, string[]>;
}

export function changedInputs(inputs: SavedPlan['inputs']): ChangedInputs {
  const out: ChangedInputs = { everyHost: [], byHost: new Map() };
  for (const f of inputs) {
    if (existsSync(f.path) && sha256(readFileSync(f.path)) === f.sha256) continue;
    if (!f.hosts) out.everyHost.push(f.path);
    else for (const h of f.hosts) out.byHost.set(h, [...(out.byHost.get(h) ?? []), f.path]);
  }
  return out;
}
