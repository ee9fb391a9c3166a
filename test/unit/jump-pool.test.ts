import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { must, ProvisionError } from '../../src/errors.js';
import { isRetryableConnectError } from '../../src/transport/connect-retry.js';
import { type JumpHop, JumpPool } from '../../src/transport/jump-pool.js';

/** Stands in for an ssh2 connection: the pool only forwards, ends and listens for close. */
class FakeClient extends EventEmitter {
  ended = 0;
  forwards: string[] = [];
  refuse = false;
  end(): void {
    this.ended++;
    setImmediate(() => this.emit('close'));
  }
  destroy(): void {
    this.emit('close');
  }
  forwardOut(_src: string, _port: number, host: string, port: number, cb: (err: Error | undefined, s: PassThrough) => void): void {
    this.forwards.push(`${host}:${port}`);
    if (this.refuse) cb(Object.assign(new Error('(SSH) Channel open failure: Connection refused'), { reason: 2 }), new PassThrough());
    else cb(undefined, new PassThrough());
  }
}

const hop = (label: string, address: string): JumpHop => ({ label, address, port: 22, user: 'root', identity: '' });

describe('the jump pool', () => {
  it('shares one connection per chain between hosts and closes it with its last user', async () => {
    const pool = new JumpPool();
    const made: FakeClient[] = [];
    const connect = async () => {
      const c = new FakeClient();
      made.push(c);
      return c as unknown as Client;
    };
    const chain = [hop('gw', '198.18.2.160')];
    const [a, b] = await Promise.all([pool.lease(chain, 'h1', connect), pool.lease(chain, 'h2', connect)]);
    expect(made).toHaveLength(1);
    await a?.release();
    await a?.release(); // twice is once
    expect(made[0]?.ended).toBe(0);
    await b?.release();
    expect(made[0]?.ended).toBe(1);
    await pool.lease(chain, 'h3', connect);
    expect(made).toHaveLength(2);
  });

  it('reaches a second hop through the first, and a refused forward is worth another attempt', async () => {
    const pool = new JumpPool();
    const made: FakeClient[] = [];
    const socks: boolean[] = [];
    const lease = await pool.lease([hop('a', '198.18.2.160'), hop('b', '198.18.3.254')], 'h1', async (_h, openSock) => {
      if (openSock) socks.push(Boolean(await openSock()));
      const c = new FakeClient();
      made.push(c);
      return c as unknown as Client;
    });
    expect(made).toHaveLength(2);
    expect(made[0]?.forwards).toEqual(['198.18.3.254:22']);
    expect(socks).toEqual([true]);
    const second = must(made[1], 'the second hop');
    second.refuse = true;
    const err = await lease.forward('198.18.3.241', 22, 'a-hidden1', 'a-hidden1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as ProvisionError).message).toMatch(/^bastion b \(198\.18\.3\.254:22\) could not reach a-hidden1 at 198\.18\.3\.241:22/);
    expect(isRetryableConnectError((err as ProvisionError).cause)).toBe(true);
    await lease.release();
    expect(made.map((c) => c.ended)).toEqual([1, 1]);
  });

  it('does not keep a failed connection: the next host tries again', async () => {
    const pool = new JumpPool();
    let tries = 0;
    const failing = async (): Promise<Client> => {
      tries++;
      throw new ProvisionError('connect', 'bastion gw (198.18.2.160:22): connection refused');
    };
    await expect(pool.lease([hop('gw', '198.18.2.160')], 'h1', failing)).rejects.toThrow(/connection refused/);
    await expect(pool.lease([hop('gw', '198.18.2.160')], 'h2', failing)).rejects.toThrow(/connection refused/);
    expect(tries).toBe(2);
  });
});
