import { z } from 'zod';
import { inputError, type SourceLocation } from '../errors.js';
import { becomeMethod } from './become-method.js';
import { loopControlSchema, withKeywordShape } from './loop.js';
import { strategyTaskKeywords } from './strategy-keywords.js';

/**
 * The keywords of plays, blocks, role entries and tasks as provision reads them, and the Ansible
 * keywords it knows but does not support yet: those are refused by name, never as a typo.
 */

import { flag } from './flag.js';

export { type Flag, fixedFlag, flag, flagValue } from './flag.js';

export const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
export const condition = z.union([z.string(), z.boolean()]);
export const conditions = z.union([condition, z.array(condition)]).transform((v) => (Array.isArray(v) ? v : [v]));
const varsMap = z.record(z.string(), z.unknown()).nullish();
const envMap = z.union([z.record(z.string(), z.unknown()), z.string()]).nullish();

/** What plays, blocks, role entries and tasks share and pass on to the tasks inside them. */
export const inheritedKeywords = {
  name: z.string().nullish(),
  when: conditions.optional(),
  become: flag.optional(),
  become_user: z.string().optional(),
  become_method: becomeMethod.optional(),
  become_flags: z.string().optional(),
  become_exe: z.string().optional(),
  tags: z.union([stringList, z.number().transform((n) => [String(n)])]).optional(),
  vars: varsMap,
  environment: envMap,
  ignore_errors: flag.optional(),
  no_log: flag.optional(),
  check_mode: flag.optional(),
};

export const taskKeywordShape = {
  ...inheritedKeywords,
  loop: z.unknown().optional(),
  ...withKeywordShape,
  loop_control: loopControlSchema.optional(),
  notify: stringList.optional(),
  listen: stringList.optional(),
  register: z
    .string()
    .regex(/^[A-Za-z_]\w*$/, 'must be a variable name')
    .optional(),
  changed_when: condition.optional(),
  failed_when: condition.optional(),
  // Checked by parseTaskLimits, which says what a good value looks like.
  timeout: z.unknown().optional(),
  until: z.union([condition, z.array(condition)]).optional(),
  retries: z.unknown().optional(),
  delay: z.unknown().optional(),
  // A mapping, or a template that renders to one (checked by parseTask).
  args: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
  ...strategyTaskKeywords,
};

export const blockKeywordShape = {
  ...inheritedKeywords,
  block: z.array(z.record(z.string(), z.unknown())).nullish(),
  rescue: z.array(z.record(z.string(), z.unknown())).nullish(),
  always: z.array(z.record(z.string(), z.unknown())).nullish(),
};

/**
 * Real Ansible keywords provision does not carry out yet, with what to do instead. A keyword that
 * becomes supported leaves this table for a schema above .
 */
export const NOT_SUPPORTED_YET: Record<string, string> = {
  async: 'remove it: tasks run to completion (use timeout: to bound them)',
  poll: 'remove it: tasks run to completion (use timeout: to bound them)',
  collections: 'use the modules by their short or ansible.builtin. names',
  connection: 'set ansible_connection in the inventory, or connection: on the play',
  debugger: 'remove it',
  diff: 'pass --diff on the command line',
  module_defaults: 'write the arguments on each task',
  port: 'set ansible_port in the inventory',
  remote_user: 'set ansible_user in the inventory',
  fact_path: 'remove it',
  max_fail_percentage: 'set it on the play',
};

/** The error for a real Ansible keyword provision does not support yet (not a typo). */
export function notSupportedYet(keyword: string, where: string, location: SourceLocation) {
  const hint = NOT_SUPPORTED_YET[keyword] ?? (keyword.startsWith('with_') ? 'write the list with loop: and a filter' : 'remove it');
  return inputError(`"${keyword}" ${where} is an Ansible keyword provision does not support yet`, location, hint);
}

/** A `with_<name>` naming no lookup provision has is still Ansible's shape, not a typo. */
export function isAnsibleKeyword(key: string): boolean {
  return key in NOT_SUPPORTED_YET || /^with_[a-z_]+$/.test(key);
}
