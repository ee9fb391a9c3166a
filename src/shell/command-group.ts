/** A read's command and whether it may run in the shell itself (Read.inline). */
export type GroupedCommand = { command: string; inline: boolean };

/**
 * A command with a redirection, stdin from /dev/null unless told (a long-lived shell reads its
 * script from stdin): in a subshell, or as a brace group in the shell itself when the command
 * allows it (one process start fewer, which is most of a small read's cost).
 */
export function grouped({ command, inline }: GroupedCommand, redirect = '</dev/null'): string {
  return inline ? `{\n${command}\n} ${redirect}` : `(\n${command}\n) ${redirect}`;
}
