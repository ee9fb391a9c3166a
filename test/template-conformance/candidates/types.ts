import type { Case, Recording } from '../case-set.mjs';

export type ErrorKind = NonNullable<Recording['error']>['kind'];

/** What one engine made of one case: text (template), a value (expression) or an error. */
export interface Outcome {
  output?: string;
  value?: unknown;
  error?: { kind: ErrorKind; message: string };
}

export interface Candidate {
  name: string;
  /** What this adapter adds on top of the engine to behave like Ansible (shown in RESULTS.md). */
  notes: string;
  /** Renders the case; never throws (an engine error is an Outcome). */
  run(c: Case): Outcome;
}
