import type { RunEvent } from '../core/events.js';
import { formatInterrupted, formatResult, formatRetry, formatRunEnd, safe } from './format.js';

export interface Reporter {
  handle(e: RunEvent): void;
  /** Resolves once everything handled so far is written. */
  flush(): Promise<void>;
}

const written = () => Promise.resolve();

/** Lines as they happen, for CI logs and pipes. */
export function plainReporter(write: (line: string) => void, opts: { verbose: boolean; diff: boolean }): Reporter {
  return {
    handle(e) {
      switch (e.event) {
        case 'run_start':
          if (e.check) write('CHECK MODE: nothing will be changed');
          break;
        case 'play_start':
          write(`\nPLAY [${e.play}] ${'*'.repeat(Math.max(3, 60 - e.play.length))}`);
          break;
        case 'task_output':
          if (opts.verbose) write(safe(`    [${e.host}] ${e.line}`));
          break;
        case 'task_result':
          formatResult(e, opts).forEach(write);
          break;
        case 'task_retry':
          formatRetry(e, opts).forEach(write);
          break;
        case 'warning':
          write(safe(`[WARNING]${e.host ? ` [${e.host}]` : ''}: ${e.msg}`));
          break;
        case 'interrupted':
          write(`\n${formatInterrupted(e)}`);
          break;
        case 'recap':
          formatRunEnd(e).forEach(write);
          break;
        default:
          break;
      }
    },
    flush: written,
  };
}

/**
 * One JSON object per line; the last is the recap. `at` (ms after the run started) lets a saved
 * stream show when each task ran and how long the run took (`provision report` draws them).
 */
export function jsonReporter(write: (line: string) => void, now: () => number = Date.now): Reporter {
  const t0 = now();
  return {
    handle(e) {
      // The recap line stays as it was (readers compare it whole); the events before it carry the times.
      if (e.event === 'recap') {
        write(safe(JSON.stringify({ event: 'recap', hosts: e.hosts })));
        return;
      }
      write(safe(JSON.stringify({ ...e, at: now() - t0 })));
    },
    flush: written,
  };
}
