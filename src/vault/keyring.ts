import { inputError, ProvisionError, type SourceLocation } from '../errors.js';
import { decryptPayload, encryptPayload } from './crypto.js';
import { DEFAULT_VAULT_ID, formatVaultText, parseVaultText } from './format.js';

/** One vault password and the id (label) it was given under. */
export interface VaultSecret {
  id: string;
  password: Buffer;
  /** Where the password came from, for messages: a file, a script, the prompt. */
  source: string;
}

export interface Opened {
  plaintext: Buffer;
  /** The secret that opened it (edit and rekey write back with it). */
  secret: VaultSecret;
  /** The label in the header (`default` for 1.1). */
  label: string;
}

/**
 * The vault passwords of a run, in the order they were given. Which are tried on what follows
 * ansible-vault: every secret is a candidate (a 1.2 file's label picks nothing by itself, only the
 * HMAC decides), unless `idMatch` (ANSIBLE_VAULT_ID_MATCH) restricts them to the label's. The
 * label's secrets are tried first: the same result as Ansible's order, with fewer key derivations.
 */
export class VaultKeyring {
  constructor(
    readonly secrets: readonly VaultSecret[],
    readonly idMatch = false,
  ) {}

  candidates(label: string): VaultSecret[] {
    const own = this.secrets.filter((s) => s.id === label);
    return this.idMatch ? own : [...own, ...this.secrets.filter((s) => s.id !== label)];
  }

  /** Decrypt vault text found at `where` (a file, or file:line:col of an inline value). */
  open(text: string, where: SourceLocation): Opened {
    let envelope: ReturnType<typeof parseVaultText>;
    try {
      envelope = parseVaultText(text);
    } catch (e) {
      if (e instanceof ProvisionError) throw new ProvisionError('input', e.message, { location: where, hint: e.hint, cause: e });
      throw e;
    }
    const { label } = envelope;
    const named = label === DEFAULT_VAULT_ID ? 'with no vault id (1.1)' : `for vault id "${label}"`;
    if (this.secrets.length === 0)
      throw inputError(
        `this is encrypted with ansible-vault ${named}, and no vault password was given`,
        where,
        'add --vault-id LABEL@FILE, --vault-password-file FILE or --ask-vault-pass (or set ANSIBLE_VAULT_PASSWORD_FILE)',
      );
    const tried = this.candidates(label);
    for (const secret of tried) {
      const result = decryptPayload(envelope, secret.password);
      if (result.ok) return { plaintext: result.plaintext, secret, label };
      if (result.reason === 'bad-padding')
        throw inputError('malformed vault data: the HMAC matches but the padding is wrong', where, 'this was not written by ansible-vault');
    }
    const triedIds = tried.map((s) => `"${s.id}" (${s.source})`).join(', ');
    const hasLabel = this.secrets.some((s) => s.id === label);
    const hint = hasLabel
      ? `check the password given for vault id "${label}"`
      : label === DEFAULT_VAULT_ID
        ? 'give the password this was encrypted with'
        : `give the password of vault id "${label}" with --vault-id ${label}@FILE`;
    throw inputError(
      `cannot decrypt: ansible-vault data ${named}, and no given password opens it${tried.length ? ` (tried ${triedIds})` : ` (no password is given for "${label}" and ANSIBLE_VAULT_ID_MATCH is set)`}`,
      where,
      hint,
    );
  }
}

/** Encrypt `plaintext` into vault text headed with `label` (1.1 for `default`, else 1.2 with the label). */
export function sealVaultText(plaintext: Buffer, password: Buffer, label: string, salt?: Buffer): string {
  return formatVaultText(encryptPayload(plaintext, password, salt), label);
}

let active = new VaultKeyring([]);

/** The keyring the loaders decrypt with: set once from the command line, before anything is loaded. */
export function useVaultKeyring(keyring: VaultKeyring): void {
  active = keyring;
}

export function activeVaultKeyring(): VaultKeyring {
  return active;
}
