import { defineRead } from '../core/reads.js';
import { commandLine } from '../shell/quote.js';
import { tupleLines } from './ufw-state.js';

export type UfwDryRunArgs = { argv: string[] };

/**
 * What a ufw rule command would leave in the rules files: `--dry-run` prints each file it would
 * write (IPv4's, IPv6's or both), or only "Skipping ..." lines when the rule is already there.
 */
export type UfwDryRun = { ok: true; rules4: string[] | null; rules6: string[] | null } | { ok: false; message: string };

/** `ufw --dry-run RULE...`: changes nothing; Ansible's check mode decides from the same output. */
export const ufwDryRun = defineRead({
  name: 'ufw_dry_run',
  command: ({ argv }: UfwDryRunArgs) => `LANG=C ${commandLine(['ufw', '--dry-run', ...argv])}`,
  parse({ exitCode, stdout, stderr }): UfwDryRun {
    if (exitCode !== 0) return { ok: false, message: (stderr || stdout).trim() || `ufw exited ${exitCode}` };
    let rules4: string[] | null = null;
    let rules6: string[] | null = null;
    for (const block of stdout.split(/^\*filter$/m).slice(1)) {
      const text = block.split(/^COMMIT$/m)[0] ?? '';
      // The IPv6 file's chains are named ufw6-*.
      if (/^:ufw6-/m.test(text)) rules6 = tupleLines(text);
      else rules4 = tupleLines(text);
    }
    return { ok: true, rules4, rules6 };
  },
});
