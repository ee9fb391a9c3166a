import { inputError } from '../errors.js';

/**
 * The ansible-vault text format (1.1 and 1.2), as ansible-vault writes it:
 *
 *     $ANSIBLE_VAULT;1.1;AES256            or  $ANSIBLE_VAULT;1.2;AES256;LABEL
 *     hex(hex(salt) "\n" hex(hmac) "\n" hex(ciphertext)), in lines of 80 characters, ending with "\n"
 */
export const VAULT_HEADER = '$ANSIBLE_VAULT';
export const VAULT_CIPHER = 'AES256';
/** The label of secrets given without one, and of 1.1 files (Ansible's DEFAULT_VAULT_IDENTITY). */
export const DEFAULT_VAULT_ID = 'default';

const LINE_WIDTH = 80;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** The parts of one encrypted value. */
export interface VaultPayload {
  salt: Buffer;
  hmac: Buffer;
  ciphertext: Buffer;
}

export interface VaultEnvelope extends VaultPayload {
  version: string;
  cipher: string;
  /** The vault id named in a 1.2 header; `default` for 1.1. */
  label: string;
}

/** Ansible decides on the first bytes alone: leading whitespace means "not vault data". */
export function isVaultText(text: string | Buffer): boolean {
  const head = typeof text === 'string' ? text.slice(0, VAULT_HEADER.length) : text.subarray(0, VAULT_HEADER.length).toString('latin1');
  return head === VAULT_HEADER;
}

/** Parse vault text; a malformed one is an input error (without a location: the caller knows where it came from). */
export function parseVaultText(text: string): VaultEnvelope {
  const lines = text.split(/\r?\n/);
  const firstLine = lines[0] ?? '';
  const [tag, version, cipher, label] = firstLine.split(';').map((p) => p.trim());
  if (tag !== VAULT_HEADER || version === undefined || cipher === undefined)
    throw formatError(`the header "${firstLine.trim()}" is not "${VAULT_HEADER};1.1;AES256"`);
  if (cipher !== VAULT_CIPHER) throw formatError(`cipher "${cipher}" is not supported (only ${VAULT_CIPHER})`);
  const outer = unhex(
    lines
      .slice(1)
      .map((l) => l.trim())
      .join(''),
    'body',
  ).toString('latin1');
  const parts = outer.split('\n');
  const [salt, hmac, ...rest] = parts;
  if (salt === undefined || hmac === undefined || rest.length === 0) throw formatError('the body does not hold salt, HMAC and ciphertext');
  return {
    version,
    cipher,
    label: label || DEFAULT_VAULT_ID,
    salt: unhex(salt, 'salt'),
    hmac: unhex(hmac, 'HMAC'),
    ciphertext: unhex(rest.join('\n'), 'ciphertext'),
  };
}

/** Vault text for a payload, byte for byte as ansible-vault writes it; a label other than `default` makes it 1.2. */
export function formatVaultText(payload: VaultPayload, label: string = DEFAULT_VAULT_ID): string {
  const header = label === DEFAULT_VAULT_ID ? `${VAULT_HEADER};1.1;${VAULT_CIPHER}` : `${VAULT_HEADER};1.2;${VAULT_CIPHER};${label}`;
  const inner = [payload.salt.toString('hex'), payload.hmac.toString('hex'), payload.ciphertext.toString('hex')].join('\n');
  const body = Buffer.from(inner, 'latin1').toString('hex');
  const lines = [header];
  for (let i = 0; i < body.length; i += LINE_WIDTH) lines.push(body.slice(i, i + LINE_WIDTH));
  return `${lines.join('\n')}\n`;
}

/** A vault id label goes into the header, which `;` separates. */
export function labelProblem(label: string): string | undefined {
  if (label.includes(';')) return `"${label}" is not a valid vault id: the character ";" is not allowed`;
  if (label.trim() !== label || label === '') return `"${label}" is not a valid vault id: it is empty or has spaces around it`;
  return undefined;
}

function unhex(text: string, what: string): Buffer {
  if (!HEX.test(text)) throw formatError(`the ${what} is not hexadecimal`);
  return Buffer.from(text, 'hex');
}

function formatError(message: string) {
  return inputError(
    `malformed vault data: ${message}`,
    undefined,
    'the text was changed after ansible-vault wrote it; restore it from version control',
  );
}
