import { type DefaultRenderer, Listr, type ListrTaskWrapper, PRESET_TIMER, type SimpleRenderer } from 'listr2';
import type { HostStats, RunEvent } from '../core/events.js';
import { emptyStats } from '../core/events.js';
import { formatInterrupted, formatResult, formatRetry, formatRunEnd, safe } from './format.js';
import type { Reporter } from './plain.js';

type Wrapper = ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof SimpleRenderer>;

interface HostRow {
  wrapper?: Wrapper;
  stats: HostStats;
  current?: string;
  done: () => void;
  finished: Promise<void>;
  failed: boolean;
}

/**
 * A live task list on a terminal: one row per host with its current task, a timer, and the last
 * line of a long command; results worth reading (changes, diffs, failures) print after each play.
 */
export function ttyReporter(write: (line: string) => void, opts: { verbose: boolean; diff: boolean }): Reporter {
  const rows = new Map<string, HostRow>();
  const details: string[] = [];
  let current: Promise<unknown> = Promise.resolve();

  const title = (host: string, r: HostRow) =>
    safe(
      `${host}  ok=${r.stats.ok} changed=${r.stats.changed}${r.stats.failed ? ` failed=${r.stats.failed}` : ''}${r.current ? `  ▸ ${r.current}` : ''}`,
    );

  const endPlay = () => {
    for (const r of rows.values()) r.done();
  };

  return {
    handle(e: RunEvent) {
      switch (e.event) {
        case 'play_start': {
          endPlay();
          const previous = current;
          const playRows = new Map<string, HostRow>();
          for (const host of e.hosts) {
            let done!: () => void;
            const finished = new Promise<void>((resolve) => (done = resolve));
            const row: HostRow = { stats: rows.get(host)?.stats ?? emptyStats(), done, finished, failed: false };
            playRows.set(host, row);
            rows.set(host, row);
          }
          const list = new Listr<unknown, 'default', 'simple'>(
            [...playRows].map(([host, row]) => ({
              title: host,
              task: async (_ctx: unknown, wrapper: Wrapper) => {
                row.wrapper = wrapper;
                wrapper.title = title(host, row);
                await row.finished;
                row.current = undefined;
                wrapper.title = title(host, row);
                if (row.failed) throw new Error(`${host} failed`);
              },
            })),
            {
              concurrent: true,
              exitOnError: false,
              rendererOptions: { timer: PRESET_TIMER, collapseErrors: true, showErrorMessage: false },
            },
          );
          current = previous.then(() => {
            write(`PLAY [${e.play}]`);
            return list.run().catch(() => undefined);
          });
          break;
        }
        case 'host_done':
          rows.get(e.host)?.done();
          break;
        case 'task_start': {
          const r = rows.get(e.host);
          if (r?.wrapper) {
            r.current = e.task;
            r.wrapper.title = title(e.host, r);
          }
          break;
        }
        case 'task_output': {
          const w = rows.get(e.host)?.wrapper;
          if (w) w.output = safe(e.line.slice(0, 200));
          break;
        }
        case 'task_retry': {
          const lines = formatRetry(e, opts);
          const w = rows.get(e.host)?.wrapper;
          if (w) w.output = lines[0] ?? '';
          details.push(...lines);
          break;
        }
        case 'task_result': {
          const r = rows.get(e.host);
          if (r) {
            r.stats[e.status]++;
            if (e.status === 'failed' || e.status === 'unreachable') r.failed = true;
            if (r.wrapper) r.wrapper.title = title(e.host, r);
            if (e.status === 'unreachable' && e.task === 'connect') r.done();
          }
          if (e.status !== 'ok' && e.status !== 'skipped') details.push(...formatResult(e, opts));
          else if (opts.verbose) details.push(...formatResult(e, opts));
          break;
        }
        case 'warning':
          details.push(safe(`[WARNING]: ${e.msg}`));
          break;
        case 'interrupted':
          endPlay();
          details.push(formatInterrupted(e));
          break;
        case 'recap':
          endPlay();
          current = current.then(() => {
            [...details, ...formatRunEnd(e)].forEach(write);
          });
          break;
        default:
          break;
      }
    },
    flush: () => current.then(() => undefined),
  };
}
