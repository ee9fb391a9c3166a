/** The mask printed in place of every secret value. */
export const MASK = '********';

/** Variable names whose values are secret without being tagged: Ansible users name them so. */
const SECRET_NAME = /(pass(word|wd)?|secret|token|private_key|api_key)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Secret values seen while loading (tagged `!secret`, or held by a secret-looking name).
 * Masking works on values at the output edge, so a secret is hidden wherever it ends up:
 * a rendered file, a diff, a command line, an error.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  add(value: unknown): void {
    // Very short values would mask ordinary text everywhere; they are too weak to be real secrets anyway.
    if (typeof value !== 'string' && typeof value !== 'number') return;
    const text = String(value);
    if (text.length < 3 || this.values.has(text)) return;
    this.values.add(text);
    this.pattern = undefined;
  }

  /** Register every value held by a secret-looking name, at any depth. */
  collect(vars: unknown, name = ''): void {
    if (Array.isArray(vars))
      vars.forEach((v) => {
        this.collect(v, name);
      });
    else if (vars && typeof vars === 'object') {
      for (const [k, v] of Object.entries(vars)) this.collect(v, isSecretName(k) ? k : name);
    } else if (name && isSecretName(name)) this.add(vars);
  }

  mask(text: string): string {
    if (this.values.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.values]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, MASK);
  }

  clear(): void {
    this.values.clear();
    this.pattern = undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One registry per process: secrets are collected during loading and applied by every reporter. */
export const secrets = new SecretRegistry();
