import { describe, expect, it } from 'vitest';
import { ttyReporter } from '../../src/report/tty.js';

describe('terminal reporter', () => {
  it('draws a row per host and prints changes, diffs and failures after the play, then the recap', async () => {
    const lines: string[] = [];
    const r = ttyReporter((l) => lines.push(l), { verbose: false, diff: true });
    const base = { play: 'p', handler: false, check: false, durationMs: 5, roundTrips: 1 };
    r.handle({ event: 'run_start', check: false, playbook: 'pb', inventory: 'inv' });
    r.handle({ event: 'play_start', play: 'p', hosts: ['h1', 'h2'] });
    r.handle({ event: 'task_start', play: 'p', task: 'build', host: 'h1', handler: false });
    r.handle({ event: 'task_output', task: 'build', host: 'h1', line: 'CC main.o' });
    r.handle({ ...base, event: 'task_result', task: 'build', host: 'h1', status: 'ok' });
    r.handle({
      ...base,
      event: 'task_result',
      task: 'conf',
      host: 'h1',
      status: 'changed',
      changes: ['update /etc/c'],
      diffs: [{ path: '/etc/c', before: 'a\n', after: 'b\n' }],
    });
    r.handle({ ...base, event: 'task_result', task: 'conf', host: 'h2', status: 'failed', msg: 'boom' });
    r.handle({ event: 'host_done', play: 'p', host: 'h1' });
    r.handle({ event: 'host_done', play: 'p', host: 'h2' });
    r.handle({
      event: 'recap',
      hosts: {
        h1: { ok: 1, changed: 1, failed: 0, unreachable: 0, skipped: 0 },
        h2: { ok: 0, changed: 0, failed: 1, unreachable: 0, skipped: 0 },
      },
      durationMs: 10,
      retryFile: 'pb.retry',
    });
    await r.flush();
    const text = lines.join('\n');
    expect(text).toContain('PLAY [p]');
    expect(text).toContain('changed: [h1] conf (5ms)');
    expect(text).toContain('-a\n+b');
    expect(text).toContain('failed: [h2] conf (5ms)\n    boom');
    expect(text).toMatch(/PLAY RECAP \*+\nh1 +: ok=1 +changed=1/);
    expect(text).toContain('--limit @pb.retry');
    expect(text.indexOf('changed: [h1] conf')).toBeLessThan(text.indexOf('PLAY RECAP'));
  });
});
