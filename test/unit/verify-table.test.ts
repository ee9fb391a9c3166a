import { describe, expect, it } from 'vitest';
import type { StepResult } from '../../src/keepalived/verify.js';
import { formatStep, stepColumns } from '../../src/keepalived/verify-table.js';

const step = (o: Partial<StepResult>): StepResult => ({
  step: 'stop keepalived on m',
  expected: 'b0',
  actual: 'b0',
  ms: 812,
  ok: true,
  ...o,
});
const columns = stepColumns(['m', 'b0', 'b1']);
const startOf = (lines: string[], word: string) => lines.filter((l) => l.includes(word)).map((l) => l.indexOf(word));

describe("verify's step table", () => {
  it('keeps its columns when a value is longer than its column', () => {
    const rows = [
      step({}),
      step({ expected: 'nginx active, VIP on a-host-with-a-very-long-name.example', actual: 'nginx inactive, VIP on nobody' }),
      step({ step: `stop nginx on m: the health script restarts it${' and more'.repeat(5)}`, ok: false, actual: 'm,b0,b1' }),
      step({ ms: 0, actual: '-', ok: false, detail: 'm: systemctl stop keepalived failed: Unit not found' }),
    ];
    const lines = rows.flatMap((r) => formatStep(r, columns).split('\n'));
    for (const word of ['expected ', 'actual ']) expect(new Set(startOf(lines, word)).size, `${word}column\n${lines.join('\n')}`).toBe(1);
    const ms = lines.filter((l) => / \d+ ms$/.test(l)).map((l) => l.search(/\d+ ms$/));
    expect(new Set(ms).size, lines.join('\n')).toBe(1);
    // every value is printed whole
    expect(lines.join('\n')).toContain('a-host-with-a-very-long-name.example');
  });

  it('prints a short row on one line, as before', () => {
    const line = formatStep(step({}), columns);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^PASS +stop keepalived on m +expected b0 +actual b0 +812 ms$/);
  });

  it('makes the value columns wide enough for the cluster host names', () => {
    const wide = stepColumns(['a-rather-long-host-name-0']);
    const line = formatStep(
      step({ expected: 'nginx active, VIP on a-rather-long-host-name-0', actual: 'nginx active, VIP on a-rather-long-host-name-0' }),
      wide,
    );
    expect(line).not.toContain('\n');
  });
});
