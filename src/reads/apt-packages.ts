import { defineRead } from '../core/reads.js';
import { commandLine } from '../shell/quote.js';

/** Written after every successful update, as Ansible does, so freshness survives unchanged lists. */
export const APT_UPDATE_STAMP = '/var/lib/apt/periodic/update-success-stamp';

export type AptPackagesArgs = { names: string[]; latest: boolean };

export type AptPackages = {
  /** Installed package name to its version. */
  installed: Record<string, string>;
  /** Candidate versions (only read for state=latest). */
  candidates: Record<string, string>;
  /** Seconds since the package lists were updated; absent when unknown. */
  cacheAge?: number;
};

/** Which of the named packages are installed (and their candidates), and how old the package lists are. */
export const aptPackages = defineRead({
  name: 'apt_packages',
  // Inline-safe (Read.inline): no exit, no state left behind that a later read could see.
  inline: true,
  command({ names, latest }: AptPackagesArgs): string {
    const q = commandLine(names);
    return [
      names.length ? `dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' ${q} 2>/dev/null` : 'true',
      latest && names.length
        ? `LC_ALL=C apt-cache policy ${q} 2>/dev/null | sed -n 's/^\\([^ ].*\\):$/@pkg \\1/p; s/^  Candidate: /@cand /p'`
        : 'true',
      // The host's clock and the lists' times, one process each: the parser takes the stamp's time
      // when it is there (stat prints in argument order), else the lists folder's.
      `date +'@now %s'; stat -c '@mtime %Y' ${APT_UPDATE_STAMP} /var/lib/apt/lists 2>/dev/null`,
    ].join('; ');
  },
  parse({ stdout }): AptPackages {
    const installed: Record<string, string> = {};
    const candidates: Record<string, string> = {};
    let now: number | undefined;
    let updated: number | undefined;
    let pkg = '';
    for (const line of stdout.split('\n')) {
      if (line.startsWith('@pkg ')) pkg = line.slice(5);
      else if (line.startsWith('@cand ')) candidates[pkg] = line.slice(6);
      else if (line.startsWith('@now ')) now = Number(line.slice(5));
      else if (line.startsWith('@mtime ')) updated ??= Number(line.slice(7));
      else {
        const [name, status, version] = line.split('\t');
        if (name && status?.startsWith('ii')) installed[name.replace(/:.*$/, '')] = version ?? '';
      }
    }
    // Lists never updated count from the epoch, as before: any cache_valid_time finds them stale.
    const cacheAge = now === undefined ? undefined : now - (updated ?? 0);
    return cacheAge === undefined ? { installed, candidates } : { installed, candidates, cacheAge };
  },
  // The lists' age grows by the second; a decision it tips (cache_valid_time) differs at apply and is refused there.
  stable: ({ cacheAge: _age, ...rest }) => rest,
});
