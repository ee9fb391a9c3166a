import { describe, expect, it } from 'vitest';
import { isRetryableConnectError } from '../../src/transport/connect-retry.js';

/** An error shaped as ssh2 or Node hands it over. */
function err(message: string, facts: { code?: string; level?: string }): Error {
  return Object.assign(new Error(message), facts);
}

describe('connect retry decision', () => {
  it('retries a host that does not answer (yet)', () => {
    expect(isRetryableConnectError(err('connect ECONNREFUSED 198.18.0.29:22', { code: 'ECONNREFUSED', level: 'client-socket' }))).toBe(
      true,
    );
    expect(isRetryableConnectError(err('connect EHOSTUNREACH 198.18.0.29:22', { code: 'EHOSTUNREACH', level: 'client-socket' }))).toBe(
      true,
    );
    expect(isRetryableConnectError(err('read ECONNRESET', { code: 'ECONNRESET', level: 'client-socket' }))).toBe(true);
    expect(isRetryableConnectError(err('Timed out while waiting for handshake', { level: 'client-timeout' }))).toBe(true);
    // the TCP connect stalled past our own timer
    expect(isRetryableConnectError(err('no answer', { code: 'ETIMEDOUT' }))).toBe(true);
  });

  it('does not retry what another attempt cannot fix', () => {
    expect(isRetryableConnectError(err('All configured authentication methods failed', { level: 'client-authentication' }))).toBe(false);
    expect(isRetryableConnectError(err('Connection lost before handshake', { level: 'protocol' }))).toBe(false);
    expect(isRetryableConnectError(err('getaddrinfo ENOTFOUND nohost', { code: 'ENOTFOUND', level: 'client-dns' }))).toBe(false);
    expect(isRetryableConnectError(err('interrupted', { code: 'ABORT_ERR' }))).toBe(false);
    expect(isRetryableConnectError(undefined)).toBe(false);
  });

  it('decides on codes, never on the text of a message', () => {
    expect(isRetryableConnectError(err('connect ECONNREFUSED timed out', { code: 'EACCES', level: 'client-socket' }))).toBe(false);
    expect(isRetryableConnectError(err('permission denied', { code: 'ECONNREFUSED', level: 'client-socket' }))).toBe(true);
    expect(isRetryableConnectError(err('timed out', { level: 'client-authentication', code: 'ETIMEDOUT' }))).toBe(false);
  });
});
