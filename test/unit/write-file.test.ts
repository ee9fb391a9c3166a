import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomicWriteCommand } from '../../src/engine/write-file.js';
import { must } from '../../src/errors.js';
import { getUrl, hostDownloadCommand } from '../../src/modules/get-url.js';

function write(path: string, content: string, stdin: string, extra: Partial<Parameters<typeof atomicWriteCommand>[0]> = {}) {
  return spawnSync('sh', ['-c', atomicWriteCommand({ path, content: Buffer.from(content), ...extra })], { input: stdin });
}

describe('atomic file writes', () => {
  it('replaces the file with the exact content and mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-w-'));
    const p = join(dir, 'f');
    writeFileSync(p, 'old');
    expect(write(p, 'new content\n', 'new content\n', { mode: '0600' }).status).toBe(0);
    expect(readFileSync(p, 'utf8')).toBe('new content\n');
    expect((statSync(p).mode & 0o777).toString(8)).toBe('600');
    expect(readdirSync(dir)).toEqual(['f']);
  });

  it('a cut upload leaves the old file intact and no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-w-'));
    const p = join(dir, 'f');
    writeFileSync(p, 'old');
    const r = write(p, 'the whole new content', 'the whole');
    expect(r.status).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/incomplete/);
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['f']);
  });

  it('a failed validation leaves the old file intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-w-'));
    const p = join(dir, 'f');
    writeFileSync(p, 'old');
    const r = write(p, 'bad', 'bad', { validate: 'grep -q good %s' });
    expect(r.status).not.toBe(0);
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['f']);
  });

  it('keeps a backup when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-w-'));
    const p = join(dir, 'f');
    writeFileSync(p, 'old');
    expect(write(p, 'new', 'new', { backup: true }).status).toBe(0);
    const backups = readdirSync(dir).filter((f) => f.endsWith('~'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, must(backups[0], 'a backup file')), 'utf8')).toBe('old');
  });
});

describe("get_url's download on the host goes through the same atomic replace", () => {
  const body = Buffer.from('the archive\n');
  const sum = createHash('sha256').update(body).digest('hex');
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_, res) => res.end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/k.tgz`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const download = (dest: string, checksum: string) => {
    const args = getUrl.schema.parse({ url, dest, checksum: `sha256:${checksum}`, mode: '0640' });
    return new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn('sh', ['-c', hostDownloadCommand(args, dest)]);
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (status) => resolve({ status, stderr }));
    });
  };

  it('puts the verified file in place with its mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-g-'));
    expect((await download(join(dir, 'k.tgz'), sum)).status).toBe(0);
    expect(readFileSync(join(dir, 'k.tgz'))).toEqual(body);
    expect((statSync(join(dir, 'k.tgz')).mode & 0o777).toString(8)).toBe('640');
    expect(readdirSync(dir)).toEqual(['k.tgz']);
  });

  it('a checksum mismatch leaves the old file and no temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-g-'));
    writeFileSync(join(dir, 'k.tgz'), 'old');
    const r = await download(join(dir, 'k.tgz'), 'b'.repeat(64));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/checksum mismatch/);
    expect(readFileSync(join(dir, 'k.tgz'), 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['k.tgz']);
  });
});
