import { defineRead } from '../core/reads.js';
import { quote } from '../shell/quote.js';

export type HttpRequestArgs = {
  url: string;
  method: string;
  headers: { readonly [k: string]: string };
  /** The body as it is sent (already encoded as JSON or a form); null for none. */
  body: string | null;
  timeout: number;
  validate_certs: boolean;
  /** Ansible's follow_redirects: safe (GET and HEAD only), all, none. */
  follow_redirects: 'safe' | 'all' | 'none';
};

/** What came back: the status (-1 when no answer), the final URL, the reason, the headers in order, the body. */
export type HttpResponse = {
  status: number;
  url: string;
  reason: string;
  headers: [string, string][];
  body: Buffer;
  /** Why there was no answer (connection refused, timeout), as Python's urllib says it. */
  error: string | null;
};

// Ansible's uri runs on the host with its Python; so does this, with urllib only (no module upload).
const PYTHON_REQUEST = `
import base64, json, ssl, sys, urllib.error, urllib.request
a = json.loads(sys.argv[1])
handlers = []
if not a["validate_certs"]:
    handlers.append(urllib.request.HTTPSHandler(context=ssl._create_unverified_context()))
class Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None
f = a["follow_redirects"]
if f == "none" or (f == "safe" and a["method"] not in ("GET", "HEAD")):
    handlers.append(Stay())
data = None if a["body"] is None else a["body"].encode("utf-8")
req = urllib.request.Request(a["url"], data=data, method=a["method"], headers=a["headers"])
out = {"status": -1, "url": a["url"], "reason": "", "headers": [], "body": "", "error": None}
try:
    r = urllib.request.build_opener(*handlers).open(req, timeout=a["timeout"])
except urllib.error.HTTPError as e:
    r = e
except Exception as e:
    out["error"] = str(e)
    r = None
if r is not None:
    out.update(status=r.status if hasattr(r, "status") else r.code, url=r.geturl(), reason=str(r.reason or ""),
               headers=list(r.headers.items()), body=base64.b64encode(r.read()).decode())
print(json.dumps(out))
`.trim();

/**
 * An HTTP request made from the host (uri). Volatile: the answer is about the moment, never cached,
 * never part of a saved plan's fingerprint; uri asks only in an applied run, as Ansible's runs only then.
 */
export const httpRequest = defineRead({
  name: 'http_request',
  volatile: true,
  command: (a: HttpRequestArgs) =>
    `if command -v python3 >/dev/null 2>&1; then python3 -c ${quote(PYTHON_REQUEST)} ${quote(JSON.stringify(a))}; else echo 'uri needs python3 on the host' >&2; exit 127; fi`,
  parse: ({ exitCode, stdout, stderr }): HttpResponse => {
    if (exitCode !== 0) throw new Error(`the request could not be made: ${stderr.trim() || `exit ${exitCode}`}`);
    const r = JSON.parse(stdout) as Omit<HttpResponse, 'body'> & { body: string };
    return { ...r, body: Buffer.from(r.body, 'base64') };
  },
});
