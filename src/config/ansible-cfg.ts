import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Vars } from '../core/vars.js';
import type { BecomeDefaults } from '../engine/become.js';
import { inputError, ProvisionError, type SourceLocation } from '../errors.js';
import { BECOME_METHODS, type BecomeMethod } from '../transport/become.js';
import type { VarsLayer } from './vars-dirs.js';

// ansible.cfg as ansible-config finds and reads it, and the ANSIBLE_* variables of the same settings:
// command line > environment > ansible.cfg > default. Settings provision has a use for are returned
// typed; every other key of the file is named in a warning, once, so nothing is dropped silently.

/** The settings of ansible.cfg (and their ANSIBLE_* variables) that provision applies. */
export interface AnsibleConfig {
  /** The file read, or undefined when none was found. */
  file?: string;
  /** `[defaults] inventory` / ANSIBLE_INVENTORY: paths, resolved. Empty when not configured. */
  inventory: string[];
  /** `[defaults] roles_path` / ANSIBLE_ROLES_PATH, resolved; Ansible's default when not configured. */
  rolesPath: string[];
  remoteUser?: string;
  remotePort?: number;
  privateKeyFile?: string;
  forks?: number;
  hostKeyChecking?: boolean;
  /** Seconds to wait for an SSH connection. */
  timeout?: number;
  vaultPasswordFile?: string;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  /** `[defaults] ansible_managed`: the text templates get as ansible_managed. */
  managed?: string;
  becomeFlags?: string;
  becomeExe?: string;
  /** `[defaults] become_password_file` / ANSIBLE_BECOME_PASSWORD_FILE: read when -K is not given. */
  becomePasswordFile?: string;
  /**
   * `[sudo_become_plugin]` / `[su_become_plugin]` and ANSIBLE_SUDO_* / ANSIBLE_SU_* (and
   * ANSIBLE_BECOME_PASS): what a method's own settings say over the general ones above.
   */
  becomePlugins: Partial<Record<BecomeMethod, BecomePluginSettings>>;
  /** Where each setting came from in the file (absent for environment values). */
  origins: Partial<Record<SettingName, SourceLocation>>;
  /** One line per key of the file provision does not use. */
  warnings: string[];
}

/** One become method's own settings; absent where the general one applies. */
export interface BecomePluginSettings {
  user?: string;
  exe?: string;
  flags?: string;
  password?: string;
}

type Kind = 'string' | 'integer' | 'boolean' | 'path' | 'pathlist' | 'pathspec';
type SettingName = Exclude<keyof AnsibleConfig, 'file' | 'origins' | 'warnings' | 'becomePlugins'>;

interface Setting {
  name: SettingName;
  kind: Kind;
  /** [section, key] pairs; when several are set, the last one listed wins, as in Ansible. */
  ini: [string, string][];
  env: string[];
}

/** Ansible's definitions (lib/ansible/config/base.yml and the ssh connection plugin) of what provision uses. */
const SETTINGS: Setting[] = [
  { name: 'inventory', kind: 'pathlist', ini: [['defaults', 'inventory']], env: ['ANSIBLE_INVENTORY'] },
  { name: 'rolesPath', kind: 'pathspec', ini: [['defaults', 'roles_path']], env: ['ANSIBLE_ROLES_PATH'] },
  { name: 'remoteUser', kind: 'string', ini: [['defaults', 'remote_user']], env: ['ANSIBLE_REMOTE_USER'] },
  { name: 'remotePort', kind: 'integer', ini: [['defaults', 'remote_port']], env: ['ANSIBLE_REMOTE_PORT'] },
  { name: 'privateKeyFile', kind: 'path', ini: [['defaults', 'private_key_file']], env: ['ANSIBLE_PRIVATE_KEY_FILE'] },
  { name: 'forks', kind: 'integer', ini: [['defaults', 'forks']], env: ['ANSIBLE_FORKS'] },
  {
    name: 'hostKeyChecking',
    kind: 'boolean',
    ini: [
      ['defaults', 'host_key_checking'],
      ['ssh_connection', 'host_key_checking'],
    ],
    env: ['ANSIBLE_HOST_KEY_CHECKING', 'ANSIBLE_SSH_HOST_KEY_CHECKING'],
  },
  {
    name: 'timeout',
    kind: 'integer',
    ini: [
      ['defaults', 'timeout'],
      ['ssh_connection', 'timeout'],
    ],
    env: ['ANSIBLE_TIMEOUT', 'ANSIBLE_SSH_TIMEOUT'],
  },
  { name: 'vaultPasswordFile', kind: 'path', ini: [['defaults', 'vault_password_file']], env: ['ANSIBLE_VAULT_PASSWORD_FILE'] },
  { name: 'become', kind: 'boolean', ini: [['privilege_escalation', 'become']], env: ['ANSIBLE_BECOME'] },
  { name: 'becomeUser', kind: 'string', ini: [['privilege_escalation', 'become_user']], env: ['ANSIBLE_BECOME_USER'] },
  { name: 'becomeMethod', kind: 'string', ini: [['privilege_escalation', 'become_method']], env: ['ANSIBLE_BECOME_METHOD'] },
  { name: 'managed', kind: 'string', ini: [['defaults', 'ansible_managed']], env: [] },
  { name: 'becomeFlags', kind: 'string', ini: [['privilege_escalation', 'become_flags']], env: ['ANSIBLE_BECOME_FLAGS'] },
  { name: 'becomeExe', kind: 'string', ini: [['privilege_escalation', 'become_exe']], env: ['ANSIBLE_BECOME_EXE'] },
  { name: 'becomePasswordFile', kind: 'path', ini: [['defaults', 'become_password_file']], env: ['ANSIBLE_BECOME_PASSWORD_FILE'] },
];

/** An ini value with where it was written. */
export interface CfgEntry {
  value: string;
  location: SourceLocation;
}

/** Where ansible-config looks, first found wins: ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg, /etc/ansible/ansible.cfg. */
export function findAnsibleConfig(env: NodeJS.ProcessEnv, cwd: string, warn: (line: string) => void): string | undefined {
  const candidates: string[] = [];
  const fromEnv = env.ANSIBLE_CONFIG === undefined ? undefined : resolve(cwd, expandHome(env.ANSIBLE_CONFIG, env));
  const envPath = fromEnv !== undefined && isDir(fromEnv) ? join(fromEnv, 'ansible.cfg') : fromEnv;
  if (envPath !== undefined) candidates.push(envPath);
  const local = join(cwd, 'ansible.cfg');
  // Ansible ignores ./ansible.cfg in a world-writable directory: anyone could have put it there.
  const worldWritable = (statSync(cwd).mode & 0o002) !== 0;
  if (!worldWritable) candidates.push(local);
  candidates.push(join(env.HOME ?? homedir(), '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  const found = candidates.find(readable);
  if (worldWritable && existsSync(local) && found !== envPath)
    warn(`warning: ${cwd} is world writable: its ansible.cfg is ignored, as Ansible does`);
  return found;
}

function readable(p: string): boolean {
  try {
    accessSync(p, constants.R_OK);
    return statSync(p).isFile();
  } catch {
    // Not there or not readable: Ansible moves on to the next place, and so does this.
    return false;
  }
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  return p === '~' || p.startsWith('~/') ? join(env.HOME ?? homedir(), p.slice(1)) : p;
}

/**
 * The ini text as Python's ConfigParser reads it for Ansible: `[section]`, `key = value` or
 * `key: value` (keys lower-cased), `#`/`;` comment lines, `;` after a space starts an inline
 * comment, indented lines continue a value, `%%` is `%`. A key given twice in a section is an error.
 */
export function parseCfg(file: string, text: string): Map<string, Map<string, CfgEntry>> {
  const sections = new Map<string, Map<string, CfgEntry>>();
  let current: Map<string, CfgEntry> | undefined;
  let last: CfgEntry | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) {
      if (trimmed === '') last = undefined;
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    if (indent > 0 && last) {
      last.value = `${last.value}\n${stripInline(trimmed)}`.trim();
      return;
    }
    const section = /^\[([^\]]+)\]/.exec(trimmed);
    if (section) {
      const name = section[1] ?? '';
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      last = undefined;
      return;
    }
    const where = { file, line, col: indent + 1 };
    const kv = /^([^=:]+?)\s*[=:]\s?(.*)$/.exec(trimmed);
    if (!kv) throw inputError(`expected "key = value" in ${file}, got "${trimmed}"`, where, 'write one setting a line under a [section]');
    if (!current) throw inputError(`"${trimmed}" comes before any [section]`, where, 'put settings under [defaults] or another section');
    const key = (kv[1] ?? '').trim().toLowerCase();
    if (current.has(key)) throw inputError(`"${key}" is set twice in the same section`, where, 'keep one of the two lines');
    last = {
      value: stripInline(kv[2] ?? '')
        .trim()
        .replace(/%%/g, '%'),
      location: where,
    };
    current.set(key, last);
  });
  return sections;
}

function stripInline(value: string): string {
  const m = /\s;/.exec(value);
  return m ? value.slice(0, m.index) : value;
}

/** The configuration in effect: ANSIBLE_* variables over the ansible.cfg found, which is read when there is one. */
export function loadAnsibleConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), warn = (_: string) => {}): AnsibleConfig {
  const file = findAnsibleConfig(env, cwd, warn);
  const sections = file ? parseCfg(file, readFileSync(file, 'utf8')) : new Map<string, Map<string, CfgEntry>>();
  return resolveConfig(sections, env, cwd, file);
}

/** Settings from parsed sections and the environment (pure: tests give both). */
export function resolveConfig(
  sections: Map<string, Map<string, CfgEntry>>,
  env: NodeJS.ProcessEnv,
  cwd: string,
  file: string | undefined,
): AnsibleConfig {
  const cfg: AnsibleConfig = { file, inventory: [], rolesPath: defaultRolesPath(env), origins: {}, warnings: [], becomePlugins: {} };
  const used = new Set<string>();
  for (const method of BECOME_METHODS) {
    const own = becomePluginSettings(method, sections, env, used);
    if (Object.keys(own).length) cfg.becomePlugins[method] = own;
  }
  const out = cfg as unknown as Record<string, unknown>;
  for (const s of SETTINGS) {
    let picked: { raw: string; base: string; location?: SourceLocation; what: string } | undefined;
    for (const [section, key] of s.ini) {
      used.add(`${section}.${key}`);
      const e = sections.get(section)?.get(key);
      if (e && file) picked = { raw: e.value, base: dirname(file), location: e.location, what: `[${section}] ${key}` };
    }
    for (const name of s.env) {
      const v = env[name];
      if (v !== undefined) picked = { raw: v, base: cwd, what: name };
    }
    if (!picked) continue;
    out[s.name] = convert(s.kind, picked.raw, picked.base, env, picked.what, picked.location);
    if (picked.location) cfg.origins[s.name] = picked.location;
  }
  if (cfg.becomeMethod !== undefined && !(BECOME_METHODS as readonly string[]).includes(cfg.becomeMethod))
    cfg.warnings.push(
      `${where(cfg.origins.becomeMethod, 'ANSIBLE_BECOME_METHOD')}: become_method ${cfg.becomeMethod} is not supported: provision becomes with ${BECOME_METHODS.join(' or ')}`,
    );
  for (const [section, keys] of sections)
    for (const [key, e] of keys)
      if (!used.has(`${section}.${key}`)) cfg.warnings.push(`${where(e.location, '')}: [${section}] ${key} is not used by provision`);
  return cfg;
}

/** The become plugins' options (lib/ansible/plugins/become/sudo.py, su.py): their ini key and the variable named after the method. */
const PLUGIN_OPTIONS: { key: keyof BecomePluginSettings; ini: string; env: string; general?: string }[] = [
  { key: 'user', ini: 'user', env: 'USER', general: 'ANSIBLE_BECOME_USER' },
  { key: 'exe', ini: 'executable', env: 'EXE', general: 'ANSIBLE_BECOME_EXE' },
  { key: 'flags', ini: 'flags', env: 'FLAGS', general: 'ANSIBLE_BECOME_FLAGS' },
  { key: 'password', ini: 'password', env: 'PASS' },
];

/**
 * A method's own settings, in Ansible's order for each option: `[privilege_escalation]`, then
 * `[METHOD_become_plugin]` (the last ini entry wins), then ANSIBLE_BECOME_*, then ANSIBLE_METHOD_*
 * (the environment over the file). Only what beats the general setting is returned; the password
 * has no general setting but ANSIBLE_BECOME_PASS.
 */
function becomePluginSettings(
  method: BecomeMethod,
  sections: Map<string, Map<string, CfgEntry>>,
  env: NodeJS.ProcessEnv,
  used: Set<string>,
): BecomePluginSettings {
  const section = `${method}_become_plugin`;
  const out: BecomePluginSettings = {};
  for (const o of PLUGIN_OPTIONS) {
    used.add(`${section}.${o.ini}`);
    const ini = sections.get(section)?.get(o.ini)?.value;
    const fromEnv = env[`ANSIBLE_${method.toUpperCase()}_${o.env}`] ?? (o.general === undefined ? env.ANSIBLE_BECOME_PASS : undefined);
    // The environment beats the file: ANSIBLE_BECOME_USER hides [sudo_become_plugin] user (and is the general setting).
    const hidden = o.general !== undefined && env[o.general] !== undefined;
    const value = fromEnv ?? (hidden ? undefined : ini);
    if (value !== undefined) out[o.key] = unquote(value.trim());
  }
  return out;
}

function where(loc: SourceLocation | undefined, envName: string): string {
  return loc ? `${loc.file}:${loc.line}` : envName;
}

function convert(kind: Kind, raw: string, base: string, env: NodeJS.ProcessEnv, what: string, location?: SourceLocation): unknown {
  const path = (p: string) => {
    const home = expandHome(p.trim(), env);
    return isAbsolute(home) ? home : resolve(base, home);
  };
  switch (kind) {
    case 'string':
      return unquote(raw.trim());
    case 'integer': {
      const n = Number(raw.trim());
      if (!Number.isInteger(n) || raw.trim() === '')
        throw inputError(
          `${what} must be a whole number, got "${raw}"`,
          location,
          location ? 'fix the value in ansible.cfg' : `fix ${what}`,
        );
      return n;
    }
    case 'boolean':
      // Ansible's boolean(strict=False): these are true, anything else is false.
      return ['y', 'yes', 'on', '1', 'true', 't', '1.0'].includes(unquote(raw.trim()).toLowerCase());
    case 'path':
      return path(unquote(raw.trim()));
    case 'pathlist':
      return raw
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
        .map(path);
    case 'pathspec':
      return raw
        .split(':')
        .map((p) => p.trim())
        .filter(Boolean)
        .map(path);
  }
}

function unquote(s: string): string {
  const q = s.charAt(0);
  return s.length >= 2 && (q === '"' || q === "'") && s.endsWith(q) ? s.slice(1, -1) : s;
}

function defaultRolesPath(env: NodeJS.ProcessEnv): string[] {
  const home = env.ANSIBLE_HOME ? expandHome(env.ANSIBLE_HOME, env) : join(env.HOME ?? homedir(), '.ansible');
  return [join(home, 'roles'), '/usr/share/ansible/roles', '/etc/ansible/roles'];
}

/** ansible-playbook's connection flags (-u, --private-key, -b, --become-user, --become-method, -T) win over the environment and the file. */
export interface ConnectionFlags {
  user?: string;
  privateKey?: string;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: string;
  timeout?: string;
}

export function withCommandLine(cfg: AnsibleConfig, flags: ConnectionFlags, cwd = process.cwd()): AnsibleConfig {
  const out: AnsibleConfig = { ...cfg, origins: { ...cfg.origins } };
  const given = <K extends SettingName>(name: K, value: AnsibleConfig[K] | undefined) => {
    if (value === undefined) return;
    out[name] = value;
    delete out.origins[name];
  };
  given('remoteUser', flags.user);
  given('privateKeyFile', flags.privateKey === undefined ? undefined : resolve(cwd, flags.privateKey));
  given('become', flags.become);
  given('becomeUser', flags.becomeUser);
  // --become-user beats every method's own user too.
  if (flags.becomeUser !== undefined)
    out.becomePlugins = Object.fromEntries(Object.entries(cfg.becomePlugins).map(([m, own]) => [m, { ...own, user: undefined }]));
  given('becomeMethod', flags.becomeMethod);
  if (flags.timeout !== undefined) {
    const n = Number(flags.timeout);
    if (!Number.isInteger(n) || n < 1)
      throw new ProvisionError('usage', `--timeout must be a whole number of seconds, got "${flags.timeout}"`);
    given('timeout', n);
  }
  return out;
}

/**
 * The connection settings as the lowest layer of every host's variables: any inventory, group_vars
 * or host_vars value wins over them, as over Ansible's configuration.
 */
export function connectionDefaults(cfg: AnsibleConfig): VarsLayer {
  const vars: Vars = {};
  const origins: Record<string, SourceLocation> = {};
  const set = (name: string, setting: SettingName, value: unknown) => {
    if (value === undefined) return;
    vars[name] = value;
    const loc = cfg.origins[setting];
    if (loc) origins[name] = loc;
  };
  set('ansible_user', 'remoteUser', cfg.remoteUser);
  set('ansible_port', 'remotePort', cfg.remotePort);
  set('ansible_ssh_private_key_file', 'privateKeyFile', cfg.privateKeyFile);
  set('provision_connect_timeout', 'timeout', cfg.timeout);
  set(
    'provision_host_key_checking',
    'hostKeyChecking',
    cfg.hostKeyChecking === undefined ? undefined : cfg.hostKeyChecking ? 'strict' : 'off',
  );
  return { vars, origins };
}

/**
 * become of ansible.cfg and the command line: not host variables, which win over a play's
 * keywords, but defaults below them (a play's `become: false` switches off `become = True`).
 */
export function becomeDefaults(cfg: AnsibleConfig): BecomeDefaults {
  const out: BecomeDefaults = {};
  if (cfg.become !== undefined) out.become = cfg.become;
  if (cfg.becomeUser !== undefined) out.user = cfg.becomeUser;
  // A method provision cannot use was named in a warning; sudo stands in, as before.
  if (cfg.becomeMethod !== undefined && (BECOME_METHODS as readonly string[]).includes(cfg.becomeMethod)) out.method = cfg.becomeMethod;
  if (cfg.becomeFlags !== undefined) out.flags = cfg.becomeFlags;
  if (cfg.becomeExe !== undefined) out.exe = cfg.becomeExe;
  if (Object.keys(cfg.becomePlugins).length) out.methods = cfg.becomePlugins;
  return out;
}
