import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ProvisionError } from '../errors.js';
import type { DownloadRequest } from '../shell/http-download.js';

const MAX_REDIRECTS = 10;

function basicAuth(r: DownloadRequest): string {
  return `Basic ${Buffer.from(`${r.username ?? ''}:${r.password ?? ''}`).toString('base64')}`;
}

function get(url: URL, r: DownloadRequest, auth: boolean): Promise<{ res: IncomingMessage; body: Buffer }> {
  const headers: Record<string, string> = { 'User-Agent': r.userAgent, ...r.headers };
  if (auth) headers.Authorization = basicAuth(r);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { headers, rejectUnauthorized: r.validateCerts, timeout: r.timeout * 1000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${r.timeout} s`)));
    req.on('error', (err) => reject(new ProvisionError('module', `Request failed: ${url.href}: ${err.message}`, { cause: err })));
    req.end();
  });
}

/**
 * Download on the controller (get_url's `download: controller`) with the same headers and
 * credentials as on the host: basic auth only after a 401 that asks for it, unless forced, as
 * Ansible's urllib handler. Redirects are followed; credentials are not sent to another host.
 */
export async function controllerDownload(r: DownloadRequest): Promise<Buffer> {
  if (!/^https?:/.test(r.url)) throw new ProvisionError('module', `download: controller fetches http and https only, not ${r.url}`);
  let url = new URL(r.url);
  let auth = r.forceBasicAuth && r.username !== undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const { res, body } = await get(url, r, auth && url.host === new URL(r.url).host);
    const status = res.statusCode ?? 0;
    const challenge = /^\s*basic\b/i.test(String(res.headers['www-authenticate'] ?? ''));
    if (status === 401 && challenge && r.username && !auth) {
      auth = true;
      hop--;
      continue;
    }
    if (status >= 300 && status < 400 && res.headers.location) {
      url = new URL(res.headers.location, url);
      continue;
    }
    if (status !== 200)
      throw new ProvisionError(
        'module',
        `Request failed: ${r.url}: HTTP Error ${status}: ${res.statusMessage ?? ''} (status_code ${status})`,
      );
    return body;
  }
  throw new ProvisionError('module', `Request failed: ${r.url}: more than ${MAX_REDIRECTS} redirects`);
}
