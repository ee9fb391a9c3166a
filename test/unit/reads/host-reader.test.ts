import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ask, defineRead, type ReadOutput } from '../../../src/core/reads.js';
import { createHostReader, ReadCache } from '../../../src/engine/host-reader.js';
import { batchCommand, splitBatch } from '../../../src/reads/batch.js';
import { pathExists } from '../../../src/reads/path-exists.js';

/** The controller's own shell stands in for the host: each call is one round trip. */
function localShell() {
  const sent: string[] = [];
  const exec = async (command: string): Promise<ReadOutput> => {
    sent.push(command);
    const r = spawnSync('sh', ['-c', command]);
    return { exitCode: r.status ?? 255, stdoutBytes: r.stdout, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  };
  return { exec, sent };
}

const echo = defineRead({
  name: 'echo_test',
  command: ({ text, code }: { text: string; code: number }) => `printf '%s' '${text}'; echo "err ${text}" >&2; exit ${code}`,
  parse: (o) => ({ out: o.stdout, code: o.exitCode, err: o.stderr }),
});

describe('batched reads', () => {
  it('frames several commands into one and cuts the output back, binary and unterminated output included', () => {
    const marker = '__m_0123__';
    const { exec } = localShell();
    const commands = ["printf 'a'", 'exit 3', "printf 'x\\000y\\n' ; echo oops >&2"].map((command) => ({ command, inline: false }));
    return exec(batchCommand(commands, marker)).then((r) => {
      const parts = splitBatch(r, marker, 3);
      expect(parts.map((p) => [p.stdout, p.exitCode, p.stderr])).toEqual([
        ['a', 0, ''],
        ['', 3, ''],
        ['x\0y\n', 0, 'oops\n'],
      ]);
    });
  });

  it('runs an inline read in the shell itself and any other in a subshell', async () => {
    const marker = '__m_0123__';
    const { exec } = localShell();
    // A child's parent is the shell itself only when no subshell stands between them.
    const parentIsShell = `sh -c 'echo $PPID' | { read p; [ "$p" = $$ ] && echo shell || echo subshell; }`;
    const r = await exec(
      batchCommand(
        [
          { command: parentIsShell, inline: true },
          { command: parentIsShell, inline: false },
        ],
        marker,
      ),
    );
    expect(splitBatch(r, marker, 2).map((p) => p.stdout)).toEqual(['shell\n', 'subshell\n']);
  });

  it('a batch that ends early is an error, not a short answer', () => {
    const out = Buffer.from('a\n__m__ 0\n');
    expect(() => splitBatch({ exitCode: 1, stdoutBytes: out, stdout: out.toString(), stderr: '\n__m__\nkilled' }, '__m__', 2)).toThrow(
      /ended after 1 of 2.*killed/,
    );
  });

  it('getAll and same-tick gets cost one round trip; a single read is sent as it is', async () => {
    const host = localShell();
    const reader = createHostReader(host.exec, new ReadCache(), '');
    const [a, b] = await reader.getAll([ask(echo, { text: 'one', code: 0 }), ask(echo, { text: 'two', code: 4 })]);
    expect(a).toEqual({ out: 'one', code: 0, err: 'err one\n' });
    expect(b).toEqual({ out: 'two', code: 4, err: 'err two\n' });
    const [c, d] = await Promise.all([reader.get(pathExists, { path: '/' }), reader.get(pathExists, { path: '/no/such/path' })]);
    expect([c, d]).toEqual([true, false]);
    expect(host.sent).toHaveLength(2);
    await reader.get(pathExists, { path: '/tmp' });
    expect(host.sent[2]).toBe(pathExists.command({ path: '/tmp' }));
  });

  it('answers a repeated read from the cache until a change is applied on the host', async () => {
    const host = localShell();
    const cache = new ReadCache();
    const reader = createHostReader(host.exec, cache, '');
    await reader.get(pathExists, { path: '/' });
    expect(await reader.get(pathExists, { path: '/' })).toBe(true);
    // A later task's reader on the same host shares the cache.
    await createHostReader(host.exec, cache, '').get(pathExists, { path: '/' });
    expect(host.sent).toHaveLength(1);
    cache.clear();
    await reader.get(pathExists, { path: '/' });
    expect(host.sent).toHaveLength(2);
    // Another become user reads for itself.
    await createHostReader(host.exec, cache, 'postgres').get(pathExists, { path: '/' });
    expect(host.sent).toHaveLength(3);
  });

  it('never caches a volatile read or a failed one', async () => {
    const host = localShell();
    const cache = new ReadCache();
    const reader = createHostReader(host.exec, cache, '');
    const clock = defineRead({
      name: 'clock_test',
      volatile: true,
      command: (_: Record<string, never>) => 'date +%N',
      parse: (o) => o.stdout,
    });
    await reader.get(clock, {});
    await reader.get(clock, {});
    expect(host.sent).toHaveLength(2);
    const picky = defineRead({
      name: 'picky_test',
      command: (_: Record<string, never>) => 'true',
      parse: (): boolean => {
        throw new Error('cannot parse');
      },
    });
    await expect(reader.get(picky, {})).rejects.toThrow('cannot parse');
    await expect(reader.get(picky, {})).rejects.toThrow('cannot parse');
    expect(host.sent).toHaveLength(4);
  });

  it('a lost connection fails every read of the batch', async () => {
    const reader = createHostReader(() => Promise.reject(new Error('connection lost')), new ReadCache(), '');
    await expect(reader.getAll([ask(pathExists, { path: '/a' }), ask(pathExists, { path: '/b' })])).rejects.toThrow('connection lost');
  });
});
