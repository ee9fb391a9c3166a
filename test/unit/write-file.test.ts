import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWriteCommand } from '../../src/engine/write-file.js';

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
    expect(readFileSync(join(dir, backups[0]), 'utf8')).toBe('old');
  });
});
