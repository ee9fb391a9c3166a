import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLock } from '../../../src/lab/lab-lock.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the lab lock', () => {
  it('lets one holder in at a time, in turn, and frees the lock when the holder throws', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'prov-lock-')), 'lab.lock');
    const spans: [string, number, number][] = [];
    const hold = (name: string) =>
      withLock(file, async () => {
        const start = Date.now();
        await pause(150);
        spans.push([name, start, Date.now()]);
        if (name === 'b') throw new Error('b fails while holding the lock');
      });
    const results = await Promise.allSettled([hold('a'), hold('b'), hold('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(spans).toHaveLength(3);
    const sorted = [...spans].sort((x, y) => x[1] - y[1]);
    for (const [i, [entered, at]] of sorted.entries()) {
      const before = sorted[i - 1];
      if (before) expect(at, `${entered} entered while ${before[0]} held it`).toBeGreaterThanOrEqual(before[2]);
    }
  });
});
