import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

describe('the command line', () => {
  it('--version prints the version of package.json', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it.each([
    [['lab', 'bogus']],
    [['lab', 'status', 'a.yaml', 'b.yaml']],
    [['lab', 'up']],
    [['lab', 'light', 'up', 'many']],
    [['lab', 'light', 'down', '--first', '3']],
    [['up']],
    [['up', 'inventory/lab.yaml', '--forks', '0']],
  ])('usage errors exit 5, under lab too: %j', async (args) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(5);
  });
});
