export type CaseKind = 'template' | 'expression';

export interface Case {
  id: string;
  /** The cases/ file it came from. */
  file: string;
  kind: CaseKind;
  /** A template file's text, or for kind expression a task argument value such as `{{ x | int }}`. */
  template: string;
  vars: Record<string, unknown>;
  notes: string;
}

/** Ansible's answer for one case, as the recorder wrote it. */
export interface Recording {
  id: string;
  hash: string;
  kind: CaseKind;
  /** The template module's output file, byte for byte (kind template). */
  output?: string;
  /** What set_fact stored (kind expression), as JSON, and Python's type name for it. */
  value?: unknown;
  type?: string;
  error?: { kind: 'undefined' | 'syntax' | 'unknown-name' | 'runtime'; message: string };
}

export const SET_DIR: string;
export const CASES_DIR: string;
export const EXPECTED_DIR: string;
export const TEMPLATES_DIR: string;
export const FILES_DIR: string;
export function loadCases(): Case[];
export function supportFiles(c: Case): string[];
export function caseHash(c: Case): string;
export function expectedPath(id: string): string;
export function readExpected(id: string): Recording | undefined;
export function sharedTemplates(): Record<string, string>;
export function ansibleErrorKind(message: string): Recording['error'] extends infer E ? (E extends { kind: infer K } ? K : never) : never;
