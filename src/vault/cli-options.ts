import type { Command } from 'commander';
import { ProvisionError } from '../errors.js';
import { useVaultKeyring, VaultKeyring, type VaultSecret } from './keyring.js';
import { loadVaultSecrets, type VaultFlags, vaultIdSpecs } from './password-sources.js';
import { type PasswordPrompt, promptOnTerminal } from './prompt.js';

const repeat = (v: string, acc: string[]) => [...acc, v];
const warn = (line: string) => process.stderr.write(`${line}\n`);

/** The vault flags of ansible-playbook and ansible-vault. */
export function addVaultFlags(cmd: Command): Command {
  return cmd
    .option('--vault-id <label@source>', 'a vault password: LABEL@FILE, LABEL@SCRIPT or LABEL@prompt (repeatable)', repeat, [])
    .option('--vault-password-file <file>', 'a vault password file, or an executable script printing it (repeatable)', repeat, [])
    .option('-J, --ask-vault-pass', 'ask for the vault password on the terminal');
}

/**
 * Vault flags for a command that loads inventories and playbooks: the passwords are read before
 * its action runs, so every file it loads can be decrypted (and a wrong password is bad input
 * before any host is contacted). Nothing is asked unless a flag says so, as in ansible-playbook.
 */
export function withVaultPasswords(cmd: Command, env: () => NodeJS.ProcessEnv = () => process.env): Command {
  return addVaultFlags(cmd).hook('preAction', async (_hooked, action) => {
    useVaultKeyring(await keyringFromFlags(action.opts<VaultFlags>(), { autoPrompt: false, creating: false, env: env() }));
  });
}

export async function loadSecretsFromFlags(
  flags: VaultFlags,
  opts: { autoPrompt: boolean; creating: boolean; prompt?: PasswordPrompt; env?: NodeJS.ProcessEnv },
): Promise<VaultSecret[]> {
  const specs = vaultIdSpecs(flags, opts.env ?? process.env, opts.autoPrompt);
  return loadVaultSecrets(specs, { creating: opts.creating, prompt: opts.prompt ?? promptOnTerminal, warn });
}

export async function keyringFromFlags(
  flags: VaultFlags,
  opts: { autoPrompt: boolean; creating: boolean; env?: NodeJS.ProcessEnv },
): Promise<VaultKeyring> {
  return new VaultKeyring(await loadSecretsFromFlags(flags, opts), envFlag(process.env.ANSIBLE_VAULT_ID_MATCH));
}

/** Ansible's boolean settings: yes/true/on/1 and their short forms. */
function envFlag(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  const v = value.trim().toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(v)) return true;
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(v)) return false;
  throw new ProvisionError('usage', `ANSIBLE_VAULT_ID_MATCH="${value}" is not a boolean`, { hint: 'set it to true or false' });
}
