import type { Read, ReadValue } from '../core/reads.js';
import { groupEntry, userAccount } from './account.js';
import { aptAutoremovable } from './apt-autoremovable.js';
import { aptKeys } from './apt-keys.js';
import { aptPackages } from './apt-packages.js';
import { aptSimulation } from './apt-simulation.js';
import { archiveEntry } from './archive-entry.js';
import { debFile } from './deb-file.js';
import { debconfSelections } from './debconf-selections.js';
import { dirEntries } from './dir-entries.js';
import { dirFiles } from './dir-files.js';
import { dpkgSelection } from './dpkg-selection.js';
import { fileBytes } from './file-bytes.js';
import { fileState } from './file-state.js';
import { fileTimes } from './file-times.js';
import { getentDb } from './getent-db.js';
import { gitCheckout } from './git-checkout.js';
import { homeFile } from './home-file.js';
import { hostFacts } from './host-facts.js';
import { hostnameState } from './hostname-state.js';
import { httpRequest } from './http-request.js';
import { installedLocales } from './installed-locales.js';
import { installedPackages } from './installed-packages.js';
import { mountPoint } from './mount-point.js';
import { pathExists } from './path-exists.js';
import { pathStat } from './path-stat.js';
import { remoteArchiveEntry } from './remote-archive-entry.js';
import { serviceList } from './service-list.js';
import { sysctlValue } from './sysctl-value.js';
import { timezoneState } from './timezone-state.js';
import { treeState } from './tree-state.js';
import { ufwDryRun } from './ufw-dry-run.js';
import { ufwState } from './ufw-state.js';
import { unitState } from './unit-state.js';
import { userCrontab } from './user-crontab.js';
import { waitUntil } from './wait-until.js';

/** Every read there is; the fixture tests require cases for each. */
export const allReads: readonly Read<never, ReadValue>[] = [
  aptAutoremovable,
  aptKeys,
  aptPackages,
  aptSimulation,
  archiveEntry,
  debFile,
  debconfSelections,
  dpkgSelection,
  dirEntries,
  dirFiles,
  fileBytes,
  fileState,
  fileTimes,
  groupEntry,
  hostFacts,
  httpRequest,
  installedPackages,
  mountPoint,
  pathExists,
  pathStat,
  remoteArchiveEntry,
  serviceList,
  sysctlValue,
  treeState,
  ufwDryRun,
  ufwState,
  unitState,
  userAccount,
  waitUntil,
  // system modules (issue 12)
  userCrontab,
  hostnameState,
  timezoneState,
  installedLocales,
  homeFile,
  getentDb,
  // git (issue 12)
  gitCheckout,
];

export function findRead(name: string): Read<never, ReadValue> | undefined {
  return allReads.find((r) => r.name === name);
}
