import type { FileState } from '../core/file-state.js';
import type { Plan } from '../core/plan.js';
import type { HostReader } from '../core/reads.js';
import { fileState } from '../reads/file-state.js';
import { decideFile, desiredFile } from './desired-file.js';

export interface TextEditArgs {
  path: string;
  create?: boolean;
  backup?: boolean;
  validate?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
}

/**
 * The shared decision of the modules that edit a text file in place (lineinfile, blockinfile,
 * replace, ini_file): the file's text through `edit`, written when it differs, attributes fixed.
 * `missing` says what a missing file means when it is not to be created: ok (`absent` edits) or a failure.
 * `message`, when given, is the module's own msg for an edit that ran, from the text before and after.
 */
export function decideTextEdit(
  state: FileState,
  a: TextEditArgs,
  edit: (text: string) => string,
  missing: 'ok' | 'fail',
  message?: TextEditMessage,
): Plan {
  if (!state.exists && !a.create) {
    return missing === 'ok' ? { changes: [], msg: 'file absent' } : { changes: [], failed: `Path ${a.path} does not exist !` };
  }
  if (state.exists && state.type !== 'file') return { changes: [], failed: `${a.path} is not a regular file` };
  if (state.exists && !state.content) return { changes: [], failed: `${a.path} is too large to edit in place` };
  const before = state.exists && state.content ? state.content.toString('utf8') : '';
  const after = edit(before);
  // A file that create would make but that stays empty is not made (Ansible does the same).
  const plan = !state.exists && after === '' ? { changes: [], msg: 'nothing to write' } : decideEditedFile(state, a, after);
  return message && !plan.failed ? { ...plan, msg: message(before, after, plan) } : plan;
}

/** A module's msg for an edit, from the text before and after it and the plan it made. */
export type TextEditMessage = (before: string, after: string, plan: Plan) => string;

/** The edited text as the file's wanted state; Ansible's modules that create the file make the directories above it too. */
export function decideEditedFile(state: FileState, a: TextEditArgs, after: string): Plan {
  return decideFile(state, { ...desiredFile(a.path, Buffer.from(after), a), parents: !state.exists });
}

export async function planTextEdit(
  reader: HostReader,
  a: TextEditArgs,
  edit: (text: string) => string,
  missing: 'ok' | 'fail',
  message?: TextEditMessage,
): Promise<Plan> {
  return decideTextEdit(await reader.get(fileState, { path: a.path, content: true }), a, edit, missing, message);
}
