import { z } from 'zod';
import type { Plan } from '../core/plan.js';
import { ask } from '../core/reads.js';
import { jsonDumps } from '../jinja/ansible/py-json.js';
import { type HttpRequestArgs, type HttpResponse, httpRequest } from '../reads/http-request.js';
import { pathExists } from '../reads/path-exists.js';
import { yesNo } from './common-args.js';
import { defineModule } from './types.js';

const schema = z.strictObject({
  url: z
    .string()
    .regex(/^https?:\/\//, 'an http or https URL')
    .describe('requested from the host, with its python3'),
  method: z
    .string()
    .default('GET')
    .transform((m) => m.toUpperCase())
    .refine((m) => /^[A-Z]+$/.test(m), "Parameter 'method' needs to be a single word in uppercase, like GET or POST."),
  body: z.unknown().optional().describe('what is sent; a mapping or list with body_format json or form-urlencoded'),
  body_format: z.enum(['raw', 'json', 'form-urlencoded']).default('raw').describe('how body is encoded (and its Content-Type)'),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  status_code: z
    .union([z.coerce.number().int(), z.string(), z.array(z.coerce.number().int())])
    .default([200])
    .transform((v) =>
      Array.isArray(v)
        ? v
        : String(v)
            .split(',')
            .map((s) => Number(s.trim())),
    )
    .describe('the statuses that are a success (a list, or comma-separated)'),
  return_content: yesNo.default(false).describe('add the body to the result as `content` (a JSON body is always in `json`)'),
  timeout: z.coerce.number().int().positive().default(30),
  validate_certs: yesNo.default(true).describe('false: accept any certificate (https)'),
  follow_redirects: z
    .enum(['safe', 'all', 'none', 'no', 'yes', 'urllib2'])
    .default('safe')
    .transform((f) => (f === 'no' ? 'none' : f === 'yes' || f === 'urllib2' ? 'all' : f))
    .describe('safe: only GET and HEAD follow a redirect; all; none'),
  creates: z.string().optional().describe('do not send the request when this path exists on the host'),
  removes: z.string().optional().describe('do not send the request unless this path exists on the host'),
});
export type UriArgs = z.infer<typeof schema>;

/** Python's urlencode of a mapping (quote_plus), as Ansible's form_urlencoded. */
function formUrlencoded(body: unknown): string {
  const pairs = Array.isArray(body) ? (body as [unknown, unknown][]) : Object.entries(body as Record<string, unknown>);
  const plus = (v: unknown) =>
    encodeURIComponent(String(v))
      .replace(/%20/g, '+')
      .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return pairs.flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `${plus(k)}=${plus(x)}`) : [`${plus(k)}=${plus(v)}`])).join('&');
}

/** The request as the host sends it: the body encoded per body_format, its Content-Type added unless given. */
export function uriRequest(a: UriArgs): HttpRequestArgs {
  const headers: Record<string, string> = Object.fromEntries(Object.entries(a.headers).map(([k, v]) => [k, String(v)]));
  const typed = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  let body: string | null = a.body === undefined || a.body === null ? null : typeof a.body === 'string' ? a.body : jsonDumps(a.body);
  if (a.body_format === 'json' && !typed) headers['Content-Type'] = 'application/json';
  if (a.body_format === 'form-urlencoded') {
    if (a.body !== undefined && typeof a.body !== 'string') body = formUrlencoded(a.body);
    if (!typed) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return {
    url: a.url,
    method: a.method,
    headers,
    body,
    timeout: a.timeout,
    validate_certs: a.validate_certs,
    follow_redirects: a.follow_redirects as HttpRequestArgs['follow_redirects'],
  };
}

const JSON_TYPES = /^application\/(.*\+)?json$|^text\/json$/i;

/** Ansible's uri result for a response: headers as lowercase keys with _ for -, json for a JSON body, failed outside status_code. */
export function uriResult(a: UriArgs, r: HttpResponse): Plan {
  const data: Record<string, unknown> = {};
  for (const [k, v] of r.headers) data[k.toLowerCase().replaceAll('-', '_')] = v;
  const contentType =
    String(data.content_type ?? '')
      .split(';')[0]
      ?.trim() ?? '';
  const charset = /charset=([\w-]+)/i.exec(String(data.content_type ?? ''))?.[1]?.toLowerCase();
  const text = r.body.toString(charset === 'latin-1' || charset === 'iso-8859-1' ? 'latin1' : 'utf8');
  const ok = a.status_code.includes(r.status);
  const said =
    r.error !== null
      ? `Request failed: ${r.error}`
      : r.status >= 400
        ? `HTTP Error ${r.status}: ${r.reason}`
        : `OK (${data.content_length ?? 'unknown'} bytes)`;
  Object.assign(data, { url: r.url, status: r.status, redirected: r.url !== a.url, elapsed: 0, changed: false });
  // As Ansible's fetch_url: cookies come with an answer that is not an HTTP error, the body of an error under `body`
  // unless it is read as content (JSON, return_content, or a status that fails the task).
  const maybeJson = JSON_TYPES.test(contentType);
  if (r.error === null && r.status < 400) Object.assign(data, { cookies: {}, cookies_string: '' });
  if (r.error === null && r.status >= 400 && !(maybeJson || a.return_content || !ok)) data.body = text;
  if (maybeJson) {
    try {
      data.json = JSON.parse(text);
    } catch (err) {
      // As Ansible: a body that says JSON but is not gets no `json` key; the text is still there with return_content.
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  if (a.return_content) data.content = text;
  if (!ok) {
    const msg = `Status code was ${r.status} and not [${a.status_code.join(', ')}]: ${said}`;
    return { changes: [], failed: msg, data: { ...data, msg } };
  }
  return { changes: [], msg: said, data: { ...data, msg: said } };
}

export const uri = defineModule({
  name: 'uri',
  schema,
  async plan({ args, reader, check }) {
    const guards = [args.creates, args.removes].filter((p): p is string => p !== undefined);
    const found = await reader.getAll(guards.map((path) => ask(pathExists, { path })));
    const exists = (p: string) => found[guards.indexOf(p)] === true;
    if (args.creates !== undefined && exists(args.creates))
      return { changes: [], msg: `skipped, since '${args.creates}' exists`, data: { stdout: `skipped, since '${args.creates}' exists` } };
    if (args.removes !== undefined && !exists(args.removes))
      return {
        changes: [],
        msg: `skipped, since '${args.removes}' does not exist`,
        data: { stdout: `skipped, since '${args.removes}' does not exist` },
      };
    // A request may change what it talks to (a POST); as Ansible's uri, a dry run does not send it.
    if (check)
      return {
        changes: [],
        skipped: `remote module (ansible.legacy.uri) does not support check mode; it would send ${args.method} ${args.url}`,
      };
    return uriResult(args, await reader.get(httpRequest, uriRequest(args)));
  },
});
