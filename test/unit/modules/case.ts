import type { DeclaredRead } from './fake-reader.js';

/**
 * Every case that changes something has a twin where the host already matches and nothing
 * changes: that is how each module's idempotence is tested, without a host.
 */
export interface Case {
  name: string;
  module: string;
  args: Record<string, unknown>;
  /** Every read the module may make, by name and arguments, with the value the host reports. */
  reads: DeclaredRead[];
  /** Round trips the planner may take (reads asked for together are one). */
  roundTrips?: number;
  /** Change descriptions expected, in order; [] means "ok, no change". */
  changes?: string[];
  failed?: RegExp;
  /** The module skips the task, as Ansible's action does (unarchive's creates). */
  skipped?: RegExp;
  files?: Record<string, string>;
  vars?: Record<string, unknown>;
  /** The message the module gives (debug's text, assert's success message). */
  msg?: string;
  /** Variables the module sets on the host (set_fact). */
  sets?: Record<string, unknown>;
  /** Facts the module returns (Ansible's `ansible_facts`: getent, package_facts), named as it returns them. */
  returns?: Record<string, unknown>;
  /** Result keys the module must report for `register` (a subset of its data). */
  data?: Record<string, unknown>;
  /** The text the first write change puts in the file. */
  writes?: string;
  /** Plan as a check run does (modules that decide differently there, as Ansible's do). */
  check?: boolean;
  /** Why a changing case has no idempotent twin: it changes every time, on purpose. */
  alwaysChanges?: string;
}
