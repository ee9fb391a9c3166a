import { describe, expect, it } from 'vitest';
import type { StrategyName } from '../../src/config/strategy-keywords.js';
import { comparePositions, Rendezvous, type TaskPosition } from '../../src/engine/strategy.js';

interface Step {
  at: TaskPosition;
  ms: number;
  throttle?: number;
}

type Log = string[];

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Each host walks its steps through the rendezvous; the log says when each step started and ended. */
async function simulate(
  strategy: StrategyName,
  plans: Record<string, Step[]>,
  o: { forks?: number; leaveAfter?: Record<string, number> } = {},
): Promise<{ log: Log; peak: number; peakPerTask: Map<string, number>; steps: string[] }> {
  const hosts = Object.keys(plans);
  const steps: string[] = [];
  const rdv = new Rendezvous({
    strategy,
    hosts,
    forks: o.forks ?? hosts.length,
    onStep: (at, who) => steps.push(`${at.join('.')}:${who.join(',')}`),
  });
  const log: Log = [];
  let running = 0;
  let peak = 0;
  const perTask = new Map<string, number>();
  const peakPerTask = new Map<string, number>();
  await Promise.all(
    hosts.map(async (h) => {
      for (const [i, step] of (plans[h] ?? []).entries()) {
        await rdv.arrive(h, step.at, { throttle: step.throttle });
        const key = step.at.join('.');
        log.push(`start ${h} ${key}`);
        running++;
        perTask.set(key, (perTask.get(key) ?? 0) + 1);
        peak = Math.max(peak, running);
        peakPerTask.set(key, Math.max(peakPerTask.get(key) ?? 0, perTask.get(key) ?? 0));
        await pause(step.ms);
        running--;
        perTask.set(key, (perTask.get(key) ?? 0) - 1);
        log.push(`end ${h} ${key}`);
        if (o.leaveAfter?.[h] === i) break;
      }
      rdv.leave(h);
    }),
  );
  return { log, peak, peakPerTask, steps };
}

const flat = (...ms: number[]): Step[] => ms.map((m, i) => ({ at: [i], ms: m }));

describe('Rendezvous', () => {
  it('positions compare element by element, a prefix first', () => {
    expect(comparePositions([1], [2])).toBeLessThan(0);
    expect(comparePositions([1], [1, 0, 0])).toBeLessThan(0);
    expect(comparePositions([1, 0, 3], [2])).toBeLessThan(0);
    expect(comparePositions([-1], [0])).toBeLessThan(0);
    expect(comparePositions([2, 1], [2, 1])).toBe(0);
  });

  it('linear: every host ends task N before any host starts task N+1', async () => {
    const { log, steps } = await simulate('linear', { a: flat(1, 40, 1), b: flat(30, 1, 1), c: flat(15, 15, 15) });
    for (const n of [0, 1]) {
      const lastEnd = Math.max(...log.map((l, i) => (l.startsWith('end') && l.endsWith(` ${n}`) ? i : -1)));
      const firstNext = log.findIndex((l) => l.startsWith('start') && l.endsWith(` ${n + 1}`));
      expect(lastEnd).toBeLessThan(firstNext);
    }
    expect(steps).toEqual(['0:a,b,c', '1:a,b,c', '2:a,b,c']);
  });

  it('free: a slow host does not hold back a fast one', async () => {
    const { log } = await simulate('free', { slow: flat(300, 1), fast: flat(1, 1, 1) });
    expect(log.indexOf('end fast 2')).toBeLessThan(log.indexOf('end slow 0'));
  });

  it('linear with forks < hosts: a pool of forks slots, taken in play order, the next host starting when one ends', async () => {
    const { log, peak } = await simulate('linear', { h1: flat(200, 1), h2: flat(5, 1), h3: flat(1, 1), h4: flat(1, 1) }, { forks: 2 });
    expect(peak).toBe(2);
    expect(log.slice(0, 2)).toEqual(['start h1 0', 'start h2 0']);
    // h2 ends first, so h3 takes its slot while h1 still runs: a pool, not fixed groups of two
    expect(log.indexOf('start h3 0')).toBeLessThan(log.indexOf('end h1 0'));
    expect(log.indexOf('start h3 0')).toBeGreaterThan(log.indexOf('end h2 0'));
    expect(log.filter((l) => l.startsWith('start') && l.endsWith(' 1')).map((l) => l.split(' ')[1])).toEqual(['h1', 'h2', 'h3', 'h4']);
  });

  it('free with forks < hosts: no host waits for another to finish the whole play', async () => {
    const { log, peak } = await simulate('free', { h1: flat(5, 5, 5), h2: flat(5, 5, 5), h3: flat(5, 5, 5) }, { forks: 2 });
    expect(peak).toBe(2);
    expect(log.indexOf('start h3 0')).toBeLessThan(log.indexOf('end h1 2'));
  });

  it('throttle caps the hosts running one task, under both strategies', async () => {
    for (const s of ['linear', 'free'] as const) {
      const t = (ms: number): Step[] => [
        { at: [0], ms },
        { at: [1], ms, throttle: 1 },
        { at: [2], ms },
      ];
      const { peakPerTask } = await simulate(s, { a: t(3), b: t(3), c: t(3) });
      expect(peakPerTask.get('1')).toBe(1);
      expect(peakPerTask.get('0')).toBe(3);
    }
  });

  it('a host that leaves (failed) does not hold the others back', async () => {
    const { log } = await simulate('linear', { a: flat(1, 1, 1), b: flat(1, 1, 1) }, { leaveAfter: { a: 0 } });
    expect(log).toContain('end b 2');
    expect(log.some((l) => l.startsWith('start a 1'))).toBe(false);
  });

  it('linear: hosts at an earlier position (a rescue, handlers) run first while the others wait', async () => {
    const { log, steps } = await simulate('linear', {
      a: [
        { at: [0], ms: 1 },
        { at: [0, 1, 0], ms: 30 },
        { at: [1], ms: 1 },
      ],
      b: [
        { at: [0], ms: 1 },
        { at: [1], ms: 1 },
      ],
    });
    expect(log.indexOf('end a 0.1.0')).toBeLessThan(log.indexOf('start b 1'));
    expect(steps).toEqual(['0:a,b', '0.1.0:a', '1:a,b']);
  });

  it('abort lets waiting hosts through', async () => {
    const rdv = new Rendezvous({ strategy: 'linear', hosts: ['a', 'b'], forks: 5 });
    await Promise.all([rdv.arrive('a', [0]), rdv.arrive('b', [0])]);
    let through = false;
    const next = rdv.arrive('a', [1]).then(() => {
      through = true;
    });
    await pause(1);
    expect(through).toBe(false); // b has not arrived
    rdv.abort();
    await next;
    expect(through).toBe(true);
  });
});
