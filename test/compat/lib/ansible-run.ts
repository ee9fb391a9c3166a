import { runIn, type ToolRun } from './provision-run.js';
import { LAB_KNOWN_HOSTS, type RunDir } from './run-dir.js';
import { taskName } from './task-name.js';
import type { Status, TaskRow } from './types.js';

/** The reference: Debian's ansible-playbook, its results as JSON (the ansible.posix.json callback). */
export function runAnsible({ dir, inventory, env: own }: RunDir, args: string[]): Promise<ToolRun> {
  const env = {
    ...process.env,
    ...own,
    ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.json',
    ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_PIPELINING: '1',
    ANSIBLE_HOST_KEY_CHECKING: '1',
    ANSIBLE_SSH_ARGS: `-o UserKnownHostsFile=${LAB_KNOWN_HOSTS} -o ControlMaster=auto -o ControlPersist=60s -o ConnectTimeout=10`,
  };
  const given = inventory === undefined ? [] : ['-i', inventory];
  return runIn(dir, 'ansible-playbook', [...given, 'site.yml', ...args], env);
}

type Result = Record<string, unknown>;

function statusOf(r: Result): Status {
  if (r.unreachable) return 'unreachable';
  if (r.failed) return 'failed';
  if (r.skipped) return 'skipped';
  return r.changed ? 'changed' : 'ok';
}

const PLUMBING = new Set(['action', 'changed', 'failed', 'skipped', 'msg', 'skip_reason', 'invocation', 'item', 'ansible_loop_var']);

/** What a debug task printed, in the form provision's debug prints it (`var = value` for a var). */
function printed(r: Result): string | undefined {
  if (r.action !== 'debug' && r.action !== 'ansible.builtin.debug') return undefined;
  if (r.skipped) return undefined;
  // A loop printed once per item; provision's result carries the items' lines joined.
  if (Array.isArray(r.results)) {
    const lines = (r.results as Result[]).map((i) => printed({ ...i, action: r.action })).filter((l) => l !== undefined);
    return lines.length ? lines.join('\n') : undefined;
  }
  if ('msg' in r) return typeof r.msg === 'string' ? r.msg : JSON.stringify(r.msg);
  const key = Object.keys(r).find((k) => !k.startsWith('_') && !PLUMBING.has(k));
  if (key === undefined) return undefined;
  const v = r[key];
  return `${key} = ${typeof v === 'string' ? v : JSON.stringify(v)}`;
}

interface JsonReport {
  plays: { tasks: { task: { name: string }; hosts: Record<string, Result> }[] }[];
}

/** The callback's report as rows: per task and host in the order Ansible ran them. */
export function ansibleRows(stdout: string): TaskRow[] {
  const start = stdout.indexOf('{');
  if (start < 0) return [];
  const report = JSON.parse(stdout.slice(start)) as JsonReport;
  return report.plays.flatMap((p) =>
    p.tasks.flatMap((t) =>
      Object.entries(t.hosts).map(([host, r]) => {
        const row: TaskRow = { task: taskName(t.task.name), host, status: statusOf(r) };
        if (Array.isArray(r.results)) row.items = (r.results as Result[]).map(statusOf);
        const p = printed(r);
        if (p !== undefined) row.printed = p;
        return row;
      }),
    ),
  );
}
