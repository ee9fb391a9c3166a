import { readFileSync, writeFileSync } from 'node:fs';
import { ProvisionError } from '../errors.js';
import { secrets } from '../secrets.js';
import { PLAN_FORMAT, PLAN_VERSION, planSchema, type SavedPlan } from './schema.js';

/** Write a plan: every text in it masked as on screen (hashes stay as they are: they are no secret's text). */
export function writePlan(file: string, plan: SavedPlan): void {
  writeFileSync(file, `${JSON.stringify(maskStrings(plan), null, 2)}\n`);
}

/** Read and check a plan file: a plan of another format or version is refused by name. */
export function readPlan(file: string): SavedPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ProvisionError('usage', `cannot read the plan ${file}: ${(err as Error).message}`, {
      hint: 'give a file written by provision plan --out',
    });
  }
  const head = raw as { format?: unknown; version?: unknown };
  if (head?.format !== PLAN_FORMAT || head.version !== PLAN_VERSION)
    throw new ProvisionError(
      'usage',
      `${file} is not a provision plan of version ${PLAN_VERSION} (format ${String(head?.format)}, version ${String(head?.version)})`,
      {
        hint: 'make the plan again with this provision: provision plan ... --out FILE',
      },
    );
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProvisionError('usage', `${file}: not a valid plan at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`, {
      hint: 'make the plan again: provision plan ... --out FILE',
    });
  }
  return parsed.data;
}

/** Hashes and the key's id: hex that a short secret could match by chance, and no secret's text. */
const HASH_KEYS = new Set(['sha256', 'hmac', 'extraVarsSha256', 'extraVarsHmac', 'id']);

function maskStrings<T>(value: T, key = ''): T {
  if (typeof value === 'string') return (HASH_KEYS.has(key) ? value : secrets.mask(value)) as T;
  if (Array.isArray(value)) return value.map((v) => maskStrings(v)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskStrings(v, k)])) as T;
  return value;
}
