import { spawnSync } from 'node:child_process';
import { basename, extname } from 'node:path';
import { must, ProvisionError } from '../errors.js';
import { DEFAULT_VAULT_ID, labelProblem } from './format.js';
import type { VaultSecret } from './keyring.js';
import { readPasswordFile, stripLineEnds } from './password-file.js';
import type { PasswordPrompt } from './prompt.js';

/** One `--vault-id label@source`: source is a password file, a script, or a prompt. */
export interface VaultIdSpec {
  label: string;
  source: string;
}

/** The vault flags Ansible's commands share, as commander hands them over. */
export interface VaultFlags {
  vaultId?: string[];
  vaultPasswordFile?: string[];
  askVaultPass?: boolean;
}

// `--ask-vault-pass` becomes this source; Ansible keeps its older prompt wording for it.
const ASK = 'prompt_ask_vault_pass';
const PROMPT = 'prompt';

/** `label@source`, or a bare source under the default label (Ansible's split_vault_id). */
export function parseVaultId(slug: string): VaultIdSpec {
  const at = slug.indexOf('@');
  const label = at < 0 ? '' : slug.slice(0, at);
  const source = at < 0 ? slug : slug.slice(at + 1);
  const problem = label ? labelProblem(label) : undefined;
  if (problem) throw new ProvisionError('usage', `--vault-id ${slug}: ${problem}`, { hint: 'write --vault-id LABEL@FILE or LABEL@prompt' });
  if (!source)
    throw new ProvisionError('usage', `--vault-id ${slug}: no password source after "@"`, {
      hint: 'write --vault-id LABEL@FILE or LABEL@prompt',
    });
  return { label: label || DEFAULT_VAULT_ID, source };
}

/**
 * The vault ids of a command in Ansible's order: ANSIBLE_VAULT_IDENTITY_LIST, then each --vault-id,
 * then each --vault-password-file and ANSIBLE_VAULT_PASSWORD_FILE (label `default`), then
 * --ask-vault-pass. `autoPrompt` (ansible-vault's commands) asks when nothing else is given.
 */
export function vaultIdSpecs(flags: VaultFlags, env: NodeJS.ProcessEnv, autoPrompt: boolean): VaultIdSpec[] {
  const listed = (env.ANSIBLE_VAULT_IDENTITY_LIST ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const specs = [...listed, ...(flags.vaultId ?? [])].map(parseVaultId);
  const files = [...(flags.vaultPasswordFile ?? []), ...(env.ANSIBLE_VAULT_PASSWORD_FILE ? [env.ANSIBLE_VAULT_PASSWORD_FILE] : [])];
  for (const f of files) specs.push({ label: DEFAULT_VAULT_ID, source: f });
  if (flags.askVaultPass || (specs.length === 0 && autoPrompt)) specs.push({ label: DEFAULT_VAULT_ID, source: ASK });
  return specs;
}

export interface LoadOptions {
  /** Passwords for encrypting are asked twice, and the prompts say "new". */
  creating: boolean;
  prompt: PasswordPrompt;
  /** A password file that cannot be read is a warning while another source works (as in Ansible). */
  warn: (line: string) => void;
}

/** Read every password, in order; prompts come one after another. */
export async function loadVaultSecrets(specs: readonly VaultIdSpec[], opts: LoadOptions): Promise<VaultSecret[]> {
  const loaded: VaultSecret[] = [];
  let firstFailure: ProvisionError | undefined;
  for (const spec of specs) {
    if (spec.source === PROMPT || spec.source === ASK) {
      loaded.push({ id: spec.label, password: await askPassword(spec, opts), source: 'prompt' });
      continue;
    }
    try {
      loaded.push(readPasswordSource(spec));
    } catch (e) {
      if (!(e instanceof ProvisionError)) throw e;
      firstFailure ??= e;
      opts.warn(`warning: vault id "${spec.label}": ${e.message}`);
    }
  }
  if (firstFailure && loaded.length === 0) throw firstFailure;
  return loaded;
}

async function askPassword(spec: VaultIdSpec, opts: LoadOptions): Promise<Buffer> {
  const questions =
    spec.source === ASK
      ? opts.creating
        ? ['New Vault password: ', 'Confirm New Vault password: ']
        : ['Vault password: ']
      : opts.creating
        ? [`New vault password (${spec.label}): `, `Confirm new vault password (${spec.label}): `]
        : [`Vault password (${spec.label}): `];
  const answers: string[] = [];
  for (const q of questions) {
    const answer = (await opts.prompt(q)).trim();
    if (!answer) throw new ProvisionError('usage', `an empty vault password was given for vault id "${spec.label}"`);
    answers.push(answer);
  }
  const first = must(answers[0], 'the answer to the vault password prompt');
  if (answers.some((a) => a !== first)) throw new ProvisionError('usage', 'the two vault passwords do not match');
  return Buffer.from(first, 'utf8');
}

/** A password file is read; an executable one is run and its standard output is the password. */
function readPasswordSource(spec: VaultIdSpec): VaultSecret {
  const { password, kind } = readPasswordFile(
    spec.source,
    'vault password',
    (file) => runPasswordScript(file, spec.label),
    'check the path given to --vault-id / --vault-password-file / ANSIBLE_VAULT_PASSWORD_FILE',
  );
  return { id: spec.label, password, source: `${kind} ${spec.source}` };
}

/**
 * A script's stdout is the password; its stderr goes to the terminal (so it can prompt). A script
 * named `*-client` (Ansible's client scripts) is asked for one id with `--vault-id LABEL`, and
 * exit status 2 means it has no password for that id.
 */
function runPasswordScript(file: string, label: string): Buffer {
  const client = basename(file, extname(file)).endsWith('-client');
  const r = spawnSync(file, client ? ['--vault-id', label] : [], { stdio: ['inherit', 'pipe', client ? 'pipe' : 'inherit'] });
  if (r.error) throw new ProvisionError('usage', `the vault password script ${file} cannot be run: ${r.error.message}`);
  if (r.status !== 0) {
    const why = client && r.status === 2 ? `has no password for vault id "${label}"` : `exited with status ${r.status ?? r.signal}`;
    throw new ProvisionError('usage', `the vault password script ${file} ${why}`, {
      hint: 'run the script by hand; it must print the password and exit 0 (a plain password file must not be executable)',
    });
  }
  return stripLineEnds(r.stdout);
}
