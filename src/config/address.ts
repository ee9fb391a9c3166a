import { isIP } from 'node:net';

const hostLabel = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `address` cannot be a host to connect to, or undefined when it can be one.
 * A resolver would take `198.18.0.580` or `web.123` as a DNS name and fail only at connect time,
 * after the other hosts were contacted; a name's last label is never all digits (RFC 3696), so
 * such a value is a mistyped address and is refused at load.
 */
export function addressProblem(address: string): string | undefined {
  if (address.trim() === '') return 'the address is empty';
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIP(bare) !== 0) return undefined;
  if (bare.includes(':')) return `"${address}" is not a valid IPv6 address`;
  const labels = (bare.endsWith('.') ? bare.slice(0, -1) : bare).split('.');
  if (labels.every((l) => /^\d+$/.test(l))) {
    return labels.length === 4
      ? `"${address}" is not a valid IPv4 address (each of its four numbers must be 0 to 255)`
      : `"${address}" is not a valid IPv4 address (it needs four numbers, each 0 to 255)`;
  }
  const bad = labels.find((l) => !hostLabel.test(l));
  if (bad !== undefined)
    return `"${address}" is not a valid host name (label "${bad}": letters, digits and inner dashes, at most 63 characters)`;
  const last = labels[labels.length - 1];
  if (last !== undefined && /^\d+$/.test(last)) return `"${address}" is not a valid host name (its last label is all digits)`;
  return undefined;
}
