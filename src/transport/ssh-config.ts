/**
 * OpenSSH's client configuration (ssh_config(5)), read the way `ssh` reads it: command-line
 * options first, then each file top to bottom; for most keywords the first value obtained wins,
 * `IdentityFile` accumulates. `Host` and `Match` blocks decide which lines apply. Pure: files are
 * read through the `SshConfigFiles` given, so tests can hold them in memory.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { inputError, ProvisionError, type SourceLocation } from '../errors.js';
import { matchOpenSshPatternList } from './openssh-pattern.js';

/** How the resolver reaches files and the user it runs as; the real one lives in ssh-config-files.ts. */
export interface SshConfigFiles {
  /** The file's text, or undefined when it does not exist; throws an input error when it cannot be read. */
  read(path: string): string | undefined;
  /** Paths matching a glob, sorted as glob(3) sorts them; none when nothing matches. */
  glob(pattern: string): string[];
  home: string;
  localUser: string;
  localHost: string;
  /** The local user's id (OpenSSH's %i); without it %i is refused. */
  localUid?: number;
}

/** One option as given on ssh's command line (`-o Key=Value`, `-p`, `-l`, `-J`, `-i`), in order. */
export interface SshOption {
  keyword: string;
  args: string[];
}

export interface SshConfigQuery {
  /** The destination as ssh is given it (Ansible passes ansible_host, or the inventory name). */
  host: string;
  options: SshOption[];
  /** `-F FILE`: only this file is read. Otherwise ~/.ssh/config, then /etc/ssh/ssh_config. */
  configFile?: string;
}

/** What ssh would use for one destination. Paths in `identityFiles` are as written (ssh -G prints them so). */
export interface ResolvedSshConfig {
  /** The destination as given (OpenSSH's %n). */
  originalHost: string;
  hostname: string;
  user: string;
  port: number;
  identityFiles: string[];
  /** True when no IdentityFile was configured and `identityFiles` holds OpenSSH's defaults. */
  defaultIdentities: boolean;
  identitiesOnly: boolean;
  /** The jump hosts as written (`a,user@b:2`); undefined for none. */
  proxyJump?: string;
  /** A ProxyCommand other than `none`. */
  proxyCommand?: string;
  /** HostKeyAlias: what %k expands to instead of the destination. */
  hostKeyAlias?: string;
  connectTimeoutS?: number;
  serverAliveIntervalS: number;
  serverAliveCountMax: number;
  userKnownHostsFiles: string[];
  strictHostKeyChecking: 'yes' | 'no' | 'ask' | 'accept-new';
  /** The config line that set HostName, ProxyJump or ProxyCommand (none: the destination given, a command-line option). */
  origins: { hostname?: SourceLocation; proxyJump?: SourceLocation; proxyCommand?: SourceLocation };
}

const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'].map(
  (f) => `~/.ssh/${f}`,
);

/** Keywords whose values this resolver uses; every other keyword is read past, as ssh ignores what it does not need here. */
type Values = Map<string, string[]>;

/** Keywords that accumulate instead of keeping the first value. */
const ACCUMULATE = new Set(['identityfile']);

const MAX_INCLUDE_DEPTH = 16;

function configError(message: string, where: SourceLocation, hint?: string): ProvisionError {
  return inputError(`ssh_config: ${message}`, where, hint);
}

/** Keywords whose value is a command: the rest of the line as written, quotes and all, for the shell to read. */
export const COMMAND_KEYWORDS = new Set(['proxycommand']);

/** One line's keyword and arguments: `Key value`, `Key=value`, double quotes group words. */
export function splitConfigLine(raw: string): { keyword: string; args: string[] } | undefined {
  const line = raw.trim();
  if (!line || line.startsWith('#')) return undefined;
  const m = /^([^\s=]+)\s*(?:=\s*|\s+|$)(.*)$/.exec(line);
  if (!m) return undefined;
  const keyword = (m[1] ?? '').toLowerCase();
  const rest = m[2] ?? '';
  if (COMMAND_KEYWORDS.has(keyword)) {
    const command = rest.replace(/^[\s=]+/, '');
    return { keyword, args: command ? [command] : [] };
  }
  const args: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (const c of rest) {
    if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/.test(c)) {
      if (inWord) args.push(cur);
      cur = '';
      inWord = false;
    } else if (!quoted && c === '#' && !inWord) {
      break;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) args.push(cur);
  return { keyword, args };
}

class Resolver {
  readonly values: Values = new Map();
  /** Where each value that won was written (file, line, the column of its value). */
  readonly origins = new Map<string, SourceLocation>();

  constructor(
    private readonly files: SshConfigFiles,
    private readonly originalHost: string,
  ) {}

  set(keyword: string, args: string[], where?: SourceLocation): void {
    const k = keyword.toLowerCase();
    if (ACCUMULATE.has(k)) {
      this.values.set(k, [...(this.values.get(k) ?? []), ...args]);
      return;
    }
    // ProxyJump and ProxyCommand share one slot: whichever comes first wins.
    if ((k === 'proxyjump' || k === 'proxycommand') && (this.values.has('proxyjump') || this.values.has('proxycommand'))) return;
    if (this.values.has(k)) return;
    this.values.set(k, args);
    if (where) this.origins.set(k, where);
  }

  private first(k: string): string | undefined {
    return this.values.get(k)?.[0];
  }

  /** The host name as far as it is known now: `Match host` tests this, not the destination given. */
  currentHost(): string {
    const hn = this.first('hostname');
    return hn === undefined ? this.originalHost : expandHostName(hn, this.originalHost);
  }

  currentUser(): string {
    return this.first('user') ?? this.files.localUser;
  }

  readFile(path: string, userConf: boolean, active: boolean, depth: number, required = false): void {
    const text = this.files.read(path);
    if (text === undefined) {
      // ssh: "Can't open user config file": a file named with -F must be there
      if (required)
        throw inputError(`ssh_config: the file ${path} does not exist`, undefined, 'name an existing file with -F or provision_ssh_config');
      return;
    }
    let blockActive = active;
    text.split(/\r?\n/).forEach((raw, i) => {
      const parsed = splitConfigLine(raw);
      if (!parsed) return;
      const { keyword, args } = parsed;
      const where = { file: path, line: i + 1, col: valueColumn(raw, keyword, args) };
      if (keyword === 'host') {
        blockActive = active && matchHostLine(this.originalHost, args);
      } else if (keyword === 'match') {
        blockActive = active && this.matchLine(args, where);
      } else if (keyword === 'include') {
        if (depth >= MAX_INCLUDE_DEPTH) throw configError('Include nested too deeply', where);
        for (const arg of args) {
          const pattern = includePath(arg, userConf, this.files.home);
          // An Include inside an inactive block is read, but nothing in it applies.
          for (const f of this.files.glob(pattern)) this.readFile(f, userConf, blockActive, depth + 1);
        }
      } else if (blockActive) {
        if (args.length === 0) throw configError(`${keyword} needs a value`, where);
        this.set(keyword, args, where);
      }
    });
  }

  private matchLine(args: string[], where: SourceLocation): boolean {
    let ok = true;
    for (let i = 0; i < args.length; i++) {
      const raw = must(args[i]);
      const negate = raw.startsWith('!');
      const criterion = (negate ? raw.slice(1) : raw).toLowerCase();
      let result: boolean;
      if (criterion === 'all') result = true;
      else if (['host', 'originalhost', 'user', 'localuser'].includes(criterion)) {
        const list = args[++i];
        if (list === undefined) throw configError(`Match ${criterion} needs a pattern list`, where);
        const subject =
          criterion === 'host'
            ? this.currentHost()
            : criterion === 'originalhost'
              ? this.originalHost
              : criterion === 'user'
                ? this.currentUser()
                : this.files.localUser;
        result = matchOpenSshPatternList(subject, list, { case: 'fold-pattern' }) === 'match';
      } else if (criterion === 'exec') {
        const command = args[++i];
        if (command === undefined) throw configError('Match exec needs a command', where);
        // As ssh: the command runs only when every criterion before it matched; only then is the answer needed.
        if (!ok) continue;
        throw configError(
          `Match exec "${command}" would run a command on this machine to decide; provision does not run it`,
          where,
          'match on Host or Match host, originalhost, user or localuser instead, or set what the block sets in the inventory (ansible_host, ansible_user, ansible_ssh_common_args)',
        );
      } else {
        throw configError(
          `Match ${criterion} is not supported yet`,
          where,
          'provision understands Match all, host, originalhost, user and localuser',
        );
      }
      if (negate ? result : !result) ok = false;
    }
    return ok;
  }
}

/** The column where a line's value starts (the keyword's when it has none): what an error about the value points at. */
function valueColumn(raw: string, keyword: string, args: string[]): number {
  const start = raw.search(/\S/);
  const first = args[0];
  const at = first === undefined ? -1 : raw.indexOf(first, start + keyword.length);
  return (at >= 0 ? at : start) + 1;
}

function must(v: string | undefined): string {
  if (v === undefined) throw new Error('a Match argument went missing');
  return v;
}

/** A `Host` line: some pattern matches and no negated one does. */
function matchHostLine(host: string, patterns: string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    const verdict = matchOpenSshPatternList(host, p, { case: 'exact' });
    if (verdict === 'negated') return false;
    if (verdict === 'match') matched = true;
  }
  return matched;
}

/** Relative Include paths are under ~/.ssh for the user's files, /etc/ssh for the system's. */
function includePath(arg: string, userConf: boolean, home: string): string {
  if (arg.startsWith('~')) return home + arg.slice(1);
  if (arg.startsWith('/')) return arg;
  return userConf ? posix.join(home, '.ssh', arg) : posix.join('/etc/ssh', arg);
}

function expandHostName(value: string, host: string): string {
  return value.replace(/%([%h])/g, (_, t: string) => (t === '%' ? '%' : host));
}

/** What the percent tokens of a path stand for: the local side, and the destination as resolved. */
export interface PathTokens {
  home: string;
  localUser: string;
  localHost: string;
  localUid?: number;
  user: string;
  hostname: string;
  port: number;
  originalHost: string;
  hostKeyAlias?: string;
}

/** OpenSSH's %C: a hex SHA-1 of %l%h%p%r (OpenSSH 9.2; later releases append %j). */
export function connectionHash(t: Pick<PathTokens, 'localHost' | 'hostname' | 'port' | 'user'>): string {
  return createHash('sha1').update(`${t.localHost}${t.hostname}${t.port}${t.user}`).digest('hex');
}

/** Percent tokens in paths (IdentityFile, UserKnownHostsFile), after `~`. */
export function expandPathTokens(value: string, t: PathTokens): string {
  const tilde = value.startsWith('~/') || value === '~' ? t.home + value.slice(1) : value;
  return tilde.replace(/%(.)/g, (whole, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'd':
        return t.home;
      case 'u':
        return t.localUser;
      case 'r':
        return t.user;
      case 'h':
        return t.hostname;
      case 'p':
        return String(t.port);
      case 'n':
        return t.originalHost;
      case 'l':
        return t.localHost;
      case 'L':
        return t.localHost.split('.')[0] ?? t.localHost;
      case 'C':
        return connectionHash(t);
      case 'k':
        return t.hostKeyAlias ?? t.originalHost;
      case 'i':
        if (t.localUid !== undefined) return String(t.localUid);
        break;
    }
    throw new ProvisionError('input', `ssh_config: the token ${whole} in "${value}" is not supported yet`, {
      hint: 'provision expands %% %d %u %i %r %h %p %n %k %l %L %C',
    });
  });
}

function yesNo(v: string | undefined, what: string, where?: SourceLocation): boolean {
  if (v === undefined) return false;
  const l = v.toLowerCase();
  if (l === 'yes' || l === 'true') return true;
  if (l === 'no' || l === 'false') return false;
  throw inputError(`ssh_config: ${what} must be yes or no, not "${v}"`, where);
}

function seconds(v: string | undefined, what: string, where?: SourceLocation): number | undefined {
  if (v === undefined || v.toLowerCase() === 'none') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw inputError(`ssh_config: ${what} must be a number of seconds, not "${v}"`, where);
  return n;
}

function strictness(v: string | undefined, where?: SourceLocation): ResolvedSshConfig['strictHostKeyChecking'] {
  const l = (v ?? 'ask').toLowerCase();
  if (l === 'yes' || l === 'true') return 'yes';
  if (l === 'no' || l === 'off' || l === 'false') return 'no';
  if (l === 'ask' || l === 'accept-new') return l;
  throw inputError(`ssh_config: StrictHostKeyChecking must be yes, no, ask or accept-new, not "${v}"`, where);
}

/** Resolve one destination as `ssh -G` would. */
export function resolveSshConfig(q: SshConfigQuery, files: SshConfigFiles): ResolvedSshConfig {
  const r = new Resolver(files, q.host);
  for (const o of q.options) r.set(o.keyword, o.args);
  if (q.configFile !== undefined) r.readFile(q.configFile, true, true, 0, true);
  else {
    r.readFile(posix.join(files.home, '.ssh', 'config'), true, true, 0);
    r.readFile('/etc/ssh/ssh_config', false, true, 0);
  }
  const v = r.values;
  const first = (k: string) => v.get(k)?.[0];
  const at = (k: string) => r.origins.get(k);
  const hostname = r.currentHost().toLowerCase();
  const user = r.currentUser();
  const portText = first('port') ?? '22';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw inputError(`ssh_config: bad Port "${portText}"`, at('port'));
  const hostKeyAlias = first('hostkeyalias');
  const { home, localUser, localHost, localUid } = files;
  const tokens: PathTokens = { home, localUser, localHost, localUid, user, hostname, port, originalHost: q.host, hostKeyAlias };
  const configured = v.get('identityfile') ?? [];
  const jump = first('proxyjump');
  const command = v.has('proxycommand') ? (v.get('proxycommand') ?? []).join(' ') : undefined;
  const knownHosts = v.get('userknownhostsfile') ?? ['~/.ssh/known_hosts', '~/.ssh/known_hosts2'];
  return {
    originalHost: q.host,
    hostname,
    user,
    port,
    identityFiles: configured.length ? configured : DEFAULT_IDENTITIES,
    defaultIdentities: configured.length === 0,
    identitiesOnly: yesNo(first('identitiesonly'), 'IdentitiesOnly', at('identitiesonly')),
    proxyJump: jump === undefined || jump.toLowerCase() === 'none' ? undefined : jump,
    proxyCommand: command === undefined || command.toLowerCase() === 'none' ? undefined : command,
    ...(hostKeyAlias === undefined ? {} : { hostKeyAlias }),
    connectTimeoutS: seconds(first('connecttimeout'), 'ConnectTimeout', at('connecttimeout')),
    serverAliveIntervalS: seconds(first('serveraliveinterval'), 'ServerAliveInterval', at('serveraliveinterval')) ?? 0,
    serverAliveCountMax: seconds(first('serveralivecountmax'), 'ServerAliveCountMax', at('serveralivecountmax')) ?? 3,
    userKnownHostsFiles: knownHosts.map((f) => expandPathTokens(f, tokens)),
    strictHostKeyChecking: strictness(first('stricthostkeychecking'), at('stricthostkeychecking')),
    origins: { hostname: at('hostname'), proxyJump: at('proxyjump'), proxyCommand: at('proxycommand') },
  };
}

/** The lines `ssh -G` prints for the keys this resolver covers, in a fixed order: what the conformance corpus compares. */
export function sshGLines(c: ResolvedSshConfig): string[] {
  return [
    `hostname ${c.hostname}`,
    `user ${c.user}`,
    `port ${c.port}`,
    ...c.identityFiles.map((f) => `identityfile ${f}`),
    `identitiesonly ${c.identitiesOnly ? 'yes' : 'no'}`,
    ...(c.proxyJump ? [`proxyjump ${sshGJump(c.proxyJump)}`] : []),
    ...(c.proxyCommand ? [`proxycommand ${c.proxyCommand}`] : []),
    `connecttimeout ${c.connectTimeoutS ?? 'none'}`,
    `serveraliveinterval ${c.serverAliveIntervalS}`,
    `userknownhostsfile ${c.userKnownHostsFiles.join(' ')}`,
    // ssh -G prints yes and no as true and false here.
    `stricthostkeychecking ${c.strictHostKeyChecking === 'yes' ? 'true' : c.strictHostKeyChecking === 'no' ? 'false' : c.strictHostKeyChecking}`,
  ];
}

/** ssh -G prints the earlier hops as written and the last one normalised: `ssh://` dropped, a numeric host in brackets. */
function sshGJump(list: string): string {
  const items = list.split(',');
  const last = parseJumpList(items.at(-1) ?? '')[0];
  if (!last) return list;
  const numeric = last.host.includes(':') || /^[0-9.]*$/.test(last.host);
  const host = numeric ? `[${last.host}]` : last.host;
  const spec = `${last.user ? `${last.user}@` : ''}${host}${last.port ? `:${last.port}` : ''}`;
  return [...items.slice(0, -1), spec].join(',');
}

/** The keys `sshGLines` covers: a recorded `ssh -G` output is filtered to these for comparison. */
export const SSH_G_KEYS = [
  'hostname',
  'user',
  'port',
  'identityfile',
  'identitiesonly',
  'proxyjump',
  'proxycommand',
  'connecttimeout',
  'serveraliveinterval',
  'userknownhostsfile',
  'stricthostkeychecking',
] as const;

/** One hop of a ProxyJump list: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
export interface JumpSpec {
  user?: string;
  host: string;
  port?: number;
}

export function parseJumpList(list: string): JumpSpec[] {
  return list.split(',').map((item) => {
    const s = item.startsWith('ssh://') ? item.slice(6) : item;
    const at = s.lastIndexOf('@');
    const user = at >= 0 ? s.slice(0, at) : undefined;
    const hostPort = at >= 0 ? s.slice(at + 1) : s;
    const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(hostPort);
    const host = m?.[1] ?? m?.[2];
    if (!m || !host || user === '') throw new ProvisionError('input', `ProxyJump: cannot read "${item}" as [user@]host[:port]`);
    const port = m[3] === undefined ? undefined : Number(m[3]);
    if (port !== undefined && (port < 1 || port > 65535)) throw new ProvisionError('input', `ProxyJump: bad port in "${item}"`);
    return { user, host, port };
  });
}
