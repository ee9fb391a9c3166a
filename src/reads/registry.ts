import type { Read, ReadValue } from '../core/reads.js';
import { aptPackages } from './apt-packages.js';
import { archiveEntry } from './archive-entry.js';
import { fileState } from './file-state.js';
import { hostFacts } from './host-facts.js';
import { pathExists } from './path-exists.js';
import { unitState } from './unit-state.js';
import { waitUntil } from './wait-until.js';

/** Every read there is; the fixture tests require cases for each. */
export const allReads: readonly Read<never, ReadValue>[] = [
  aptPackages,
  archiveEntry,
  fileState,
  hostFacts,
  pathExists,
  unitState,
  waitUntil,
];

export function findRead(name: string): Read<never, ReadValue> | undefined {
  return allReads.find((r) => r.name === name);
}
