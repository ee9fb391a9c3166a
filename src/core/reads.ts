import type { ExecResult } from './exec.js';

/** JSON: what a read's identity (its arguments) is made of. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json | undefined };

/** A read's arguments: a JSON object, so that name + arguments identify the read in a saved plan. */
export type ReadArgs = { readonly [k: string]: Json | undefined };

/** What a read's value may hold: JSON plus bytes (file contents); read-value.ts serialises it. */
export type ReadValue = null | boolean | number | string | Buffer | readonly ReadValue[] | { readonly [k: string]: ReadValue | undefined };

/** What a read's command printed. */
export type ReadOutput = Pick<ExecResult, 'exitCode' | 'stdout' | 'stdoutBytes' | 'stderr'>;

/**
 * A typed read of host state: a command that changes nothing and the pure parser of its output,
 * kept together. Planners see only these, never a raw command.
 */
export interface Read<A extends ReadArgs, T extends ReadValue> {
  /** Unique among reads; with the arguments it names what a decision depended on. */
  readonly name: string;
  command(args: A): string;
  /** Throws when the output says the read itself failed (the task then fails with that message). */
  parse(output: ReadOutput, args: A): T;
  /** Never cached: the answer is about time, not state (wait_for polls until something happens). */
  readonly volatile?: boolean;
  /**
   * The command may run in the host's long-lived shell itself rather than in a subshell of it,
   * saving a process start: it never exits, changes directory, options or traps, and sets only
   * variables it assigns before it uses them.
   */
  readonly inline?: boolean;
  /**
   * The part of the value that is state, not time (no access times, no free memory): what a saved
   * plan compares at apply. Without it the whole value counts.
   */
  stable?(value: T): ReadValue;
}

export function defineRead<A extends ReadArgs, T extends ReadValue>(read: Read<A, T>): Read<A, T> {
  return read;
}

/** A read bound to its arguments, for `getAll`: the pairing of read and arguments is checked once, by `ask`. */
export interface ReadRequest<T extends ReadValue = ReadValue> {
  readonly name: string;
  readonly args: ReadArgs;
  readonly volatile: boolean;
  readonly inline: boolean;
  readonly command: string;
  parse(output: ReadOutput): T;
  /** The value's state part (Read.stable), for a saved plan's fingerprint. */
  stable(value: T): ReadValue;
}

export function ask<A extends ReadArgs, T extends ReadValue>(read: Read<A, T>, args: A): ReadRequest<T> {
  return {
    name: read.name,
    args,
    volatile: read.volatile ?? false,
    inline: read.inline ?? false,
    command: read.command(args),
    parse: (output) => read.parse(output, args),
    stable: (value) => (read.stable ? read.stable(value) : value),
  };
}

export type ReadValues<R extends readonly ReadRequest[]> = { -readonly [K in keyof R]: R[K] extends ReadRequest<infer T> ? T : never };

/** Read-only access to a host: the only thing a planner may touch. Typed reads only, no raw commands. */
export interface HostReader {
  get<A extends ReadArgs, T extends ReadValue>(read: Read<A, T>, args: A): Promise<T>;
  /** Several reads in one round trip. */
  getAll<const R extends readonly ReadRequest[]>(requests: R): Promise<ReadValues<R>>;
}

/** JSON with object keys sorted and undefined members dropped: equal arguments give equal text. */
export function stableJson(value: Json | undefined): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v)).join(',')}]`;
  const obj = value as { readonly [k: string]: Json | undefined };
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(',')}}`;
}

/** A read's identity: its name and arguments, as stable text. */
export function readKey(name: string, args: ReadArgs): string {
  return `${name}${stableJson(args)}`;
}
