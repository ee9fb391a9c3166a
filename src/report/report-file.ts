import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { inputError, ProvisionError } from '../errors.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { Reporter } from './plain.js';
import { buildRunRecord, type RecordMeta, type TimedEvent } from './record-builder.js';
import { RUN_RECORD_FORMAT, type RunRecord, runRecordSchema } from './run-record.js';

export type ReportFormat = 'html' | 'md' | 'json';

const FORMATS: Record<string, ReportFormat> = { '.html': 'html', '.htm': 'html', '.md': 'md', '.markdown': 'md', '.json': 'json' };

/** The format a report file's name asks for; checked before a run starts, so a typo costs no run. */
export function reportFormat(file: string, flag = '--report'): ReportFormat {
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format)
    throw new ProvisionError('usage', `${flag} ${file}: the file name must end in .html, .md or .json`, {
      hint: 'run.html for a page to open, run.md for a merge-request comment, run.json for the run record',
    });
  return format;
}

export function renderReport(record: RunRecord, format: ReportFormat): string {
  if (format === 'html') return renderHtml(record);
  if (format === 'md') return renderMarkdown(record);
  return `${JSON.stringify(record, null, 2)}\n`;
}

export function writeReport(file: string, record: RunRecord): void {
  const text = renderReport(record, reportFormat(file));
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new ProvisionError('usage', `cannot write the report ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      cause: e,
    });
  }
}

/** The run record a page embeds (renderHtml puts it there), so a saved page can be drawn again. */
const EMBEDDED = /<script type="application\/json" id="run-record">([\s\S]*?)<\/script>/;

/**
 * Passes every event on to `inner` and keeps what a report needs, stamped with its time; at flush
 * the report is written. Progress lines (task_output) are not kept: a compile prints thousands.
 */
export function reportingReporter(inner: Reporter, file: string, meta: RecordMeta, now: () => number = Date.now): Reporter {
  const t0 = now();
  const startedAt = new Date(t0).toISOString();
  const events: TimedEvent[] = [];
  return {
    handle(e) {
      inner.handle(e);
      if (e.event !== 'task_output' && e.event !== 'task_start') events.push({ ...e, at: now() - t0 });
    },
    async flush() {
      await inner.flush();
      writeReport(file, buildRunRecord(events, { startedAt, ...meta }));
    },
  };
}

// Only what the record builder reads is checked: a stream from another provision version still renders.
const eventLine = z.looseObject({ event: z.string() });
const resultLine = z.looseObject({
  play: z.string(),
  task: z.string(),
  host: z.string(),
  handler: z.boolean(),
  status: z.enum(['ok', 'changed', 'skipped', 'failed', 'unreachable']),
  durationMs: z.number(),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not one JSON document: an event stream, read line by line below.
    return undefined;
  }
}

/** A saved run: a run record (.json from --report, or the one an HTML report embeds), or the event stream of `--json` (one event per line). */
export function readRunRecord(file: string, meta: RecordMeta): RunRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProvisionError('usage', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  const whole = parseJson(EMBEDDED.exec(text)?.[1] ?? text);
  if (whole && typeof whole === 'object' && (whole as { format?: unknown }).format === RUN_RECORD_FORMAT) {
    const parsed = runRecordSchema.safeParse(whole);
    if (!parsed.success)
      throw inputError(`${file} is not a run record this provision reads: ${z.prettifyError(parsed.error)}`, { file, line: 1, col: 1 });
    return parsed.data;
  }
  const events: TimedEvent[] = [];
  text.split('\n').forEach((line, i) => {
    // Lines that are not JSON (a warning on stderr sent to the same file) are not events.
    if (!line.startsWith('{')) return;
    const loc = { file, line: i + 1, col: 1 };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw inputError('not a JSON event (a --json stream has one per line)', loc);
    }
    const e = eventLine.safeParse(value);
    if (!e.success) throw inputError('not a provision event: it has no "event"', loc);
    if (e.data.event === 'task_result' && !resultLine.safeParse(value).success)
      throw inputError('a task_result without play, task, host, handler, status and durationMs', loc);
    events.push(value as TimedEvent);
  });
  if (!events.length)
    throw inputError(
      `${file} holds no provision events`,
      { file, line: 1, col: 1 },
      'give the output of provision up --json, or a run record (.json) written by --report',
    );
  return buildRunRecord(events, meta);
}
