import { createServer, type IncomingMessage } from 'node:http';

/** A small HTTP server of fixed files, for the lab hosts to download from the controller. */
export interface ServedFiles {
  port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** URL path (`/dist/app.tar.gz`) -> body. */
  files: Map<string, Buffer>;
  /** URL path prefix -> headers a request there must carry (lower-case names); else 401 with a Basic challenge. */
  require?: Record<string, Record<string, string>>;
  /** The address to listen on: the lab bridge's (198.18.0.1) for the hosts, any for the hosts and loopback. */
  host?: string;
}

function allowed(req: IncomingMessage, require: Record<string, Record<string, string>>): boolean {
  const path = req.url ?? '/';
  return Object.entries(require)
    .filter(([prefix]) => path.startsWith(prefix))
    .every(([, headers]) => Object.entries(headers).every(([name, value]) => req.headers[name] === value));
}

/** Serve `files` on a free port until `close()`. */
export async function serveFiles({ files, require = {}, host = '0.0.0.0' }: ServeOptions): Promise<ServedFiles> {
  const server = createServer((req, res) => {
    if (!allowed(req, require)) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="lab"' }).end();
    const body = files.get(req.url ?? '/');
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
