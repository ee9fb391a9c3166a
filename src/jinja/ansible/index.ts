/**
 * Ansible's filters, tests and lookups for the template engine (issue 15 items 2-4). The engine
 * merges these over Jinja's built-in ones. Each is registered under its short name and its
 * `ansible.builtin.` name. They are pure functions of their arguments (lookups read the controller),
 * so taint tracking (issue 13) can wrap them.
 */
import type { Extensions, Filter, Lookup, Test } from '../extension.js';
import { collectionFilters } from './filters/collections.js';
import { cryptFilters } from './filters/crypt.js';
import { datetimeFilters } from './filters/datetime.js';
import { hashFilters } from './filters/hash.js';
import { mathFilters } from './filters/math.js';
import { urlFilters } from './filters/net-url.js';
import { pathFilters } from './filters/paths.js';
import { randomFilters } from './filters/random.js';
import { regexFilters } from './filters/regex.js';
import { serializeFilters } from './filters/serialize.js';
import { textFilters } from './filters/text.js';
import { envLookups } from './lookups/env.js';
import { fileLookups } from './lookups/files.js';
import { listLookups } from './lookups/lists.js';
import { passwordLookups } from './lookups/password.js';
import { sequenceLookups } from './lookups/sequence.js';
import { fileTests } from './tests/files.js';
import { regexTests } from './tests/regex.js';
import { resultTests } from './tests/results.js';
import { setTests } from './tests/sets.js';
import { typeTests } from './tests/types.js';
import { versionTests } from './tests/version.js';

/** Each entry under its short name and its fully qualified ansible.builtin name. */
function withBuiltinNames<T>(entries: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, fn] of Object.entries(entries)) {
    out[name] = fn;
    out[`ansible.builtin.${name}`] = fn;
  }
  return out;
}

const filters: Record<string, Filter> = {
  ...collectionFilters,
  ...textFilters,
  ...mathFilters,
  ...regexFilters,
  ...serializeFilters,
  ...pathFilters,
  ...hashFilters,
  ...cryptFilters,
  ...urlFilters,
  ...randomFilters,
  ...datetimeFilters,
};

const tests: Record<string, Test> = {
  ...resultTests,
  ...regexTests,
  ...versionTests,
  ...setTests,
  ...fileTests,
  ...typeTests,
};

const lookups: Record<string, Lookup> = {
  ...fileLookups,
  ...listLookups,
  ...sequenceLookups,
  ...envLookups,
  ...passwordLookups,
};

export const ansibleExtensions: Extensions = {
  filters: withBuiltinNames(filters),
  tests: withBuiltinNames(tests),
  lookups: withBuiltinNames(lookups),
};
