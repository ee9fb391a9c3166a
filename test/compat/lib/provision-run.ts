import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { jsonEvents } from '../../e2e/helpers.js';
import type { RunDir } from './run-dir.js';
import { taskName } from './task-name.js';
import type { Status, TaskRow } from './types.js';

const CLI = join(new URL('../../..', import.meta.url).pathname, 'bin/provision.js');

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command in the case's directory (as a user runs a tool in their project); never rejects. */
export function runIn(dir: string, file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: dir, env, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      const code = err ? Number((err as NodeJS.ErrnoException & { code?: unknown }).code) : 0;
      resolve({ code: Number.isInteger(code) ? code : 1, stdout, stderr });
    });
  });
}

/** The tool under test, as users run it: the built CLI, NDJSON events. */
export function runProvision({ dir, inventory, env }: RunDir, args: string[]): Promise<ToolRun> {
  // Without an inventory, `up PLAYBOOK` takes the one ansible.cfg names, as ansible-playbook does.
  const given = inventory === undefined ? ['site.yml'] : [inventory, '--playbook', 'site.yml'];
  return runIn(dir, process.execPath, [CLI, 'up', ...given, '--json', ...args], { ...process.env, ...env });
}

/** Its task results as rows; a task's msg is kept as what it printed (compared only where Ansible's debug printed). */
export function provisionRows(stdout: string): TaskRow[] {
  return jsonEvents(stdout)
    .filter((e) => e.event === 'task_result')
    .map((e) => {
      const row: TaskRow = { task: taskName(String(e.task)), host: String(e.host), status: e.status as Status };
      if (typeof e.msg === 'string') row.printed = e.msg;
      if (e.decidedAtApply === true) row.decided = true;
      if (Array.isArray(e.items)) row.items = (e.items as { status: Status }[]).map((i) => i.status);
      return row;
    });
}
