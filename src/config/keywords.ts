import { z } from 'zod';
import { inputError, ProvisionError, type SourceLocation } from '../errors.js';
import { isTemplated } from '../template/render.js';
import { becomeMethod } from './become-method.js';
import { strategyTaskKeywords } from './strategy-keywords.js';

/**
 * The keywords of plays, blocks, role entries and tasks as provision reads them, and the Ansible
 * keywords it knows but does not support yet: those are refused by name, never as a typo.
 */

/** A yes/no keyword as written: decided now, or a template decided per host when the task runs. */
export type Flag = boolean | string;

// Ansible's boolean(): the strings are compared lowercased and trimmed.
const TRUE_WORDS = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_WORDS = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** A keyword's yes/no value the way Ansible reads it (`yes`, `off`, `True`, 1), or a template kept for later. */
export const flag = z.union([z.boolean(), z.string(), z.number()]).transform((v, ctx): Flag => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
  if (typeof v === 'string') {
    const w = v.trim().toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
    if (isTemplated(v)) return v;
  }
  ctx.addIssue({
    code: 'custom',
    message: `expected yes/no (true, false, yes, no, on, off, 1, 0) or a "{{ template }}", got ${JSON.stringify(v)}`,
  });
  return z.NEVER;
});

/** A flag that must be known at load time (the play's gather_facts and the like). */
export function fixedFlag(value: Flag | undefined, keyword: string, location: SourceLocation): boolean | undefined {
  if (typeof value === 'string') {
    throw inputError(`a template in "${keyword}" is not supported yet here`, location, `write ${keyword}: true or ${keyword}: false`);
  }
  return value;
}

/** A rendered template's value read as Ansible's boolean(): anything else is an error naming the keyword. */
export function flagValue(rendered: unknown, keyword: string): boolean {
  if (typeof rendered === 'boolean') return rendered;
  if (rendered === 0 || rendered === 1) return rendered === 1;
  if (typeof rendered === 'string') {
    const w = rendered.trim().toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
  }
  throw new ProvisionError('input', `${keyword} rendered to ${JSON.stringify(rendered)}, which is not a yes/no value`, {
    hint: 'make the template give true or false (yes/no, on/off, 1/0)',
  });
}

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
  with_items: z.unknown().optional(),
  with_first_found: z.unknown().optional(),
  loop_control: z.strictObject({ loop_var: z.string().regex(/^[A-Za-z_]\w*$/) }).optional(),
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
  args: z.record(z.string(), z.unknown()).optional(),
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
  connection: 'set ansible_connection in the inventory',
  debugger: 'remove it',
  diff: 'pass --diff on the command line',
  module_defaults: 'write the arguments on each task',
  port: 'set ansible_port in the inventory',
  remote_user: 'set ansible_user in the inventory',
  local_action: 'write the task with delegate_to: localhost',
  fact_path: 'remove it',
  gather_subset: 'remove it: provision gathers one fixed set of facts',
  gather_timeout: 'remove it',
  max_fail_percentage: 'set it on the play',
};

/** The error for a real Ansible keyword provision does not support yet (not a typo). */
export function notSupportedYet(keyword: string, where: string, location: SourceLocation) {
  const hint = NOT_SUPPORTED_YET[keyword] ?? (keyword.startsWith('with_') ? 'write the list with loop: and a filter' : 'remove it');
  return inputError(`"${keyword}" ${where} is an Ansible keyword provision does not support yet`, location, hint);
}

/** `with_<lookup>` loops other than with_items and with_first_found belong to the loop work. */
export function isAnsibleKeyword(key: string): boolean {
  return key in NOT_SUPPORTED_YET || /^with_[a-z_]+$/.test(key);
}
