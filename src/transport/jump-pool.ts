import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { ProvisionError } from '../errors.js';

/** Where a jump host is reached and how to know it: what the pool keys its connections by. */
export interface JumpHop {
  /** The name the hop was given in ProxyJump, for messages. */
  label: string;
  address: string;
  port: number;
  user: string;
  /** Anything else that makes two hops different connections (keys, known hosts, policy). */
  identity: string;
}

/**
 * Opens one hop's connection; `openSock` gives a fresh forwarded connection for each attempt
 * when the hop sits behind another one.
 */
export type HopConnector<H extends JumpHop> = (hop: H, openSock: (() => Promise<Duplex>) | undefined) => Promise<Client>;

/** A share of one jump host's connection; `release` ends it with its last user. */
export interface JumpLease {
  /** A TCP connection from the jump host to `address:port`, for the next hop or the target. */
  forward(address: string, port: number, forWhom: string, host: string): Promise<Duplex>;
  release(): Promise<void>;
}

interface Opened {
  client: Client;
  parent?: JumpLease;
  isClosed: () => boolean;
}

interface Entry {
  ready: Promise<Opened>;
  users: number;
}

function hopKey(h: JumpHop): string {
  return `${h.user}@${h.address}:${h.port}#${h.identity}`;
}

/** The reason code of an SSH channel that the far side could not connect (RFC 4254 5.1). */
export const SSH_OPEN_CONNECT_FAILED = 2;

/**
 * One connection per jump chain, shared by every host behind it: a fleet behind a bastion costs
 * the bastion one SSH login, not one per host. Counted: the connection closes with its last user.
 */
export class JumpPool {
  private readonly entries = new Map<string, Entry>();
  /** Connections opened so far, per chain: tests check that hosts share them. */
  readonly opened = new Map<string, number>();

  /** `host` is the inventory host asking, for messages. */
  async lease<H extends JumpHop>(chain: readonly H[], host: string, connect: HopConnector<H>): Promise<JumpLease> {
    const hop = chain.at(-1);
    if (!hop) throw new ProvisionError('connect', 'an empty jump chain');
    const key = chain.map(hopKey).join(',');
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { users: 0, ready: this.open(chain, hop, key, host, connect) };
      entry = created;
      this.entries.set(key, created);
      // A failed connection is not kept: the next host tries again.
      created.ready.catch(() => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      });
    }
    const e = entry;
    e.users++;
    let opened: Opened;
    try {
      opened = await e.ready;
    } catch (err) {
      e.users--;
      throw err;
    }
    const { client, parent, isClosed } = opened;
    // Released once, however often asked: a closing host's own close event and its close() both call it.
    let releasing: Promise<void> | undefined;
    const release = async () => {
      if (--e.users > 0) return;
      if (this.entries.get(key) === e) this.entries.delete(key);
      if (!isClosed()) await endClient(client);
      await parent?.release();
    };
    return {
      forward: (address, port, forWhom, host) => forwardOut(client, hop, address, port, forWhom, host),
      release: () => {
        releasing ??= release();
        return releasing;
      },
    };
  }

  private async open<H extends JumpHop>(chain: readonly H[], hop: H, key: string, host: string, connect: HopConnector<H>): Promise<Opened> {
    const before = chain.slice(0, -1);
    const parent = before.length ? await this.lease(before, host, connect) : undefined;
    try {
      const client = await connect(hop, parent && (() => parent.forward(hop.address, hop.port, `bastion ${hop.label}`, host)));
      let closed = false;
      client.once('close', () => {
        closed = true;
      });
      this.opened.set(key, (this.opened.get(key) ?? 0) + 1);
      return { client, parent, isClosed: () => closed };
    } catch (err) {
      await parent?.release();
      throw err;
    }
  }
}

function forwardOut(client: Client, hop: JumpHop, address: string, port: number, forWhom: string, host: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, address, port, (err, stream) => {
      if (!err) {
        resolve(stream);
        return;
      }
      const reason = (err as Error & { reason?: unknown }).reason;
      reject(
        new ProvisionError(
          'connect',
          `bastion ${hop.label} (${hop.address}:${hop.port}) could not reach ${forWhom} at ${address}:${port}: ${err.message}`,
          {
            host,
            // The bastion reached nothing: as a refused TCP connection, worth another attempt while the host boots.
            cause: Object.assign(new Error(err.message), { code: reason === SSH_OPEN_CONNECT_FAILED ? 'EJUMPCONNECT' : undefined }),
            hint: 'check that the host is up, sshd listens, and the bastion can route to it',
          },
        ),
      );
    });
  });
}

/** End politely; a peer that never answers the goodbye must not hold the run open. */
export function endClient(client: Client): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      client.destroy();
      resolve();
    }, 1000);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    client.end();
  });
}

/** The pool of this process: runs connect through it, and the last host to close a chain closes it. */
export const jumpPool = new JumpPool();
