import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadRequest, getUrl, hostDownloadCommand } from '../../src/modules/get-url.js';
import { unarchive, urlUnpackCommand } from '../../src/modules/unarchive.js';
import { downloadStdin, splitUrlCredentials } from '../../src/shell/http-download.js';
import { runLocal } from './helpers.js';

const PASSWORD = 'pw-Zq81-secret';
const TOKEN = 'tok-9f3e';

describe('get_url arguments (pure)', () => {
  it('takes username/password as aliases of url_username/url_password, as Ansible 2.14', () => {
    const a = getUrl.schema.parse({ url: 'http://h/f', dest: '/tmp/f', username: 'alice', password: PASSWORD });
    expect([a.url_username, a.url_password, a.force_basic_auth]).toEqual(['alice', PASSWORD, false]);
    expect(getUrl.schema.safeParse({ url: 'http://h/f', dest: '/tmp/f', username: 'a', url_username: 'b' }).success).toBe(false);
  });

  it("reads headers as Ansible's dict type: a mapping, a JSON object, or k=v pairs; not a list", () => {
    const headersOf = (headers: unknown) => getUrl.schema.parse({ url: 'http://h/f', dest: '/tmp/f', headers }).headers;
    expect(headersOf({ 'X-Token': TOKEN, 'X-Num': 5, 'X-On': true })).toEqual({ 'X-Token': TOKEN, 'X-Num': '5', 'X-On': 'True' });
    expect(headersOf('{"X-Token": "a b"}')).toEqual({ 'X-Token': 'a b' });
    expect(headersOf('X-Token=t1, X-Other="a b"')).toEqual({ 'X-Token': 't1', 'X-Other': 'a b' });
    // Ansible: "unable to convert to dict" for each of these
    for (const bad of ['X-Token:t1', 'X-Token=t1, X-Other=a b', ['X-Token: t1']])
      expect(getUrl.schema.safeParse({ url: 'http://h/f', dest: '/tmp/f', headers: bad }).success, String(bad)).toBe(false);
  });

  it('keeps the password and the headers off the command line: they are its stdin', () => {
    const a = getUrl.schema.parse({
      url: 'http://h/f',
      dest: '/tmp/f',
      url_username: 'alice',
      url_password: PASSWORD,
      headers: { 'X-Token': TOKEN },
    });
    const command = hostDownloadCommand(a, '/tmp/f');
    expect(command).not.toContain(PASSWORD);
    expect(command).not.toContain(TOKEN);
    const stdin = downloadStdin(downloadRequest(a))?.toString();
    expect(stdin).toBe(`header=X-Token: ${TOKEN}\nauth=alice:${PASSWORD}\nmode=anyauth\n`);
  });

  it('moves credentials written in the URL out of it, and names them secret', () => {
    expect(splitUrlCredentials(`https://bob:${PASSWORD}@h:8443/a/f.tgz`)).toEqual({
      url: 'https://h:8443/a/f.tgz',
      username: 'bob',
      password: PASSWORD,
    });
    expect(splitUrlCredentials('https://h/a@b')).toEqual({ url: 'https://h/a@b' });
    const a = getUrl.schema.parse({ url: `http://bob:${PASSWORD}@h/f`, dest: '/tmp/f' });
    expect(hostDownloadCommand(a, '/tmp/f')).not.toContain(PASSWORD);
    expect(getUrl.secretValues?.(a)).toEqual([PASSWORD]);
    expect(downloadStdin(downloadRequest(a))?.toString()).toContain(`auth=bob:${PASSWORD}`);
  });

  it('a header or credential with a line break is refused, not split into another', () => {
    const a = getUrl.schema.parse({ url: 'http://h/f', dest: '/tmp/f', headers: { X: 'a\nheader=Y: b' } });
    expect(() => downloadStdin(downloadRequest(a))).toThrow(/line break/);
  });

  it('unarchive from a URL downloads with the same code (no copy of it)', () => {
    const a = unarchive.schema.parse({ src: 'http://h/k.tgz', dest: '/usr/src', remote_src: true, validate_certs: false });
    const command = urlUnpackCommand(a);
    expect(command).toContain('http://h/k.tgz "$t"');
    expect(command).toContain('ssl._create_unverified_context');
    expect(command).toMatch(/tar -x -f "\$t" -C \/usr\/src$/);
  });
});

/** A server that wants basic auth (after a challenge) on /auth/, a header on /token/, and serves a small .tar.gz. */
function startServer(tarball: Buffer) {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const want = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;
  const server = createServer((req, res) => {
    const url = req.url ?? '';
    seen.push({ method: req.method ?? '', url, headers: req.headers });
    const reply = () => {
      if (url.includes('/auth/') && req.headers.authorization !== want) {
        res.writeHead(401, url.includes('nochallenge') ? {} : { 'WWW-Authenticate': 'Basic realm="t"' });
        return res.end('denied');
      }
      if (url.includes('/token/') && req.headers['x-token'] !== TOKEN) {
        res.writeHead(403);
        return res.end('no token');
      }
      if (url.endsWith('.tar.gz')) return res.end(tarball);
      if (url.endsWith('.txt')) return res.end('the body\n');
      res.writeHead(404);
      res.end('nope');
    };
    // /slow/ holds the answer, so that the process list can be read while the download runs.
    if (url.includes('/slow/')) setTimeout(reply, 1500);
    else reply();
  });
  return { server, seen };
}

describe('get_url and unarchive from URLs, run through the engine on this machine', () => {
  let server: Server;
  let seen: ReturnType<typeof startServer>['seen'];
  let base: string;
  beforeAll(async () => {
    const src = mkdtempSync(join(tmpdir(), 'prov-tgz-'));
    mkdirSync(join(src, 'pkg-1.0'));
    writeFileSync(join(src, 'pkg-1.0', 'README'), 'hello\n');
    execFileSync('tar', ['-czf', join(src, 'pkg.tar.gz'), '-C', src, 'pkg-1.0']);
    ({ server, seen } = startServer(readFileSync(join(src, 'pkg.tar.gz'))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const playbook = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: with basic auth after the challenge
      get_url: { url: "${base}/auth/a.txt", dest: "${out}/a.txt", url_username: alice, url_password: "{{ pw }}" }
    - name: with basic auth forced, and a header
      get_url:
        url: "${base}/token/auth/nochallenge/b.txt"
        dest: "${out}/b.txt"
        username: alice
        password: "${PASSWORD}"
        force_basic_auth: true
        headers: { X-Token: "${TOKEN}" }
    - name: through the controller
      get_url: { url: "${base}/auth/c.txt", dest: "${out}/c.txt", url_username: alice, url_password: "{{ pw }}", download: controller }
    - name: an archive from a URL
      unarchive: { src: "${base}/pkg.tar.gz", dest: "${out}", remote_src: true }
`;

  it('downloads with auth and headers, then is ok; a dry run changes nothing; the password is in no output', async () => {
    const out = mkdtempSync(join(tmpdir(), 'prov-urls-'));
    const run = (args: string[] = []) => runLocal(playbook(out), { hosts: '    h1: {}\n', args: ['-e', `pw=${PASSWORD}`, ...args] });
    const statuses = (r: Awaited<ReturnType<typeof run>>) => r.results.map((e: { status: string }) => e.status);

    seen.length = 0;
    const dry = await run(['--check']);
    expect(dry.code).toBe(0);
    // ansible-core's check run skips unpacking a tar archive (test/compat/cases/http-artifacts records it)
    expect(statuses(dry)).toEqual(['changed', 'changed', 'changed', 'skipped']);
    expect(existsSync(join(out, 'a.txt')) || existsSync(join(out, 'pkg-1.0'))).toBe(false);
    // nothing is downloaded by the dry run
    expect(seen.map((s) => s.url)).toEqual([]);

    seen.length = 0;
    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    expect(statuses(first)).toEqual(['changed', 'changed', 'changed', 'changed']);
    expect(readFileSync(join(out, 'a.txt'), 'utf8')).toBe('the body\n');
    expect(readFileSync(join(out, 'c.txt'), 'utf8')).toBe('the body\n');
    expect(readFileSync(join(out, 'pkg-1.0', 'README'), 'utf8')).toBe('hello\n');
    // As Ansible's urllib handler: no credentials until the server asks, then once more with them.
    const a = seen.filter((s) => s.url === '/auth/a.txt');
    expect(a.map((s) => s.headers.authorization === undefined)).toEqual([true, false]);
    expect(a[0]?.headers['user-agent']).toBe('ansible-httpget');
    const c = seen.filter((s) => s.url === '/auth/c.txt');
    expect(c.map((s) => s.headers.authorization === undefined)).toEqual([true, false]);
    // force_basic_auth: with the first request
    const b = seen.filter((s) => s.url.endsWith('/b.txt'));
    expect(b).toHaveLength(1);
    expect(b[0]?.headers['x-token']).toBe(TOKEN);

    const second = await run();
    expect(statuses(second)).toEqual(['ok', 'ok', 'ok', 'ok']);

    for (const r of [dry, first, second]) {
      expect(r.stdout).not.toContain(PASSWORD);
      expect(r.stderr).not.toContain(PASSWORD);
    }
  });

  it('fails as Ansible when the server refuses without asking (no force_basic_auth), and masks a password in the URL', async () => {
    const out = mkdtempSync(join(tmpdir(), 'prov-urls-'));
    const r = await runLocal(
      `
- hosts: all
  gather_facts: false
  tasks:
    - get_url: { url: "${base}/auth/nochallenge/d.txt", dest: "${out}/d.txt", url_username: alice, url_password: "${PASSWORD}" }
      ignore_errors: true
    - get_url: { url: "http://alice:${PASSWORD}@${base.slice(7)}/auth/e.txt", dest: "${out}/e.txt" }
`,
      { hosts: '    h1: {}\n' },
    );
    expect(r.results.map((e: { status: string }) => e.status)).toEqual(['failed', 'changed']);
    expect(JSON.stringify(r.results[0])).toMatch(/HTTP Error 401: Unauthorized \(status_code 401\)/);
    expect(readFileSync(join(out, 'e.txt'), 'utf8')).toBe('the body\n');
    expect(r.stdout).toContain('http://alice:********@');
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  /** A PATH of this machine's tools without the ones named: the host that lacks python3 (and curl). */
  function pathWithout(...missing: string[]): string {
    const bin = mkdtempSync(join(tmpdir(), 'prov-bin-'));
    for (const dir of ['/usr/bin', '/bin'])
      for (const name of readdirSync(dir))
        if (!missing.some((m) => name.startsWith(m)) && !existsSync(join(bin, name))) symlinkSync(join(dir, name), join(bin, name));
    return bin;
  }

  it.each([
    ['curl', ['python3']],
    ['wget', ['python3', 'curl']],
  ])('the %s fallback sends the same headers and credentials, read from stdin', async (tool, missing) => {
    const out = mkdtempSync(join(tmpdir(), 'prov-urls-'));
    const path = pathWithout(...missing);
    // Asynchronous: the server answering it runs in this same process.
    const download = (url: string, force: boolean) => {
      const a = getUrl.schema.parse({
        url,
        dest: join(out, 'g.txt'),
        url_username: 'alice',
        url_password: PASSWORD,
        force_basic_auth: force,
        headers: { 'X-Token': TOKEN },
      });
      const child = spawn('sh', ['-c', hostDownloadCommand(a, join(out, 'g.txt'))], { env: { PATH: path } });
      child.stdin.end(downloadStdin(downloadRequest(a)));
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      return new Promise<{ status: number | null; stderr: string }>((resolve) =>
        child.on('close', (status) => resolve({ status, stderr })),
      );
    };
    seen.length = 0;
    const r = await download(`${base}/token/auth/${tool}.txt`, false);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'g.txt'), 'utf8')).toBe('the body\n');
    // without force_basic_auth: the credentials go out only after the challenge, as Ansible's
    expect(seen.map((x) => [x.headers.authorization === undefined, x.headers['x-token'], x.headers['user-agent']])).toEqual([
      [true, TOKEN, 'ansible-httpget'],
      [false, TOKEN, 'ansible-httpget'],
    ]);
    expect((await download(`${base}/token/auth/nochallenge/${tool}.txt`, false)).status).not.toBe(0);
    seen.length = 0;
    expect((await download(`${base}/token/auth/nochallenge/${tool}.txt`, true)).status).toBe(0);
    expect(seen).toHaveLength(1);
    expect(readdirSync(out)).toEqual(['g.txt']);
  });

  it('the password never appears in the process list while the download runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'prov-urls-'));
    const lists: string[] = [];
    const sampler = setInterval(() => {
      lists.push(spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout);
    }, 100);
    try {
      const r = await runLocal(
        `
- hosts: all
  gather_facts: false
  tasks:
    - get_url: { url: "${base}/auth/slow/f.txt", dest: "${out}/f.txt", url_username: alice, url_password: "${PASSWORD}", force_basic_auth: true }
`,
        { hosts: '    h1: {}\n' },
      );
      expect(r.code, r.stderr).toBe(0);
    } finally {
      clearInterval(sampler);
    }
    // the download itself was seen running
    expect(lists.some((l) => l.includes('/auth/slow/f.txt'))).toBe(true);
    expect(lists.filter((l) => l.includes(PASSWORD))).toEqual([]);
  });
});
