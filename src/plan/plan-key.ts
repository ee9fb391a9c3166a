import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { sha256 } from '../core/input-files.js';
import { ProvisionError } from '../errors.js';

/**
 * The key a plan hashes its secret content with. A plain sha256 of a short secret (a password in a
 * file, a token on a command line) is guessed by trying candidates; an HMAC under a key the plan
 * does not hold is not. The key lives on the controller, never in the plan: in the file
 * $PROVISION_PLAN_KEY_FILE names, else ~/.config/provision/plan.key ($XDG_CONFIG_HOME respected),
 * made (32 random bytes, mode 0600) the first time a plan has a secret to hash. Apply needs the same
 * key to check a secret it renders again, exactly as it needs the vault password to render it.
 */
export interface PlanKey {
  /** Names the key without revealing it: the plan records it, apply compares it with its own. */
  id: string;
  file: string;
  hmac(content: string | Buffer): string;
}

export const PLAN_KEY_ENV = 'PROVISION_PLAN_KEY_FILE';

export function planKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[PLAN_KEY_ENV];
  if (named) return named;
  const config = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(config, 'provision', 'plan.key');
}

function keyOf(file: string, key: Buffer): PlanKey {
  return {
    id: createHmac('sha256', key).update('provision plan key id').digest('hex').slice(0, 16),
    file,
    hmac: (content) => createHmac('sha256', key).update(content).digest('hex'),
  };
}

/** The key in its file, or undefined when there is none. */
export function readPlanKey(file = planKeyFile()): PlanKey | undefined {
  if (!existsSync(file)) return undefined;
  const key = readFileSync(file);
  if (key.length < 16)
    throw new ProvisionError('usage', `the plan key ${file} is too short (${key.length} bytes)`, {
      hint: `remove it to have a new one made, or point ${PLAN_KEY_ENV} at the key the plan was made with`,
    });
  return keyOf(file, key);
}

/** The key, made first when the file does not exist yet (only the user can read it). */
export function ensurePlanKey(file = planKeyFile()): PlanKey {
  const known = readPlanKey(file);
  if (known) return known;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return keyOf(file, readFileSync(file));
}

/**
 * The digest apply checks a plan with: under the key the plan names (refused by name when this
 * controller has no such key), or, for a plan that hashed no secret, under a key of its own: a
 * secret that appears only at apply then never matches the plan's plain hashes.
 */
export function applyDigest(plan: { secretKey?: { id: string } }, file = planKeyFile()): PlanDigest {
  const wanted = plan.secretKey?.id;
  if (wanted === undefined) return new PlanDigest(() => keyOf('(none)', randomBytes(32)));
  const key = readPlanKey(file);
  const hint = `give apply the key the plan was made with: ${PLAN_KEY_ENV}=FILE, or that file at ${file}`;
  if (!key)
    throw new ProvisionError('usage', `the plan hashes its secrets with plan key ${wanted}, and there is no plan key at ${file}`, { hint });
  if (key.id !== wanted)
    throw new ProvisionError('usage', `the plan hashes its secrets with plan key ${wanted}; ${file} holds key ${key.id}`, { hint });
  return new PlanDigest(() => key);
}

/**
 * How a plan hashes content: sha256, or for a secret the HMAC under the plan key. The key is made or
 * read only when a secret is first hashed, so a plan without secrets needs none.
 */
export class PlanDigest {
  private key: PlanKey | undefined;

  constructor(private readonly getKey: () => PlanKey) {}

  plain(content: string | Buffer): string {
    return sha256(content);
  }

  keyed(content: string | Buffer): string {
    this.key ??= this.getKey();
    return this.key.hmac(content);
  }

  /** The key used, if a secret was hashed: the plan names it. */
  usedKey(): PlanKey | undefined {
    return this.key;
  }
}
