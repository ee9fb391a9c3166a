import { type Document, type LineCounter, type ScalarTag, visit } from 'yaml';
import { secrets } from '../secrets.js';
import { isVaultText } from './format.js';
import { activeVaultKeyring } from './keyring.js';

// How the YAML loader reads ansible-vault data: a whole file encrypted, or `!vault |` values inside
// one. Both are decrypted at load, with the keyring the command line set up, so a wrong password is
// bad input (exit 4, file:line:col) before any host is contacted. Every decrypted value is secret.

/** `!vault |` keeps its vault text until `openInlineVaults` decrypts it with its position known. */
export const vaultTag: ScalarTag = {
  tag: '!vault',
  resolve: (value: string) => value,
};

/** The text of a file, decrypted when the whole file is vault data. */
export function openVaultFile(file: string, text: string): { text: string; encrypted: boolean } {
  if (!isVaultText(text)) return { text, encrypted: false };
  const { plaintext } = activeVaultKeyring().open(text, { file, line: 1, col: 1 });
  return { text: plaintext.toString('utf8'), encrypted: true };
}

/** Replace every `!vault` scalar of `doc` by its plaintext, before the document becomes values. */
export function openInlineVaults(doc: Document, file: string, lines: LineCounter): void {
  visit(doc, {
    Scalar(_key, node) {
      if (node.tag !== '!vault' || typeof node.value !== 'string') return;
      const pos = lines.linePos(node.range?.[0] ?? 0);
      const plaintext = activeVaultKeyring().open(node.value, { file, line: pos.line, col: pos.col }).plaintext.toString('utf8');
      secrets.add(plaintext);
      node.value = plaintext;
    },
  });
}

/** Every value of a wholly encrypted file is secret: the user encrypted all of it. */
export function markDecryptedValues(value: unknown): void {
  if (Array.isArray(value)) for (const v of value) markDecryptedValues(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) markDecryptedValues(v);
  else secrets.add(value);
}
