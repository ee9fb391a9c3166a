import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type DebFileArgs = { path: string };

/** A .deb file's package and version, and the version of that package installed now (null: none). */
export type DebFile = { name: string; version: string; installed: string | null };

/** What apt's `deb` argument compares: the file's Package and Version fields against dpkg's installed version. */
export const debFile = defineRead({
  name: 'deb_file',
  command: ({ path }: DebFileArgs) =>
    [
      `[ -f ${quote(path)} ] || exit 3`,
      `p=$(dpkg-deb -f ${quote(path)} Package) && v=$(dpkg-deb -f ${quote(path)} Version) || exit 4`,
      `printf '%s\\n%s\\n' "$p" "$v"`,
      `dpkg-query -W -f='\${db:Status-Abbrev}\\t\${Version}\\n' "$p" 2>/dev/null || true`,
    ].join('\n'),
  parse({ exitCode, stdout, stderr }, { path }): DebFile {
    if (exitCode === 3) throw new Error(`Unable to install package: ${path} does not exist`);
    if (exitCode !== 0) throw new Error(`Unable to install package: ${stderr.trim() || `exit ${exitCode}`}`);
    const [name = '', version = '', status = ''] = stdout.split('\n');
    const [abbrev = '', installed = ''] = status.split('\t');
    return { name, version, installed: /^.[nc]/.test(abbrev) || abbrev === '' ? null : installed };
  },
});
