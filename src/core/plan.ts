import type { Vars } from './vars.js';

export interface FileDiff {
  path: string;
  before: string;
  after: string;
  /** Set for binary or very large content, where a line diff means nothing. */
  summary?: string;
}

/** Content produced lazily, so that check mode never fetches what it would only report. */
export type LazyContent = () => Promise<Buffer>;

/** A file as a module wants it; the write change carries this same shape to the engine. */
export interface DesiredFile<C extends Buffer | LazyContent = Buffer> {
  path: string;
  content: C;
  mode?: string;
  owner?: string;
  group?: string;
  /** Keep the old file as PATH.<time>~. */
  backup?: boolean;
  /** A command to validate the new file before it replaces the old; %s is the temp path. */
  validate?: string;
  /** Make the missing directories above it first (lineinfile, blockinfile, ini_file with create). */
  parents?: boolean;
}

/** A change a module wants made. The engine executes it, or in check mode only reports it. */
export type Change =
  | {
      kind: 'exec';
      command: string;
      /** What it does, for output: "install nginx", "restart keepalived". */
      description: string;
      stdin?: Buffer;
      /** Stream output lines to the reporter: long builds must be seen moving. */
      streamOutput?: boolean;
      /** Exit codes that are not a failure. */
      okExitCodes?: number[];
      /**
       * Its output is what the task registers (command, shell, raw, script): a check run, which does
       * not run it, cannot know the result. Other modules' results come from their reads.
       */
      registersOutput?: boolean;
      /** It runs at apply but does not make the task changed (Ansible's daemon-reload and daemon-reexec). */
      unreported?: boolean;
    }
  | {
      kind: 'write';
      file: DesiredFile<Buffer | LazyContent>;
      description: string;
    }
  | {
      /** Reboot the host and wait until it is back through the same transport (the reboot module). */
      kind: 'reboot';
      description: string;
      reboot: RebootRequest;
    }
  | {
      /** A file written on the controller, not the host (fetch): content already read from the host. */
      kind: 'controller-write';
      path: string;
      content: Buffer;
      description: string;
    };

/** How to reboot a host and how to know it came back, as Ansible's reboot module takes them. */
export interface RebootRequest {
  /** The command that starts the reboot (shutdown -r ...). */
  command: string;
  /** Prints something that differs after a reboot. */
  bootIdCommand: string;
  /** Must succeed before the host counts as back. */
  testCommand: string;
  rebootTimeoutS: number;
  connectTimeoutS?: number;
  postRebootDelayS: number;
}

/**
 * A change to the run's own inventory, never to a host (add_host, group_by): the engine makes it,
 * in check mode too, and later plays see it.
 */
export type InventoryUpdate =
  | { kind: 'add_host'; name: string; groups: string[]; vars: Vars }
  | { kind: 'group_by'; group: string; parents: string[] };

export interface Plan {
  changes: Change[];
  diffs?: FileDiff[];
  /** Why nothing changes, or what will: shown with -v. */
  msg?: string;
  /** Extra data for `register` (stdout of a read, a computed value). */
  data?: Record<string, unknown>;
  /** Variables to set on the host (set_fact). */
  facts?: Vars;
  /**
   * Facts the module returns (Ansible's `ansible_facts` in its result: setup, getent, package_facts),
   * named as it returns them: each becomes a host variable of that name and joins `ansible_facts`
   * without the `ansible_` prefix, as Ansible stores them.
   */
  hostFacts?: Vars;
  /** Hosts and groups the task adds to the run's inventory; the task is changed when the inventory was. */
  inventory?: InventoryUpdate[];
  /** The module decided the task fails (assert). */
  failed?: string;
  /** The module decided the task is skipped, as Ansible's action reports it (unarchive's `creates`). */
  skipped?: string;
  /**
   * Check mode skips the task with this message instead of showing its changes as "would change":
   * a command whose effect nothing predicts (Ansible's command and shell without creates/removes).
   */
  skipInCheck?: string;
}
