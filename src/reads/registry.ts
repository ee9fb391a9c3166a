import type { Read, ReadValue } from '../core/reads.js';
import { groupEntry, userAccount } from './account.js';
import { aptAutoremovable } from './apt-autoremovable.js';
import { aptPackages } from './apt-packages.js';
import { archiveEntry } from './archive-entry.js';
import { dirEntries } from './dir-entries.js';
import { dirFiles } from './dir-files.js';
import { fileBytes } from './file-bytes.js';
import { fileState } from './file-state.js';
import { fileTimes } from './file-times.js';
import { hostFacts } from './host-facts.js';
import { mountPoint } from './mount-point.js';
import { pathExists } from './path-exists.js';
import { pathStat } from './path-stat.js';
import { sysctlValue } from './sysctl-value.js';
import { treeState } from './tree-state.js';
import { unitState } from './unit-state.js';
import { waitUntil } from './wait-until.js';

/** Every read there is; the fixture tests require cases for each. */
export const allReads: readonly Read<never, ReadValue>[] = [
  aptAutoremovable,
  aptPackages,
  archiveEntry,
  dirEntries,
  dirFiles,
  fileBytes,
  fileState,
  fileTimes,
  groupEntry,
  hostFacts,
  mountPoint,
  pathExists,
  pathStat,
  sysctlValue,
  treeState,
  unitState,
  userAccount,
  waitUntil,
];

export function findRead(name: string): Read<never, ReadValue> | undefined {
  return allReads.find((r) => r.name === name);
}
