import { type Inventory, loadInventory } from '../config/inventory.js';
import { formatFinding } from '../engine/load-checks.js';
import { ExitCode } from '../errors.js';
import { safe } from '../report/format.js';
import { type Finding, lintCluster } from './lint.js';
import { clusterNodes } from './model.js';

export function lintInventory(inv: Inventory): Finding[] {
  return lintCluster(clusterNodes(inv));
}

/** `provision lint`: findings, then a count; exit 7 when any is an error. */
export function lintCommand(inventoryFile: string, o: { json?: boolean }, out: (l: string) => void): number {
  const inv = loadInventory(inventoryFile);
  const findings = lintInventory(inv);
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (o.json)
    findings.forEach((f) => {
      out(safe(JSON.stringify(f)));
    });
  else {
    findings.forEach((f) => {
      formatFinding(f).forEach(out);
    });
    const nodes = clusterNodes(inv).length;
    out(
      `${nodes} keepalived node${nodes === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`,
    );
  }
  return errors ? ExitCode.lintFailed : ExitCode.ok;
}
