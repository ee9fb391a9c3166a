/** A read's command and whether it may run in the shell itself (Read.inline). */
export type GroupedCommand = { command: string; inline: boolean };

/**
 * A command with stdin from /dev/null, for a long-lived shell that reads its script from stdin:
 * in a subshell, or as a brace group in the shell itself when the command allows it (one process
 * start fewer, which is most of a small read's cost).
 */
export function grouped({ command, inline }: GroupedCommand): string {
  return inline ? `{\n${command}\n} </dev/null` : `(\n${command}\n) </dev/null`;
}
