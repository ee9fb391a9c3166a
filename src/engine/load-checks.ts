import type { Inventory } from '../config/inventory.js';
import { selectHosts } from '../config/patterns.js';
import type { Playbook } from '../config/playbook.js';
import { staticTasks } from '../config/task-list.js';
import { formatLocation, must, ProvisionError } from '../errors.js';
import type { CheckFinding } from '../modules/types.js';
import { findModule } from '../registry/modules.js';
import { safe } from '../report/format.js';

export function formatFinding(f: CheckFinding): string[] {
  const where = formatLocation(f.location);
  return [
    safe(`${where ? `${where}: ` : ''}${f.severity} [${f.rule}]${f.host ? ` ${f.host}:` : ''} ${f.message}`),
    safe(`  hint: ${f.hint}`),
  ];
}

/**
 * The checks the playbook's modules declare (`loadCheck`), each over its play's hosts, before any
 * connection. Warnings are returned; any error throws (exit 7) with every finding in its message.
 */
export function runLoadChecks(pb: Playbook, inv: Inventory): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const seen = new Set<string>();
  for (const play of pb.plays) {
    const hosts = selectHosts(inv, play.hosts).map((n) => must(inv.hosts.get(n), `inventory host ${n}`));
    for (const task of [...staticTasks(play.tasks), ...play.handlers]) {
      const check = findModule(task.module)?.loadCheck;
      if (!check) continue;
      for (const f of check(hosts)) {
        const key = JSON.stringify([f.rule, f.host, f.message]);
        if (!seen.has(key)) findings.push(f);
        seen.add(key);
      }
    }
  }
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length) {
    throw new ProvisionError(
      'lint',
      `${errors.length} error(s) found before the run; nothing was run:\n${findings.flatMap(formatFinding).join('\n')}`,
      {
        hint: 'fix them (provision lint INVENTORY shows them again), or pass --no-lint',
      },
    );
  }
  return findings;
}
