import { defineRead } from '../core/reads.js';
import { commandLine } from '../shell/quote.js';

export type AptSimulationArgs = { operation: 'dist-upgrade' | 'upgrade' | 'autoclean'; release?: string };

/** What a simulated apt-get run would do: the packages it names, none when nothing would change. */
export type AptSimulation = { packages: string[] };

/**
 * `apt-get -s` of an upgrade or an autoclean (nothing changes): Ansible decides `changed` from the
 * same output (`0 upgraded, 0 newly installed` for an upgrade, `Del ` lines for an autoclean).
 */
export const aptSimulation = defineRead({
  name: 'apt_simulation',
  command({ operation, release }: AptSimulationArgs): string {
    const op = operation === 'upgrade' ? ['upgrade', '--with-new-pkgs'] : [operation];
    const argv = ['apt-get', '-s', '-y', '-o', 'DPkg::Lock::Timeout=300', ...op, ...(release ? ['-t', release] : [])];
    return `LC_ALL=C ${commandLine(argv)}`;
  },
  parse({ exitCode, stdout, stderr }, { operation }): AptSimulation {
    if (exitCode !== 0) throw new Error(`apt-get ${operation} (simulated) failed: ${stderr.trim() || `exit ${exitCode}`}`);
    const lines = stdout.split('\n');
    if (operation === 'autoclean') return { packages: lines.filter((l) => l.startsWith('Del ')).map((l) => l.split(' ')[1] ?? '') };
    if (stdout.includes('\n0 upgraded, 0 newly installed')) return { packages: [] };
    const named = lines.filter((l) => /^(Inst|Remv) /.test(l)).map((l) => l.split(' ')[1] ?? '');
    // Something other than Inst/Remv lines counted as a change (the summary is what Ansible reads).
    return { packages: named.length ? named : ['(see apt-get output)'] };
  },
});
