import type { Serial } from '../config/playbook.js';

/**
 * Ansible's `serial`: batch sizes as numbers or percentages of the play's hosts; a list gives
 * successive sizes and its last size repeats. No serial: one batch of every host.
 */
export function serialBatches<T>(hosts: readonly T[], serial: Serial | undefined): T[][] {
  const last = serial?.at(-1);
  if (!serial || last === undefined) return hosts.length ? [[...hosts]] : [];
  const size = (s: number | string) => {
    const n = typeof s === 'string' && s.endsWith('%') ? Math.floor((hosts.length * Number(s.slice(0, -1))) / 100) : Number(s);
    return Math.max(1, n);
  };
  const batches: T[][] = [];
  let i = 0;
  let step = 0;
  while (i < hosts.length) {
    const n = size(serial[step] ?? last);
    batches.push(hosts.slice(i, i + n));
    i += n;
    step++;
  }
  return batches;
}
