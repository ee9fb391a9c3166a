import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Command, Option } from 'commander';
import { ExitCode, inputError, ProvisionError } from '../errors.js';
import { addVaultFlags, keyringFromFlags, loadSecretsFromFlags } from './cli-options.js';
import { readInput, realTarget, writeOutput } from './files.js';
import { DEFAULT_VAULT_ID, isVaultText } from './format.js';
import { sealVaultText, type VaultKeyring, type VaultSecret } from './keyring.js';
import type { VaultFlags } from './password-sources.js';

interface EncryptFlags extends VaultFlags {
  encryptVaultId?: string;
  output?: string;
}

const repeat = (v: string, acc: string[]) => [...acc, v];
const note = (line: string) => process.stderr.write(`${line}\n`);
/** ansible-vault says "... successful" only to a person at a terminal. */
const tellPerson = (line: string) => process.stdout.isTTY && note(line);

/** `provision vault ...`: ansible-vault's commands, with byte-compatible files and values. */
export function vaultCommand(setCode: (c: number) => void): Command {
  const vault = new Command('vault').description('encrypt and decrypt ansible-vault files and values (compatible with ansible-vault)');
  const done = () => setCode(ExitCode.ok);

  const sub = (name: string, description: string) => addVaultFlags(vault.command(name).description(description));
  const output = () => new Option('--output <file>', 'write here instead of in place (- for standard output); one input file only');
  const encryptId = () => new Option('--encrypt-vault-id <label>', 'the vault id to encrypt with (needed when several are given)');

  sub('encrypt', 'encrypt files in place (no file or -: standard input to standard output)')
    .argument('[files...]')
    .addOption(output())
    .addOption(encryptId())
    .action(async (files: string[], o: EncryptFlags) => {
      const secret = await encryptSecret(o);
      for (const f of inputs(files, o.output)) {
        const data = readInput(f);
        if (isVaultText(data))
          throw inputError(`${f} is already encrypted with ansible-vault`, undefined, 'use rekey to change its password');
        writeOutput(sealVaultText(data, secret.password, secret.id), o.output ?? realTarget(f));
      }
      tellPerson('Encryption successful');
      done();
    });

  sub('decrypt', 'decrypt files in place (no file or -: standard input to standard output)')
    .argument('[files...]')
    .addOption(output())
    .action(async (files: string[], o: EncryptFlags) => {
      const keyring = await keyringFromFlags(o, { autoPrompt: true, creating: false });
      for (const f of inputs(files, o.output)) writeOutput(openFile(keyring, f).plaintext, o.output ?? realTarget(f));
      tellPerson('Decryption successful');
      done();
    });

  sub('view', 'print the plaintext of encrypted files')
    .argument('<files...>')
    .action(async (files: string[], o: VaultFlags) => {
      const keyring = await keyringFromFlags(o, { autoPrompt: true, creating: false });
      for (const f of files) process.stdout.write(openFile(keyring, f).plaintext);
      done();
    });

  sub('edit', 'decrypt into a private temp file, open $EDITOR on it, encrypt the result back')
    .argument('<files...>')
    .action(async (files: string[], o: VaultFlags) => {
      const keyring = await keyringFromFlags(o, { autoPrompt: true, creating: false });
      for (const f of files) editFile(keyring, realTarget(f));
      done();
    });

  sub('encrypt_string', 'encrypt strings into `!vault |` values to paste into YAML (no string or -: standard input)')
    .argument('[strings...]')
    .addOption(output())
    .addOption(encryptId())
    .option('-n, --name <name>', 'the variable name of the next string (repeatable)', repeat, [])
    .option('--stdin-name <name>', 'the variable name of the string read from standard input')
    .action(async (strings: string[], o: EncryptFlags & { name: string[]; stdinName?: string }) => {
      const secret = await encryptSecret(o);
      const items = stringsToEncrypt(strings, o.name, o.stdinName);
      const blocks = items.map((item, i) => {
        if (items.length > 1)
          note(
            item.name
              ? `# The encrypted version of variable ("${item.name}", the string #${i + 1} from ${item.from}).`
              : `# The encrypted version of the string #${i + 1} from ${item.from}.)`,
          );
        return vaultYamlBlock(sealVaultText(item.text, secret.password, secret.id), item.name);
      });
      writeOutput(blocks.join('\n'), o.output ?? '-');
      tellPerson('Encryption successful');
      done();
    });

  sub('rekey', 'encrypt files again with a new password')
    .argument('<files...>')
    .addOption(encryptId())
    .addOption(new Option('--new-vault-password-file <file>', 'the new password file').conflicts('newVaultId'))
    .option('--new-vault-id <label@source>', 'the new vault id and its password source')
    .action(async (files: string[], o: EncryptFlags & { newVaultPasswordFile?: string; newVaultId?: string }) => {
      const keyring = await keyringFromFlags(o, { autoPrompt: true, creating: false });
      const newIds = o.newVaultId ? [o.newVaultId] : o.newVaultPasswordFile ? [`${DEFAULT_VAULT_ID}@${o.newVaultPasswordFile}`] : [];
      // The new password comes from these flags (or a prompt) only, never from the environment.
      const fresh = await loadSecretsFromFlags({ vaultId: newIds }, { autoPrompt: true, creating: true, env: {} });
      const secret = pickEncryptSecret(fresh, o.encryptVaultId ?? process.env.ANSIBLE_VAULT_ENCRYPT_IDENTITY, true);
      for (const f of files) {
        const target = realTarget(f);
        writeOutput(sealVaultText(openFile(keyring, target).plaintext, secret.password, secret.id), target, true);
      }
      note('Rekey successful');
      done();
    });

  return vault;
}

/** Several inputs with one --output would overwrite each other. */
function inputs(files: string[], out: string | undefined): string[] {
  if (out && files.length > 1) throw new ProvisionError('usage', 'at most one input file may be used with --output');
  return files.length ? files : ['-'];
}

function openFile(keyring: VaultKeyring, file: string) {
  const text = readInput(file);
  if (!isVaultText(text))
    throw inputError(
      `${file === '-' ? 'standard input' : file} is not encrypted with ansible-vault`,
      undefined,
      'its first line must start with $ANSIBLE_VAULT',
    );
  return keyring.open(text.toString('latin1'), { file, line: 1, col: 1 });
}

async function encryptSecret(o: EncryptFlags): Promise<VaultSecret> {
  const secrets = await loadSecretsFromFlags(o, { autoPrompt: true, creating: true });
  return pickEncryptSecret(secrets, o.encryptVaultId ?? process.env.ANSIBLE_VAULT_ENCRYPT_IDENTITY, false);
}

/** ansible-vault's choice: the id named by --encrypt-vault-id, else the only one (the first, for rekey's new ids). */
function pickEncryptSecret(secrets: VaultSecret[], wanted: string | undefined, firstWins: boolean): VaultSecret {
  const [first] = secrets;
  if (first === undefined)
    throw new ProvisionError('usage', 'a vault password is needed', { hint: 'give --vault-id LABEL@FILE or --vault-password-file FILE' });
  if (wanted) {
    const found = secrets.find((s) => s.id === wanted);
    if (!found)
      throw new ProvisionError(
        'usage',
        `--encrypt-vault-id ${wanted} matches none of the vault ids given (${secrets.map((s) => s.id).join(', ')})`,
      );
    return found;
  }
  if (secrets.length > 1 && !firstWins)
    throw new ProvisionError('usage', `the vault ids ${secrets.map((s) => s.id).join(',')} are available to encrypt`, {
      hint: 'name the one to encrypt with: --encrypt-vault-id LABEL',
    });
  return first;
}

interface StringItem {
  text: Buffer;
  name?: string;
  from: string;
}

/** ansible-vault's order: standard input first (when asked for), then the arguments, paired with --name in order. */
function stringsToEncrypt(args: string[], names: string[], stdinName: string | undefined): StringItem[] {
  const items: StringItem[] = [];
  const plain = args.filter((a) => a !== '-');
  if (args.includes('-') || args.length === 0 || stdinName) {
    const text = readInput('-');
    if (text.length === 0) throw new ProvisionError('usage', 'standard input was empty, nothing to encrypt');
    items.push({ text, name: stdinName, from: 'stdin' });
  }
  if (names.length && plain.length > names.length) {
    note('The number of --name options do not match the number of args.');
    note(`The last named variable will be "${names[names.length - 1]}". The rest will not have names.`);
  }
  plain.forEach((text, i) => {
    if (text === '') throw new ProvisionError('usage', 'an empty string was given, nothing to encrypt');
    items.push({ text: Buffer.from(text, 'utf8'), name: names[i], from: 'the command line args' });
  });
  return items;
}

/** `name: !vault |` and the vault text indented by ten spaces, as ansible-vault prints it. */
export function vaultYamlBlock(vaultText: string, name?: string): string {
  const lines = vaultText.split('\n').filter((l) => l !== '');
  return [`${name ? `${name}: ` : ''}!vault |`, ...lines.map((l) => `          ${l}`)].join('\n');
}

/** The plaintext exists only in a 0600 file in a private directory, removed whatever happens. */
function editFile(keyring: VaultKeyring, file: string): void {
  const opened = openFile(keyring, file);
  const dir = mkdtempSync(join(tmpdir(), 'provision-vault-'));
  try {
    const temp = join(dir, basename(file));
    writeFileSync(temp, opened.plaintext, { mode: 0o600, flag: 'wx' });
    const editor = process.env.EDITOR || 'vi';
    // $EDITOR is a shell word list ("code --wait"), as git and ansible-vault read it; the file is "$1".
    const r = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'editor', temp], { stdio: 'inherit' });
    if (r.error || r.status !== 0)
      throw new ProvisionError(
        'usage',
        `the editor "${editor}" ${r.error ? `could not start: ${r.error.message}` : `exited with status ${r.status ?? r.signal}`}; ${file} is unchanged`,
      );
    const edited = readFileSync(temp);
    if (!edited.equals(opened.plaintext)) writeOutput(sealVaultText(edited, opened.secret.password, opened.label), file, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
