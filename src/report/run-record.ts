import { z } from 'zod';

/**
 * The run record: what one run (up, plan or apply) did or would do, per host and task. Reports
 * (HTML, Markdown) are drawn from it alone, so any command that can hand one over gets them; CI
 * tools read it through the JSON Schema published in docs/run-record.schema.json.
 * Bump RUN_RECORD_VERSION on any change a reader could trip over (a field removed, renamed or
 * changing meaning); adding an optional field does not need it.
 */
export const RUN_RECORD_FORMAT = 'provision-run-record';
export const RUN_RECORD_VERSION = 1;

const count = z.number().int().nonnegative();

export const taskStatusSchema = z.enum(['ok', 'changed', 'skipped', 'failed', 'unreachable']);

export const hostStatsSchema = z
  .object({
    ok: count,
    changed: count,
    failed: count,
    unreachable: count,
    skipped: count,
    rescued: count.optional().describe('tasks that failed inside a block whose rescue then ran'),
  })
  .describe("a host's counts, as the PLAY RECAP prints them");

export const fileDiffSchema = z.object({
  path: z.string(),
  diff: z.string().describe('unified diff (diff -u layout), secrets masked; a summary line for binary or very large content'),
});

export const taskRecordSchema = z.object({
  play: z.string(),
  task: z.string(),
  handler: z.boolean(),
  status: taskStatusSchema.describe('in check mode, changed means "would change"'),
  msg: z.string().optional(),
  changes: z.array(z.string()).optional().describe('what the task changed (or would change), one line each'),
  diffs: z.array(fileDiffSchema).optional(),
  durationMs: z.number().nonnegative(),
  startMs: z.number().nonnegative().optional().describe('when the task started, in ms after the run started; absent when not recorded'),
  roundTrips: count.optional().describe('remote calls the task made'),
  attempts: count.optional(),
  timedOut: z.boolean().optional(),
  delegatedTo: z.string().optional(),
});

export const hostRecordSchema = z.object({
  name: z.string(),
  stats: hostStatsSchema,
  tasks: z.array(taskRecordSchema).describe('in the order they ran on this host'),
});

export const runRecordSchema = z
  .object({
    format: z.literal(RUN_RECORD_FORMAT),
    version: z.literal(RUN_RECORD_VERSION),
    kind: z.enum(['up', 'plan', 'apply']).describe('the command that made the run'),
    check: z.boolean().describe('a dry run: nothing was changed'),
    playbook: z.string().optional(),
    inventory: z.string().optional(),
    provisionVersion: z.string().optional(),
    startedAt: z.string().optional().describe('ISO 8601 time the run started, when known'),
    durationMs: z.number().nonnegative().optional(),
    complete: z.boolean().describe('the run reached its recap (false: interrupted, or a cut-off event stream)'),
    plays: z.array(z.object({ name: z.string(), hosts: z.array(z.string()) })),
    hosts: z.array(hostRecordSchema).describe('every host of the run, in recap order'),
    warnings: z.array(z.object({ msg: z.string(), host: z.string().optional() })),
    interrupted: z
      .array(z.object({ host: z.string(), task: z.string() }))
      .optional()
      .describe('tasks running when Ctrl-C stopped the run'),
  })
  .describe('provision run record: what a run did (or, in check mode, would do) on each host');

export type RunRecord = z.infer<typeof runRecordSchema>;
export type HostRecord = z.infer<typeof hostRecordSchema>;
export type TaskRecord = z.infer<typeof taskRecordSchema>;
export type RecordedDiff = z.infer<typeof fileDiffSchema>;

/** The published JSON Schema of the run record (docs/run-record.schema.json holds this). */
export function runRecordJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(runRecordSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
