import { quote } from './quote.js';

/** One HTTP(S)/FTP download as get_url and unarchive ask for it, with Ansible's url arguments. */
export interface DownloadRequest {
  /** Without credentials: a `user:pass@` part is moved to `username`/`password` (splitUrlCredentials). */
  url: string;
  headers: Readonly<Record<string, string>>;
  username?: string;
  password?: string;
  /** Send the credentials with the first request; otherwise only after a 401 challenge, as Ansible's urllib handler. */
  forceBasicAuth: boolean;
  validateCerts: boolean;
  /** false: no proxy even when the host's environment names one. */
  useProxy: boolean;
  /** The proxy the host uses (http_proxy/https_proxy for the one process). */
  proxy?: string;
  timeout: number;
  /** User-Agent, Ansible's `http_agent` (ansible-httpget). */
  userAgent: string;
}

/** Ansible's User-Agent for its downloads (get_url's http_agent default). */
export const ANSIBLE_HTTP_AGENT = 'ansible-httpget';

/** A download without headers or credentials, as Ansible fetches an archive for unarchive. */
export function plainDownload(url: string, validateCerts: boolean, timeout: number): DownloadRequest {
  return { url, headers: {}, forceBasicAuth: false, validateCerts, useProxy: true, timeout, userAgent: ANSIBLE_HTTP_AGENT };
}

/** Ansible takes credentials from the URL when url_username is not given; they never stay in a command line. */
export function splitUrlCredentials(raw: string): { url: string; username?: string; password?: string } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/@?#]*)@(.*)$/i.exec(raw);
  if (!m || m[1]?.toLowerCase() === 'ftp://') return { url: raw };
  const [, scheme, userinfo = '', rest] = m;
  const colon = userinfo.indexOf(':');
  const username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? '' : decodeURIComponent(userinfo.slice(colon + 1));
  return { url: `${scheme}${rest}`, username, password };
}

/**
 * What the download reads on its standard input: the headers and credentials, one per line
 * (`header=Name: value`, `auth=user:password`, `mode=basic|anyauth`). They travel there, never on
 * the command line, where `ps` would show them to every user of the host. Undefined when there is nothing to send.
 */
export function downloadStdin(r: DownloadRequest): Buffer | undefined {
  const lines = Object.entries(r.headers).map(([k, v]) => `header=${k}: ${v}`);
  if (r.username) lines.push(`auth=${r.username}:${r.password ?? ''}`, `mode=${r.forceBasicAuth ? 'basic' : 'anyauth'}`);
  for (const l of lines) if (/[\r\n]/.test(l)) throw new Error('a header or credential of a download holds a line break');
  return lines.length ? Buffer.from(`${lines.join('\n')}\n`) : undefined;
}

// Ansible downloads with the host's Python (urllib, as its fetch_url): without force_basic_auth the
// credentials go out only after a 401 that asks for them (basic or digest). Non-secret options come
// as arguments, headers and credentials from stdin (downloadStdin).
const PYTHON_DOWNLOAD = `
import shutil, ssl, sys, urllib.error, urllib.request
url, out, timeout, verify, use_proxy, agent, has_stdin = sys.argv[1:8]
headers, user, password, mode = {"User-Agent": agent}, None, None, "anyauth"
for line in (sys.stdin.read().splitlines() if has_stdin == "1" else []):
    key, _, value = line.partition("=")
    if key == "header":
        name, _, v = value.partition(": ")
        headers = {k: x for k, x in headers.items() if k.lower() != name.lower()}
        headers[name] = v
    elif key == "auth":
        user, _, password = value.partition(":")
    elif key == "mode":
        mode = value
handlers = []
if verify == "0":
    handlers.append(urllib.request.HTTPSHandler(context=ssl._create_unverified_context()))
if use_proxy == "0":
    handlers.append(urllib.request.ProxyHandler({}))
if user and mode == "anyauth":
    pm = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    pm.add_password(None, url, user, password)
    handlers += [urllib.request.HTTPBasicAuthHandler(pm), urllib.request.HTTPDigestAuthHandler(pm)]
elif user:
    import base64
    headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
try:
    with urllib.request.build_opener(*handlers).open(urllib.request.Request(url, headers=headers), timeout=float(timeout)) as r:
        if r.status != 200 and not url.startswith("ftp:"):
            sys.exit(f"Request failed: {url}: HTTP {r.status} (status_code {r.status})")
        with (sys.stdout.buffer if out == "-" else open(out, "wb")) as f:
            shutil.copyfileobj(r, f)
except urllib.error.HTTPError as e:
    sys.exit(f"Request failed: {url}: HTTP Error {e.code}: {e.reason} (status_code {e.code})")
except Exception as e:
    sys.exit(f"Request failed: {url}: {e}")
`.trim();

// curl reads its config from stdin (-K -): a header or the user in double quotes, `anyauth` or `basic`.
const CURL_CONFIG = String.raw`s/[\\"]/\\&/g; s/^header=\(.*\)$/header = "\1"/; s/^auth=\(.*\)$/user = "\1"/; s/^mode=\(.*\)$/\1/`;
// wget reads a wgetrc only from a file (not a pipe): a private temp file, removed at once.
const WGETRC = String.raw`s/^header=\(.*\)$/header = \1/; s/^auth=\([^:]*\):\(.*\)$/user = \1\npassword = \2/; s/^mode=basic$/auth_no_challenge = on/; /^mode=/d`;

/**
 * Shell lines that download `r` into `out` (a shell word: `"$t"`, or `-` for stdout) with the
 * host's python3, else curl, else wget. When downloadStdin(r) is defined, the command must be run with it as stdin.
 */
export function downloadLines(r: DownloadRequest, out: string): string[] {
  const secret = downloadStdin(r) !== undefined;
  const proxyEnv = r.useProxy && r.proxy ? `http_proxy=${quote(r.proxy)} https_proxy=${quote(r.proxy)} ` : '';
  const flags = [r.timeout, r.validateCerts ? 1 : 0, r.useProxy ? 1 : 0, r.userAgent, secret ? 1 : 0].map(quote);
  const py = [quote(r.url), out, ...flags];
  const curlOpts = [
    '-fsSL',
    `--max-time ${r.timeout}`,
    r.validateCerts ? '' : '-k',
    r.useProxy ? '' : `--noproxy '*'`,
    `-A ${quote(r.userAgent)}`,
  ].filter(Boolean);
  const wgetOpts = ['-q', `-T ${r.timeout}`, r.validateCerts ? '' : '--no-check-certificate', r.useProxy ? '' : '--no-proxy'];
  const wgetBase = `wget ${wgetOpts.filter(Boolean).join(' ')} -U ${quote(r.userAgent)} -O ${out} ${quote(r.url)}`;
  return [
    `if command -v python3 >/dev/null 2>&1; then ${proxyEnv}python3 -c ${quote(PYTHON_DOWNLOAD)} ${py.join(' ')};`,
    secret
      ? `elif command -v curl >/dev/null 2>&1; then sed ${quote(CURL_CONFIG)} | ${proxyEnv}curl ${curlOpts.join(' ')} -K - -o ${out} ${quote(r.url)};`
      : `elif command -v curl >/dev/null 2>&1; then ${proxyEnv}curl ${curlOpts.join(' ')} -o ${out} ${quote(r.url)};`,
    secret
      ? `elif command -v wget >/dev/null 2>&1; then c=$(mktemp); sed ${quote(WGETRC)} > "$c"; ${proxyEnv}${wgetBase.replace('wget ', 'wget --config="$c" ')} || { rm -f "$c"; exit 1; }; rm -f "$c";`
      : `elif command -v wget >/dev/null 2>&1; then ${proxyEnv}${wgetBase};`,
    `else echo 'the host has none of python3, curl, wget to download with' >&2; exit 127; fi`,
  ];
}
