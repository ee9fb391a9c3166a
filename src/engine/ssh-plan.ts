import { dirname, isAbsolute, resolve } from 'node:path';
import { addressProblem } from '../config/address.js';
import type { Vars } from '../core/vars.js';
import { inputError, ProvisionError, type SourceLocation } from '../errors.js';
import { expandProxyCommand } from '../transport/proxy-command.js';
import type { HostKeyPolicy, SshEndpoint, SshJump } from '../transport/ssh.js';
import { parseSshArgs } from '../transport/ssh-args.js';
import {
  expandPathTokens,
  parseJumpList,
  type ResolvedSshConfig,
  resolveSshConfig,
  type SshConfigFiles,
  type SshOption,
} from '../transport/ssh-config.js';

/** Where and how to log in to one host, and through which jump hosts. */
export interface SshPlan {
  target: SshEndpoint;
  jumps: SshJump[];
}

export interface SshPlanSettings {
  inventoryFile: string;
  /** --host-key-checking: beats everything. */
  hostKeyPolicy?: HostKeyPolicy;
  files: SshConfigFiles;
}

/** Paths in an inventory are relative to the inventory file, as Ansible's are. */
export function inventoryPath(p: string, inventoryFile: string, home: string): string {
  return isAbsolute(p) || p.startsWith('~') ? p.replace(/^~/, home) : resolve(dirname(inventoryFile), p);
}

const MAX_JUMPS = 8;

/** StrictHostKeyChecking in provision's terms: `ask` cannot ask here, so it is `strict`. */
function policyOf(c: ResolvedSshConfig): HostKeyPolicy {
  if (c.strictHostKeyChecking === 'accept-new') return 'accept-new';
  if (c.strictHostKeyChecking === 'no') return 'off';
  return 'strict';
}

/**
 * Ansible's ssh command line, as options in the order it writes them: its own (`Port`, `User`,
 * the key) before `ansible_ssh_common_args`, then `ansible_ssh_extra_args`. On ssh's command line
 * as in its files the first value wins, so these beat ~/.ssh/config; what the inventory leaves
 * unset (no ansible_user, no ansible_port) the config decides.
 */
function commandLineOptions(v: Vars, s: SshPlanSettings): { options: SshOption[]; configFile?: string } {
  const str = (k: string) => (v[k] === undefined || v[k] === null ? undefined : String(v[k]));
  const options: SshOption[] = [];
  const port = str('ansible_port');
  if (port !== undefined) options.push({ keyword: 'Port', args: [port] });
  const user = str('ansible_user');
  if (user !== undefined) options.push({ keyword: 'User', args: [user] });
  const timeout = str('provision_connect_timeout');
  if (timeout !== undefined) options.push({ keyword: 'ConnectTimeout', args: [String(Math.ceil(Number(timeout)))] });
  let configFile: string | undefined;
  for (const k of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const text = str(k);
    if (text === undefined) continue;
    const parsed = parseSshArgs(text, k);
    options.push(...parsed.options);
    configFile ??= parsed.configFile;
  }
  const named = str('provision_ssh_config');
  configFile ??= named === undefined ? undefined : inventoryPath(named, s.inventoryFile, s.files.home);
  return { options, configFile };
}

/** The connection settings every hop shares unless its own config says otherwise. */
interface Shared {
  vars: Vars;
  s: SshPlanSettings;
  configFile?: string;
}

function endpointOf(c: ResolvedSshConfig, sh: Shared, what: string | undefined): SshEndpoint {
  const str = (k: string) => (sh.vars[k] === undefined ? undefined : String(sh.vars[k]));
  const f = sh.s.files;
  const tokens = {
    home: f.home,
    localUser: f.localUser,
    localHost: f.localHost,
    localUid: f.localUid,
    hostKeyAlias: c.hostKeyAlias,
    user: c.user,
    hostname: c.hostname,
    port: c.port,
    originalHost: c.originalHost,
  };
  const known = str('provision_known_hosts_file');
  const timeoutS = str('provision_connect_timeout') === undefined ? (c.connectTimeoutS ?? 10) : Number(str('provision_connect_timeout'));
  return {
    address: c.hostname,
    port: c.port,
    user: c.user,
    identityFiles: c.identityFiles.map((p) => expandPathTokens(p, tokens)),
    identitiesOnly: c.identitiesOnly,
    knownHostsFile: known ? inventoryPath(known, sh.s.inventoryFile, f.home) : (c.userKnownHostsFiles[0] ?? `${f.home}/.ssh/known_hosts`),
    hostKeyPolicy: sh.s.hostKeyPolicy ?? (str('provision_host_key_checking') as HostKeyPolicy | undefined) ?? policyOf(c),
    connectTimeoutMs: timeoutS * 1000,
    keepaliveIntervalMs: c.serverAliveIntervalS * 1000,
    ...(c.proxyCommand === undefined ? {} : { proxyCommand: proxyCommandOf(c, what) }),
  };
}

/**
 * A host name ssh_config or a ProxyJump gives must be one (198.18.0.580 is a typo, not a DNS name):
 * bad input with the line that wrote it, before any host is contacted.
 */
function checkHostName(c: ResolvedSshConfig, what: string | undefined, fallback?: SourceLocation): void {
  const problem = addressProblem(c.hostname);
  if (problem)
    throw inputError(
      `${what ? `${what}: ` : ''}${problem}`,
      c.origins.hostname ?? fallback,
      'correct the HostName, ProxyJump or ansible_host that names it',
    );
}

/** The ProxyCommand to run for this host, its tokens expanded as ssh expands them. */
function proxyCommandOf(c: ResolvedSshConfig, what: string | undefined): string | undefined {
  if (c.proxyCommand === undefined) return undefined;
  const r = expandProxyCommand(c.proxyCommand, c);
  if ('command' in r) return r.command;
  throw inputError(
    `${what ? `${what}: ` : ''}ProxyCommand "${c.proxyCommand}": the token ${r.unknownToken} is not one ssh expands there`,
    c.origins.proxyCommand,
    'ProxyCommand takes %h (host name), %p (port), %r (remote user), %n (the name as given) and %% (a percent sign)',
  );
}

/**
 * The chain for a ProxyJump list, first hop first. As OpenSSH runs `ssh -J a -W %h:%p b` for
 * `a,b`: the last hop is reached through the others, and resolves its own config (user, port,
 * keys) with the spec's user and port as command-line options; only a first hop's own ProxyJump applies.
 */
function jumpChain(list: string, sh: Shared, depth: number, from?: SourceLocation): SshJump[] {
  if (depth > MAX_JUMPS) throw new ProvisionError('input', `ProxyJump: more than ${MAX_JUMPS} jump hosts (a loop in ssh_config?)`);
  const specs = parseJumpList(list);
  const last = specs.at(-1);
  if (!last) return [];
  const before = specs.slice(0, -1);
  const options: SshOption[] = [];
  if (last.user) options.push({ keyword: 'User', args: [last.user] });
  if (last.port) options.push({ keyword: 'Port', args: [String(last.port)] });
  if (before.length) options.push({ keyword: 'ProxyJump', args: [list.split(',').slice(0, -1).join(',')] });
  const c = resolveSshConfig({ host: last.host, options, configFile: sh.configFile }, sh.s.files);
  checkHostName(c, `bastion ${last.host}`, from);
  const ep = endpointOf(c, sh, `bastion ${last.host}`);
  const hop: SshJump = {
    ...ep,
    label: last.host,
    identity: [ep.identityFiles?.join(':'), ep.knownHostsFile, ep.hostKeyPolicy, ep.proxyCommand].join('|'),
  };
  return [...(c.proxyJump ? jumpChain(c.proxyJump, sh, depth + 1, c.origins.proxyJump ?? from) : []), hop];
}

/** How to reach an inventory host: its variables over ssh_config, as Ansible's ssh command line would. */
export function sshPlan(name: string, vars: Vars, s: SshPlanSettings): SshPlan {
  const { options, configFile } = commandLineOptions(vars, s);
  const host = vars.ansible_host === undefined ? name : String(vars.ansible_host);
  const c = resolveSshConfig({ host, options, configFile }, s.files);
  // the host's name is added where the error is reported
  checkHostName(c, undefined);
  const sh: Shared = { vars, s, configFile };
  const target = endpointOf(c, sh, undefined);
  const key = vars.ansible_ssh_private_key_file;
  if (key !== undefined) target.privateKeyFile = inventoryPath(String(key), s.inventoryFile, s.files.home);
  const password = vars.ansible_password;
  if (password !== undefined) target.password = String(password);
  return { target, jumps: c.proxyJump ? jumpChain(c.proxyJump, sh, 1, c.origins.proxyJump) : [] };
}
