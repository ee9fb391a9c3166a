import { defineRead } from '../core/reads.js';

export type InstalledPackage = { name: string; version: string; arch: string; category: string; origin: string; source: 'apt' };

/** `apt-cache policy`'s package files: the line naming an index, to the `o=` of its release ('' without one, as python-apt gives dpkg's status). */
function originsOf(policy: string): Map<string, string> {
  const origins = new Map<string, string>();
  let file: string | undefined;
  for (const line of policy.split('\n')) {
    const index = /^\s*-?\d+ (.+)$/.exec(line);
    if (index?.[1]) {
      file = index[1].trim();
      origins.set(file, '');
    } else if (file && /^\s+release /.test(line)) origins.set(file, /(?:^|[ ,])o=([^,]*)/.exec(line.trim().slice(8))?.[1] ?? '');
  }
  return origins;
}

/** For each package, the index its installed version came from first (the line after `***` in its version table). */
function installedFrom(policy: string): Map<string, string> {
  const from = new Map<string, string>();
  let pkg: string | undefined;
  let inInstalled = false;
  for (const line of policy.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head?.[1]) {
      pkg = head[1];
      inInstalled = false;
    } else if (/^ \*\*\* /.test(line)) inInstalled = true;
    else if (pkg && inInstalled) {
      const file = /^\s+-?\d+ (.+)$/.exec(line)?.[1];
      if (file && !from.has(pkg)) from.set(pkg, file.trim());
      inInstalled = false;
    }
  }
  return from;
}

/**
 * The installed packages as Ansible's package_facts (python-apt) reports them: name, version,
 * arch, section, and the origin of the release the installed version is in, in one round trip.
 */
export const installedPackages = defineRead({
  name: 'installed_packages',
  command: (_: Record<string, never>) =>
    [
      'export LC_ALL=C',
      `dpkg-query -W -f='\${db:Status-Abbrev}\\t\${binary:Package}\\t\${Version}\\t\${Architecture}\\t\${Section}\\n'`,
      'echo @files; apt-cache policy',
      `echo @installed; dpkg-query -W -f='\${db:Status-Abbrev} \${binary:Package}\\n' | awk '$1 !~ /^.[nc]/ {print $2}' | xargs -r apt-cache policy`,
    ].join('\n'),
  parse({ exitCode, stdout, stderr }): Record<string, InstalledPackage[]> {
    if (exitCode !== 0) throw new Error(`cannot list the installed packages: ${stderr.trim() || `exit ${exitCode}`}`);
    const filesAt = stdout.indexOf('@files\n');
    const installedAt = stdout.indexOf('@installed\n');
    const origins = originsOf(stdout.slice(filesAt + 7, installedAt));
    const from = installedFrom(stdout.slice(installedAt + 11));
    const packages: Record<string, InstalledPackage[]> = {};
    for (const line of stdout.slice(0, filesAt).split('\n')) {
      const [status = '', name = '', version = '', arch = '', category = ''] = line.split('\t');
      if (!name || /^.[nc]/.test(status)) continue;
      const file = from.get(name);
      const entry: InstalledPackage = { name, version, arch, category, origin: file ? (origins.get(file) ?? '') : '', source: 'apt' };
      packages[name] = [...(packages[name] ?? []), entry];
    }
    return packages;
  },
});
