/** Where in a user's file something is: printed as file:line:col. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export function formatLocation(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '';
}

/** Exit codes are part of the interface: CI pipelines branch on them. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  hostFailed: 2,
  unreachable: 3,
  badInput: 4,
  usage: 5,
  changesPending: 6,
  lintFailed: 7,
  verifyFailed: 8,
  planRefused: 9,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export type ErrorKind = 'input' | 'usage' | 'connect' | 'hostkey' | 'command' | 'module' | 'lab' | 'lint' | 'timeout';

/** The one base error: every error a user can cause carries a kind, context and a hint. */
export class ProvisionError extends Error {
  readonly kind: ErrorKind;
  readonly location?: SourceLocation;
  readonly hint?: string;
  readonly host?: string;
  readonly task?: string;

  constructor(
    kind: ErrorKind,
    message: string,
    opts: { location?: SourceLocation; hint?: string; host?: string; task?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ProvisionError';
    this.kind = kind;
    this.location = opts.location;
    this.hint = opts.hint;
    this.host = opts.host;
    this.task = opts.task;
  }

  get exitCode(): ExitCodeValue {
    switch (this.kind) {
      case 'input':
        return ExitCode.badInput;
      case 'usage':
        return ExitCode.usage;
      case 'lint':
        return ExitCode.lintFailed;
      case 'connect':
      case 'hostkey':
        return ExitCode.unreachable;
      default:
        return ExitCode.hostFailed;
    }
  }

  /** One short, precise message for a user's mistake: where, what, what to do. */
  describe(): string {
    const where = formatLocation(this.location);
    const ctx = [this.host && `host ${this.host}`, this.task && `task "${this.task}"`].filter(Boolean).join(', ');
    const head = [where, ctx].filter(Boolean).join(': ');
    const lines = [`${head ? `${head}: ` : ''}${this.message}`];
    if (this.hint) lines.push(`  hint: ${this.hint}`);
    return lines.join('\n');
  }
}

export function inputError(message: string, location?: SourceLocation, hint?: string): ProvisionError {
  return new ProvisionError('input', message, { location, hint });
}

/** Anything not a ProvisionError reaching the top is a bug in provision itself. */
export function describeUnexpected(err: unknown): string {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `internal error (a bug in provision, please report it with this output):\n${text}`;
}

/**
 * A value the code itself guarantees was missing: a bug in provision, not a user's mistake, so it is not a
 * ProvisionError and reaches the top as an internal error.
 */
export class InvariantError extends Error {
  constructor(what: string) {
    super(`internal invariant broken: ${what} is missing`);
    this.name = 'InvariantError';
  }
}

/** Narrows a value the surrounding code guarantees to exist; `what` names it for the bug report. */
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new InvariantError(what);
  return value;
}
