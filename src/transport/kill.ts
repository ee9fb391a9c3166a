import { ProvisionError } from '../errors.js';

/**
 * Stopping a remote command at its time limit. Closing an SSH channel does not stop what runs
 * in it (sshd sends no signal to a session without a terminal), and a signal sent over the
 * channel reaches only the first process, not `sudo`'s child or a build's compilers. So a
 * command with a limit first announces its process group on stderr, and at the limit the
 * transport kills that whole group from a second channel, through the same `become`.
 */

/** How long stopping a timed-out command may wait (for its group to be said, for the kill) before the task fails anyway. */
export const KILL_WAIT_MS = 5000;

/** A command stopped at its time limit; carries what it printed until then. */
export class CommandTimeout extends ProvisionError {
  constructor(
    host: string,
    readonly command: string,
    readonly limitMs: number,
    readonly stdout: string,
    readonly stderr: string,
    /** Why the process group could not be killed, when it could not. */
    readonly killProblem?: string,
  ) {
    super('timeout', `timed out after ${formatSeconds(limitMs)} s${killProblem ? ` (${killProblem})` : ''}`, { host });
    this.name = 'CommandTimeout';
  }
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}

/**
 * Shell text that writes `<token> <process group>` as a line on stderr. Builtins only (no fork);
 * the fifth field of /proc/PID/stat is the process group, and the shell's own name ("sh",
 * "bash") has no space that would shift the fields.
 */
export function announceGroup(token: string): string {
  return `read -r _ _ _ _ provision_pg _ </proc/$$/stat && printf '%s %s\\n' ${token} "$provision_pg" >&2; unset provision_pg`;
}

/** Kill every process of a group: the command, its children, and the shell or sudo above it. */
export function killGroupCommand(pgid: number): string {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`refusing to kill process group ${pgid}`);
  return `kill -KILL -${pgid}`;
}

/**
 * Takes the announcement line out of a stderr stream: lines before it (a sudo warning) and
 * everything after pass through; only the line itself is removed. Holds back at most one
 * unfinished line while the announcement is not yet seen.
 */
export class GroupAnnouncement {
  pgid: number | undefined;
  private held = '';
  private readonly waiters: ((pgid: number | undefined) => void)[] = [];

  constructor(private readonly token: string) {}

  /**
   * The group, once announced: a limit can pass before the command even starts (sudo still
   * checking a password on a busy host), and then it is worth waiting a little to kill it.
   * Resolves undefined after `ms`, or when the stream ends without an announcement.
   */
  known(ms: number): Promise<number | undefined> {
    if (this.pgid !== undefined) return Promise.resolve(this.pgid);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), ms);
      this.waiters.push((pgid) => {
        clearTimeout(timer);
        resolve(pgid);
      });
    });
  }

  /** Returns the text to pass on for this chunk. */
  feed(chunk: Buffer | string): string {
    const text = chunk.toString();
    if (this.pgid !== undefined) return text;
    this.held += text;
    let passed = '';
    for (;;) {
      const nl = this.held.indexOf('\n');
      if (nl < 0) return passed;
      const line = this.held.slice(0, nl);
      this.held = this.held.slice(nl + 1);
      const m = line.startsWith(`${this.token} `) ? /^(\d+)$/.exec(line.slice(this.token.length + 1)) : null;
      if (m) {
        this.pgid = Number(m[1]);
        for (const w of this.waiters.splice(0)) w(this.pgid);
        const rest = this.held;
        this.held = '';
        return passed + rest;
      }
      passed += `${line}\n`;
    }
  }

  /** At the end of the stream: whatever was held back. */
  flush(): string {
    for (const w of this.waiters.splice(0)) w(this.pgid);
    const rest = this.held;
    this.held = '';
    return rest;
  }
}
