import type { Vars } from '../core/vars.js';
import { ProvisionError } from '../errors.js';
import { isTemplated, renderValue, truthy } from '../template/render.js';
import { BECOME_METHODS, type BecomeMethod, type BecomeOptions } from '../transport/become.js';

/** What plays, blocks, roles and tasks say about become (the innermost that says it wins). */
export interface BecomeKeywords {
  become?: boolean;
  user?: string;
  method?: string;
  flags?: string;
  exe?: string;
}

/** The command line (-b, --become-user, --become-method, -K) over ansible.cfg and ANSIBLE_BECOME_*. */
export interface BecomeDefaults extends BecomeKeywords {
  /** -K or --become-password-file. */
  password?: string;
  /** A method's own settings (`[sudo_become_plugin]`, ANSIBLE_SU_*): over the general ones when that method is used. */
  methods?: Partial<Record<BecomeMethod, { user?: string; flags?: string; exe?: string; password?: string }>>;
}

/**
 * The host's variables of each setting, in Ansible's order: when several are set, the last wins
 * (ansible_sudo_pass over ansible_become_password), as Ansible's become plugins read them.
 */
function varNames(setting: 'user' | 'flags' | 'exe' | 'pass', method: BecomeMethod): string[] {
  if (setting === 'pass') return ['ansible_become_password', 'ansible_become_pass', `ansible_${method}_pass`];
  return [`ansible_become_${setting}`, `ansible_${method}_${setting}`];
}

function fromVars(vars: Vars, names: string[]): unknown {
  let found: unknown;
  for (const n of names) if (vars[n] !== undefined && vars[n] !== null) found = vars[n];
  return found;
}

/**
 * Whether and how a task becomes another user, with Ansible's precedence: the host's connection
 * variables (ansible_become, ansible_become_user, ...) win over the keywords of the task and what
 * holds it, which win over the command line, which wins over ansible.cfg and its environment.
 */
export function resolveBecome(vars: Vars, keywords: BecomeKeywords = {}, defaults: BecomeDefaults = {}): BecomeOptions | undefined {
  const enabledVar = vars.ansible_become;
  const enabled = enabledVar !== undefined && enabledVar !== null ? truthy(enabledVar) : (keywords.become ?? defaults.become ?? false);
  if (!enabled) return undefined;
  const text = (v: unknown, what: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    const s = typeof v === 'string' && isTemplated(v) ? renderValue(v, vars, what) : v;
    return String(s);
  };
  const method = checkMethod(text(vars.ansible_become_method ?? keywords.method ?? defaults.method, 'become_method') ?? 'sudo');
  const own = defaults.methods?.[method] ?? {};
  const pick = (setting: 'user' | 'flags' | 'exe') =>
    text(fromVars(vars, varNames(setting, method)) ?? keywords[setting] ?? own[setting] ?? defaults[setting], `become_${setting}`);
  const password = text(fromVars(vars, varNames('pass', method)) ?? defaults.password ?? own.password, 'become password');
  return {
    user: pick('user') ?? 'root',
    method,
    ...optional('flags', pick('flags')),
    ...optional('exe', pick('exe')),
    ...optional('password', password),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function checkMethod(method: string): BecomeMethod {
  if ((BECOME_METHODS as readonly string[]).includes(method)) return method as BecomeMethod;
  throw new ProvisionError('input', `become_method "${method}" is not supported: provision becomes another user with sudo or su`, {
    hint: 'set become_method (or ansible_become_method) to sudo or su',
  });
}
