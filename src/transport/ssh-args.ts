import { ProvisionError } from '../errors.js';
import { splitWords } from '../shell/quote.js';
import { COMMAND_KEYWORDS, type SshOption } from './ssh-config.js';

/** ssh's flags that take a value (ssh(1)); the others stand alone. */
const WITH_VALUE = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));

/** Flags whose values provision uses; the others are read past (they tune OpenSSH, not the connection's target). */
export interface SshArgs {
  options: SshOption[];
  configFile?: string;
}

/**
 * Ansible's `ansible_ssh_common_args` / `ansible_ssh_extra_args`, split as a shell would (Ansible
 * uses shlex): `-o Key=Value`, `-oKey=Value`, `-o 'Key Value'`, `-J spec`, `-F file`, `-p`, `-l`, `-i`.
 */
export function parseSshArgs(text: string, what: string): SshArgs {
  let words: string[];
  try {
    words = splitWords(text);
  } catch (err) {
    throw new ProvisionError('input', `${what}: ${(err as Error).message}`);
  }
  const out: SshArgs = { options: [] };
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (!w.startsWith('-') || w.length < 2) throw new ProvisionError('input', `${what}: "${w}" is not an ssh option`);
    // Flags may be bundled (`-4C`); the first one that takes a value ends the bundle.
    for (let j = 1; j < w.length; j++) {
      const flag = w.charAt(j);
      if (!WITH_VALUE.has(flag)) continue;
      const inline = w.slice(j + 1);
      const value = inline || words[++i];
      if (value === undefined) throw new ProvisionError('input', `${what}: -${flag} needs a value`);
      addFlag(out, flag, value, what);
      break;
    }
  }
  return out;
}

function addFlag(out: SshArgs, flag: string, value: string, what: string): void {
  switch (flag) {
    case 'o': {
      const m = /^\s*([^\s=]+)\s*(?:=|\s)\s*(.*)$/.exec(value);
      if (!m?.[1] || m[2] === undefined) throw new ProvisionError('input', `${what}: cannot read -o ${value} as Key=Value`);
      // A command (ProxyCommand) is kept whole, as ssh keeps the rest of its line.
      const args = COMMAND_KEYWORDS.has(m[1].toLowerCase()) ? [m[2]] : m[2].split(/\s+/).filter(Boolean);
      out.options.push({ keyword: m[1], args });
      return;
    }
    case 'J':
      out.options.push({ keyword: 'ProxyJump', args: [value] });
      return;
    case 'F':
      out.configFile ??= value;
      return;
    case 'p':
      out.options.push({ keyword: 'Port', args: [value] });
      return;
    case 'l':
      out.options.push({ keyword: 'User', args: [value] });
      return;
    case 'i':
      out.options.push({ keyword: 'IdentityFile', args: [value] });
      return;
  }
}
