import type { Inventory } from '../config/inventory.js';
import type { Playbook } from '../config/playbook.js';
import { attributeInputsToHosts, inputFilesRead } from '../core/input-files.js';
import { Runner, type RunOptions } from '../engine/runner.js';
import { ExitCode } from '../errors.js';
import type { Reporter } from '../report/plain.js';
import { writePlan } from './plan-file.js';
import { ensurePlanKey, PlanDigest } from './plan-key.js';
import { PlanRecorder } from './recorder.js';
import { extraVarsDigest } from './run-inputs.js';
import { PLAN_FORMAT, PLAN_VERSION, type SavedPlan } from './schema.js';

export interface PlanInput {
  inv: Inventory;
  pb: Playbook;
  /** The run's options; plan sets check, diff and its hooks itself. */
  options: Omit<RunOptions, 'check' | 'diff' | 'planHooks' | 'ansibleCheckMode' | 'sink'>;
  /** What the run is made of; the -e values as given (the plan keeps them masked, with their hash). */
  run: Omit<SavedPlan['run'], 'extraVarsSha256' | 'extraVarsHmac'>;
  version: string;
  reporter: Reporter;
  out: string;
  /** Where the closing summary goes (not with --json: stdout is events only). */
  write?: (line: string) => void;
}

/** `provision plan`: a check run recorded as a plan file. Exit 0 when nothing would change, 6 when changes are pending. */
export async function makePlan(i: PlanInput): Promise<number> {
  const digest = new PlanDigest(() => ensurePlanKey());
  const recorder = new PlanRecorder(i.pb.dir, digest);
  const runner = new Runner(i.inv, i.pb, {
    ...i.options,
    check: true,
    diff: true,
    planHooks: recorder,
    // A plan predicts an apply, and an apply is no check run: templates see what they will see then.
    ansibleCheckMode: false,
    sink: (e) => {
      recorder.event(e);
      i.reporter.handle(e);
    },
  });
  attributeInputsToHosts(true);
  let summary: Awaited<ReturnType<Runner['run']>>;
  try {
    summary = await runner.run();
  } finally {
    attributeInputsToHosts(false);
  }
  await i.reporter.flush();
  const pending = recorder.tasks.some((t) => t.pending);
  const plan: SavedPlan = {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    createdAt: new Date().toISOString(),
    provision: i.version,
    run: { ...i.run, ...extraVarsDigest(i.run.extraVars, digest) },
    inputs: [...inputFilesRead()]
      .map(([path, f]) => ({ path, sha256: f.sha256, ...(f.hosts && { hosts: [...f.hosts].sort() }) }))
      .sort((a, b) => a.path.localeCompare(b.path)),
    hosts: await recorder.fingerprints(),
    tasks: recorder.tasks,
    recap: summary.hosts,
    pending,
  };
  const key = digest.usedKey();
  if (key) plan.secretKey = { algorithm: 'hmac-sha256', id: key.id };
  writePlan(i.out, plan);
  const entries = plan.tasks.filter((t) => t.pending);
  const atApply = entries.filter((t) => t.decisions.some((d) => d.decidedAt === 'apply')).length;
  i.write?.(
    `\nPLAN: ${entries.length} task(s) would change ${new Set(entries.map((t) => t.host)).size} host(s)` +
      `${atApply ? ` (${atApply} decided only at apply)` : ''}; written to ${i.out}${pending ? `: review it, then provision apply ${i.out}` : ''}`,
  );
  if (summary.exitCode !== ExitCode.ok && summary.exitCode !== ExitCode.changesPending) return summary.exitCode;
  return pending ? ExitCode.changesPending : ExitCode.ok;
}
