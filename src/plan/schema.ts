import { z } from 'zod';

/**
 * The saved plan of `provision plan`, read by `provision apply` and by other tools (the HTML report,
 * CI): a versioned format. docs/plan.schema.json is this schema's JSON Schema (a test keeps them equal).
 */
export const PLAN_FORMAT = 'provision-plan';
export const PLAN_VERSION = 2;

const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('sha256 of the content, hex');

const hmac = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('HMAC-SHA256 of the content under the plan key (secretKey names it), in place of its sha256: the content holds a secret');

const taskStatus = z.enum(['ok', 'changed', 'skipped', 'failed', 'unreachable']);

const fileDiff = z
  .object({
    path: z.string(),
    before: z.string(),
    after: z.string(),
    summary: z.string().optional().describe('set for binary or very large content, where a line diff means nothing'),
  })
  .describe('a file change as on screen with --diff: secrets masked');

const plannedChange = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('exec'),
    description: z.string(),
    command: z.string().describe('the command as on screen: secrets masked'),
    sha256: sha256.optional().describe('sha256 of the command as it will run (unmasked): apply runs only this command'),
    hmac: hmac
      .optional()
      .describe('the same as keyed hash, in place of sha256, for a command that holds a secret (on its line or its stdin)'),
  }),
  z.object({
    kind: z.literal('write'),
    description: z.string(),
    path: z.string(),
    sha256: sha256
      .optional()
      .describe(
        'sha256 of the content to write: apply renders it again and writes only this content; absent for content fetched at apply (get_url) and for secret content (hmac)',
      ),
    hmac: hmac.optional().describe('for secret content: its keyed hash, which apply computes again from what it renders'),
    mode: z.string().optional(),
    owner: z.string().optional(),
    group: z.string().optional(),
    secret: z.boolean().describe('the content holds a secret: it is never in the plan, not even in the diff'),
  }),
  z.object({
    kind: z.literal('reboot'),
    description: z.string(),
    sha256: sha256.describe('sha256 of the reboot as asked (command, delays, test command): apply reboots only so'),
  }),
  z.object({
    kind: z.literal('controller-write'),
    description: z.string(),
    path: z.string().describe('the file on the controller (fetch)'),
    sha256: sha256.optional().describe('sha256 of the content fetched from the host at plan time'),
    hmac: hmac.optional().describe('in place of sha256 when that content holds a secret'),
  }),
]);

const decision = z.object({
  decidedAt: z
    .enum(['plan', 'apply'])
    .describe(
      'apply: the decision depends on what an earlier change makes (a command not yet run): not reviewable, decided again at apply',
    ),
  ranAtPlan: z.boolean().describe('a check_mode: false task: its commands ran at plan time too, and run again at apply'),
  neverChanges: z.boolean().describe('changed_when: false: the commands run but change nothing by the task’s own word'),
  changes: z.array(plannedChange),
});

const planTask = z
  .object({
    play: z.string(),
    task: z.string(),
    host: z.string(),
    handler: z.boolean(),
    status: taskStatus.describe('as a check run reports it: changed means would change'),
    check: z.boolean(),
    msg: z.string().optional(),
    changes: z.array(z.string()).optional().describe('descriptions of the changes, as on screen'),
    diffs: z.array(fileDiff).optional(),
    durationMs: z.number(),
    roundTrips: z.number(),
    attempts: z.number().optional(),
    retries: z.number().optional(),
    timedOut: z.boolean().optional(),
    delegatedTo: z.string().optional(),
    decidedAtApply: z.boolean().optional().describe('the check run did not decide the task: it reads a value only apply knows'),
    location: z.string().optional().describe('file:line:col of the task, relative to the playbook’s folder'),
    pending: z.boolean().describe('this entry changes the host when applied'),
    decisions: z.array(decision).describe('one per item of a loop; none for a skipped task or an include'),
  })
  .describe('one task on one host: the fields of a task_result event (src/core/events.ts) and what was decided');

const fingerprint = z.object({
  scope: z.string().describe('the become user the read ran as ("" without become)'),
  read: z.string().describe('the read’s name (src/reads)'),
  args: z.record(z.string(), z.json()),
  sha256: sha256.optional().describe('sha256 of the state part of the value read'),
  hmac: hmac.optional().describe('in place of sha256 when the value holds a secret, or a decision that used it writes or runs one'),
  task: z.string().describe('the first task whose decision used this read'),
});

const hostStats = z.object({
  ok: z.number(),
  changed: z.number(),
  failed: z.number(),
  unreachable: z.number(),
  skipped: z.number(),
  rescued: z.number().optional(),
});

export const planSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  version: z.literal(PLAN_VERSION),
  createdAt: z.string(),
  provision: z.string().describe('the version of provision that made the plan; apply refuses another'),
  run: z
    .object({
      inventory: z.array(z.string()),
      playbook: z.string(),
      limit: z.string().optional(),
      tags: z.array(z.string()).optional(),
      skipTags: z.array(z.string()).optional(),
      extraVars: z.array(z.string()).describe('-e as given, secrets masked (apply then needs them again with -e)'),
      extraVarsSha256: sha256.optional().describe('of the -e values as given, unmasked'),
      extraVarsHmac: hmac.optional().describe('in place of extraVarsSha256 when an -e value holds a secret'),
      forks: z.number(),
      taskTimeout: z.number().optional(),
      forceHandlers: z.boolean().optional(),
    })
    .describe('what the plan was made from: apply runs the same'),
  inputs: z
    .array(
      z.object({
        path: z.string(),
        sha256,
        hosts: z
          .array(z.string())
          .optional()
          .describe('the hosts whose tasks read it (a template, a lookup, an include): a change refuses only them; absent: every host'),
      }),
    )
    .describe('every controller file the run read, by content hash'),
  secretKey: z
    .object({
      algorithm: z.literal('hmac-sha256'),
      id: z.string().describe('names the key (an HMAC of a fixed text under it): apply must hold the same one'),
    })
    .optional()
    .describe(
      'the key secret content is hashed with (the controller’s plan key, never in the plan); absent when nothing secret was hashed',
    ),
  hosts: z.record(z.string(), z.object({ reads: z.array(fingerprint) })).describe('per host, every read a decision depended on'),
  tasks: z.array(planTask),
  recap: z.record(z.string(), hostStats),
  pending: z.boolean().describe('some host would change: plan exits 6'),
});

export type SavedPlan = z.infer<typeof planSchema>;
export type PlanTask = z.infer<typeof planTask>;
export type PlannedChange = z.infer<typeof plannedChange>;
export type PlannedDecision = z.infer<typeof decision>;
export type ReadFingerprint = z.infer<typeof fingerprint>;

/** The JSON Schema published in docs/plan.schema.json. */
export function planJsonSchema(): unknown {
  return z.toJSONSchema(planSchema, { target: 'draft-2020-12' });
}
