import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../src/errors.js';
import { runCli } from './helpers.js';

const dir = join(__dirname, '..', 'fixtures');
const goodInventory = join(dir, 'good', 'inventory.yaml');
const goodPlaybook = join(dir, 'good', 'playbook.yaml');

// Every good inventory host points here: a connection would be counted.
let connections = 0;
let server: Server;
beforeAll(async () => {
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(47922, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const cases = readdirSync(join(dir, 'bad')).map((f) => {
  const text = readFileSync(join(dir, 'bad', f), 'utf8');
  const expected = must(/^# expect: (.*)$/m.exec(text)?.[1], `the # expect: line of ${f}`);
  const at = must(/^# at: (\d+:\d+)$/m.exec(text)?.[1], `the # at: line of ${f}`);
  const hint = /^# hint: (.*)$/m.exec(text)?.[1];
  return { f, expected, at, hint };
});

describe('bad input corpus', () => {
  it.each(cases)('$f: exit 4, file:line:col, a hint, no connection', async ({ f, expected, at, hint }) => {
    const file = join(dir, 'bad', f);
    const args = f.startsWith('inv-') ? ['up', file, '--playbook', goodPlaybook] : ['up', goodInventory, '--playbook', file];
    const before = connections;
    const r = await runCli(args);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).toContain(`${file}:${at}`);
    expect(r.stderr).toMatch(/hint: \S/);
    if (hint) expect(r.stderr).toContain(`hint: ${hint}`);
    expect(r.code).toBe(4);
    expect(connections).toBe(before);
  });

  it('a bad command line exits 5', async () => {
    expect((await runCli(['up'])).code).toBe(5);
    expect((await runCli(['up', goodInventory, '--forks', 'many'])).code).toBe(5);
    expect((await runCli(['frobnicate'])).code).toBe(5);
  });
});
