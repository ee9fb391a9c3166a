import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type HostnameStateArgs = { name: string };

/** The names hostnamectl reports, and what Python's socket.getfqdn() would make of the current and the wanted name. */
export type HostnameState = { transient: string; static: string; fqdnCurrent: string; fqdnWanted: string } | { error: string };

/**
 * getfqdn as Python computes it: the name's first address (getaddrinfo), that address's name and
 * aliases (gethostbyaddr), the first with a dot in it, else the canonical name; the name itself when
 * it does not resolve.
 */
const FQDN = [
  'fqdn() {',
  `  a=$(getent ahosts "$1" 2>/dev/null | awk 'NR == 1 { print $1 }')`,
  `  [ -n "$a" ] && r=$(getent hosts "$a" 2>/dev/null | awk 'NR == 1 { for (i = 2; i <= NF; i++) if (index($i, ".")) { print $i; exit } print $2 }')`,
  '  printf \'%s\\n\' "${r:-$1}"; r=',
  '}',
].join('\n');

/** hostnamectl's transient and static hostnames (as Ansible's systemd strategy reads them). */
export const hostnameState = defineRead({
  name: 'hostname_state',
  command: ({ name }: HostnameStateArgs) =>
    [
      'command -v hostnamectl >/dev/null 2>&1 || { echo \'error=Failed to find required executable "hostnamectl" in paths\'; exit 0; }',
      `t=$(hostnamectl --transient status 2>&1) || { printf 'error=%s\\n' "$t"; exit 0; }`,
      `s=$(hostnamectl --static status 2>&1) || { printf 'error=%s\\n' "$s"; exit 0; }`,
      FQDN,
      `printf 'transient=%s\\nstatic=%s\\nfqdn_current=%s\\nfqdn_wanted=%s\\n' "$t" "$s" "$(fqdn "$t")" "$(fqdn ${quote(name)})"`,
    ].join('\n'),
  parse({ stdout }): HostnameState {
    const kv = new Map<string, string>();
    for (const line of stdout.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1));
    }
    const error = kv.get('error');
    if (error !== undefined) return { error };
    return {
      transient: (kv.get('transient') ?? '').trim(),
      static: (kv.get('static') ?? '').trim(),
      fqdnCurrent: kv.get('fqdn_current') ?? '',
      fqdnWanted: kv.get('fqdn_wanted') ?? '',
    };
  },
});
