import { quote } from '../../../src/shell/quote.js';
import type { HostState } from './types.js';

const MARK = '@@compat@@';

/**
 * One shell command that reads a host's state under the case's paths: every entry's type, mode,
 * owner and group, a file's sha256 or a link's target (no times: they differ between any two runs);
 * every installed package with its version; each unit's load, active and enablement state.
 */
export function snapshotCommand(paths: string[], units: string[]): string {
  const p = paths.map(quote).join(' ');
  return [
    `for p in ${p || ':'}; do [ "$p" = : ] && continue; if [ -e "$p" ] || [ -L "$p" ]; then`,
    `  find "$p" -xdev -printf '%p\\t%y\\t%#m\\t%u\\t%g\\t%l\\n'; else printf '%s\\tabsent\\n' "$p"; fi; done`,
    `echo ${MARK}`,
    `for p in ${p || ':'}; do [ "$p" = : ] && continue; [ -e "$p" ] && find "$p" -xdev -type f -exec sha256sum {} +; done`,
    `echo ${MARK}`,
    `dpkg-query -W -f '\${db:Status-Abbrev} \${Package}=\${Version}\\n' | awk '$1 == "ii" { print $2 }'`,
    `echo ${MARK}`,
    ...units.map(
      (u) => `printf '%s\\t%s\\n' ${quote(u)} "$(systemctl show -p LoadState,ActiveState,UnitFileState --value ${quote(u)} | paste -sd/)"`,
    ),
    'true',
  ].join('\n');
}

export function parseSnapshot(out: string): HostState {
  const [tree = '', sums = '', pkgs = '', unitLines = ''] = out.split(`${MARK}\n`);
  const hashes = new Map(
    sums
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [sum = '', ...path] = l.split('  ');
        return [path.join('  '), sum] as const;
      }),
  );
  const files = tree
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [path = '', type, mode, owner, group, target] = l.split('\t');
      if (type === 'absent') return `${path} absent`;
      const what = type === 'f' ? (hashes.get(path) ?? '?') : type === 'l' ? `-> ${target}` : '';
      return `${path} ${type} ${mode} ${owner}:${group} ${what}`.trimEnd();
    })
    .sort();
  const units = Object.fromEntries(
    unitLines
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t') as [string, string]),
  );
  return { files, packages: pkgs.split('\n').filter(Boolean).sort(), units };
}
