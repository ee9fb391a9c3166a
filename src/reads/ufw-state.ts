import { defineRead } from '../core/reads.js';

/** ufw's state as its own files and `ufw status verbose` give it. */
export type UfwState =
  | { installed: false }
  | {
      installed: true;
      /** `ufw status verbose`, as printed (Ansible's `msg`). */
      status: string;
      /** The `### tuple` lines of user.rules and user6.rules: the rules ufw keeps. */
      rules4: string[];
      rules6: string[];
      /** Default policies from /etc/default/ufw, in ufw's words (deny, allow, reject). */
      policy: { incoming: string; outgoing: string; routed: string };
      /** LOGLEVEL of /etc/ufw/ufw.conf: off, low, medium, high or full. */
      logLevel: string;
    };

const MARK = '@@provision-ufw@@';
const RULE_DIRS = ['/lib/ufw', '/etc/ufw', '/var/lib/ufw'];

/** iptables targets as ufw names them in `ufw default`. */
const POLICY_WORDS: Record<string, string> = { DROP: 'deny', ACCEPT: 'allow', REJECT: 'reject' };

function settingOf(text: string, key: string): string | undefined {
  const m = new RegExp(`^${key}=["']?([^"'\\n]*)["']?\\s*$`, 'm').exec(text);
  return m?.[1];
}

/** The `### tuple` lines of a rules text. */
export function tupleLines(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('### tuple'));
}

/**
 * Everything the ufw module decides from, in one command: whether ufw is there, its verbose status,
 * the rules it keeps (per address family) and the policies and log level of its config files (which
 * `ufw status` does not show while the firewall is inactive).
 */
export const ufwState = defineRead({
  name: 'ufw_state',
  command: (_: Record<string, never>) =>
    [
      `command -v ufw >/dev/null 2>&1 || { echo absent; exit 0; }`,
      `echo present; LANG=C ufw status verbose 2>&1; echo ${MARK}`,
      `cat ${RULE_DIRS.map((d) => `${d}/user.rules`).join(' ')} 2>/dev/null; echo ${MARK}`,
      `cat ${RULE_DIRS.map((d) => `${d}/user6.rules`).join(' ')} 2>/dev/null; echo ${MARK}`,
      `cat /etc/default/ufw 2>/dev/null; echo ${MARK}`,
      `cat /etc/ufw/ufw.conf 2>/dev/null; true`,
    ].join('\n'),
  parse({ stdout }): UfwState {
    if (!stdout.startsWith('present\n')) return { installed: false };
    const [status = '', v4 = '', v6 = '', defaults = '', conf = ''] = stdout.slice('present\n'.length).split(`${MARK}\n`);
    const policyOf = (key: string) => POLICY_WORDS[settingOf(defaults, key) ?? ''] ?? 'unknown';
    return {
      installed: true,
      status,
      rules4: tupleLines(v4),
      rules6: tupleLines(v6),
      policy: {
        incoming: policyOf('DEFAULT_INPUT_POLICY'),
        outgoing: policyOf('DEFAULT_OUTPUT_POLICY'),
        routed: policyOf('DEFAULT_FORWARD_POLICY'),
      },
      logLevel: settingOf(conf, 'LOGLEVEL') ?? 'off',
    };
  },
});
