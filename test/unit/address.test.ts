import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addressProblem } from '../../src/config/address.js';

describe('addresses a host can be reached at', () => {
  it.each(['198.18.0.58', '0.0.0.0', '255.255.255.255', '::1', '[fe80::1]', 'web1', 'web-1.example.com', 'example.com.', '3com.example'])(
    '%s is an address',
    (a) => {
      expect(addressProblem(a)).toBeUndefined();
    },
  );

  it.each([
    ['198.18.0.580', 'not a valid IPv4 address'],
    ['256.1.1.1', 'not a valid IPv4 address'],
    ['1.2.3', 'needs four numbers'],
    ['web.123', 'last label is all digits'],
    ['', 'empty'],
    ['  ', 'empty'],
    ['a..b', 'not a valid host name'],
    ['-web', 'not a valid host name'],
    ['web_1', 'not a valid host name'],
    ['fe80::zz', 'not a valid IPv6 address'],
  ])('%s is refused: %s', (a, why) => {
    expect(addressProblem(a)).toContain(why);
  });

  it('agrees with Node on every dotted quad it accepts or refuses', () => {
    for (const octet of [0, 9, 10, 99, 100, 199, 249, 250, 255, 256, 300, 999]) {
      const a = `198.18.0.${octet}`;
      expect(addressProblem(a) === undefined).toBe(isIP(a) === 4);
    }
  });
});
