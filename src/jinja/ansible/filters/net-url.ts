/** Ansible's urlsplit filter: Python's urllib.parse.urlsplit, its parts as a dict (or one of them). */
import type { Filter } from '../../extension.js';
import { pyRepr, pyStr } from '../../value.js';
import { bind, pluginError, toText } from '../shared.js';

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;

export function pyUrlsplit(input: string): Record<string, unknown> {
  // WHATWG C0 controls and space are stripped from the start, tabs and newlines everywhere.
  let start = 0;
  while (start < input.length && input.charCodeAt(start) <= 0x20) start++;
  let url = input.slice(start).replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  let query = '';
  let fragment = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  if (url.startsWith('//')) {
    const m = /[/?#]/.exec(url.slice(2));
    const end = m ? m.index + 2 : url.length;
    netloc = url.slice(2, end);
    url = url.slice(end);
    if (netloc.includes('[') !== netloc.includes(']')) throw pluginError('Invalid IPv6 URL');
  }
  const hash = url.indexOf('#');
  if (hash >= 0) {
    fragment = url.slice(hash + 1);
    url = url.slice(0, hash);
  }
  const q = url.indexOf('?');
  if (q >= 0) {
    query = url.slice(q + 1);
    url = url.slice(0, q);
  }
  const at = netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? netloc.slice(0, at) : null;
  const hostinfo = at >= 0 ? netloc.slice(at + 1) : netloc;
  const userColon = userinfo === null ? -1 : userinfo.indexOf(':');
  const username = userinfo === null ? null : userColon >= 0 ? userinfo.slice(0, userColon) : userinfo;
  const password = userinfo === null || userColon < 0 ? null : userinfo.slice(userColon + 1);
  let host: string;
  let portText: string;
  const open = hostinfo.indexOf('[');
  if (open >= 0) {
    const bracketed = hostinfo.slice(open + 1);
    const close = bracketed.indexOf(']');
    host = close >= 0 ? bracketed.slice(0, close) : bracketed;
    const after = close >= 0 ? bracketed.slice(close + 1) : '';
    const c = after.indexOf(':');
    portText = c >= 0 ? after.slice(c + 1) : '';
  } else {
    const c = hostinfo.indexOf(':');
    host = c >= 0 ? hostinfo.slice(0, c) : hostinfo;
    portText = c >= 0 ? hostinfo.slice(c + 1) : '';
  }
  let port: number | null = null;
  if (portText !== '') {
    if (!/^[0-9]+$/.test(portText)) throw pluginError(`Port could not be cast to integer value as ${pyRepr(portText)}`);
    port = Number(portText);
    if (port > 65535) throw pluginError('Port out of range 0-65535');
  }
  const pct = host.indexOf('%');
  const hostname = host === '' ? null : pct >= 0 ? host.slice(0, pct).toLowerCase() + host.slice(pct) : host.toLowerCase();
  return { fragment, hostname, netloc, password, path: url, port, query, scheme, username };
}

const urlsplit: Filter = (_ctx, value, args, kwargs) => {
  const [query] = bind('urlsplit', ['query'], [''], args, kwargs);
  const parts = pyUrlsplit(toText(value));
  const q = pyStr(query);
  if (!q) return parts;
  if (!Object.hasOwn(parts, q)) throw pluginError(`urlsplit: unknown URL component: ${q}`);
  return parts[q];
};

export const urlFilters: Record<string, Filter> = { urlsplit };
