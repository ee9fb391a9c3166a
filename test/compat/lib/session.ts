import { execFileSync } from 'node:child_process';
import { ssh } from '../../e2e/helpers.js';
import { ansibleRows, runAnsible } from './ansible-run.js';
import { serveCase } from './case-http.js';
import { type CompatCase, phaseArgs } from './cases.js';
import { provisionRows, runProvision, type ToolRun } from './provision-run.js';
import { nodeNames, prepareRunDir, type RunDir } from './run-dir.js';
import { parseSnapshot, snapshotCommand } from './snapshot.js';
import { resetTwins, type TwinHost } from './twin-hosts.js';
import { type HostState, PHASES, type Phase, type Recording, type TaskRow } from './types.js';

export type Tool = 'ansible' | 'provision';

/** provision's exit code for a playbook or inventory it refuses before contacting a host. */
const LOAD_REFUSED = 4;

const TOOLS: Record<Tool, { run: (at: RunDir, args: string[]) => Promise<ToolRun>; rows: (out: string) => TaskRow[] }> = {
  ansible: { run: runAnsible, rows: ansibleRows },
  provision: { run: runProvision, rows: provisionRows },
};

export function toolVersion(tool: Tool): string {
  if (tool === 'ansible') return execFileSync('ansible-playbook', ['--version']).toString().split('\n')[0] ?? 'ansible-playbook';
  return `provision ${execFileSync(process.execPath, ['bin/provision.js', '--version']).toString().trim()}`;
}

async function snapshot(c: CompatCase, twins: TwinHost[]): Promise<Record<string, HostState>> {
  const nodes = nodeNames(c);
  const cmd = snapshotCommand(c.spec.snapshot.paths, c.spec.snapshot.units);
  const states = await Promise.all(
    nodes.map(async (_, i) => {
      const s = await ssh(twins[i]?.address ?? '');
      try {
        const r = await s.run(cmd);
        if (r.code !== 0) throw new Error(`snapshot of ${twins[i]?.lab} failed: ${r.out}`);
        return parseSnapshot(r.out);
      } finally {
        s.close();
      }
    }),
  );
  return Object.fromEntries(nodes.map((n, i) => [n, states[i] as HostState]));
}

/**
 * provision checks a whole playbook before it contacts any host: a case it refuses (exit 4, a
 * construct it does not support yet) is refused in every phase, with no need for a fresh twin.
 */
async function refusedAtLoad(c: CompatCase, twins: TwinHost[], version: string): Promise<Session | undefined> {
  const r = await runProvision(prepareRunDir(c, twins), [...phaseArgs('check'), ...c.spec.args]);
  if (r.code !== LOAD_REFUSED) return undefined;
  const run = { exitCode: r.code, rows: [] };
  const log = `exit ${r.code}\n${r.stderr.split('\n').slice(-15).join('\n')}`;
  return {
    recording: {
      case: c.id,
      hash: c.hash,
      tool: version,
      runs: { check: run, apply: run, again: run },
      state: { afterCheck: {}, final: {} },
    },
    logs: { check: log, apply: log, again: log },
    ms: { reset: 0, runs: 0 },
  };
}

export interface Session {
  recording: Recording;
  /** Each run's exit code and the tail of what it printed on stderr (for reports, not recorded). */
  logs: Record<Phase, string>;
  ms: { reset: number; runs: number };
}

/**
 * One tool on one case, on fresh twins: a check run, an applied run, a second applied run, and the
 * hosts' state after the check run and at the end. (The check run comes first on the fresh hosts:
 * a check run changes nothing, so the applied run that follows starts from a fresh host too, and a
 * check run that did write shows in `afterCheck`.)
 */
export async function runSession(c: CompatCase, tool: Tool, twins: TwinHost[], version: string): Promise<Session> {
  const used = twins.slice(0, c.spec.hosts);
  const t0 = Date.now();
  if (tool === 'provision') {
    const refused = await refusedAtLoad(c, used, version);
    if (refused) return refused;
  }
  await resetTwins(used);
  const t1 = Date.now();
  const at = prepareRunDir(c, used);
  const runs = {} as Recording['runs'];
  const logs = {} as Session['logs'];
  let afterCheck: Record<string, HostState> = {};
  const http = await serveCase(c);
  try {
    for (const phase of PHASES) {
      const r = await TOOLS[tool].run(at, [...phaseArgs(phase), ...c.spec.args, ...http.args]);
      runs[phase] = { exitCode: r.code, rows: TOOLS[tool].rows(r.stdout) };
      logs[phase] = `exit ${r.code}\n${r.stderr.split('\n').slice(-15).join('\n')}`;
      if (phase === 'check') afterCheck = await snapshot(c, used);
    }
  } finally {
    await http.close();
  }
  const final = await snapshot(c, used);
  return {
    recording: { case: c.id, hash: c.hash, tool: version, runs, state: { afterCheck, final } },
    logs,
    ms: { reset: t1 - t0, runs: Date.now() - t1 },
  };
}

/**
 * Every case, side by side on a pool of twins (a case takes as many as it has hosts): Ansible
 * spends seconds per task, and a reset mostly waits for a boot. One case's failure (a reset that
 * did not come up) is reported for that case; the others go on.
 */
export async function runSessions(
  cases: CompatCase[],
  tool: Tool,
  twins: TwinHost[],
  version: string,
  done: (c: CompatCase, s: Session | Error) => void,
): Promise<void> {
  const free = [...twins];
  const waiting: (() => void)[] = [];
  const acquire = async (n: number): Promise<TwinHost[]> => {
    while (free.length < n) await new Promise<void>((r) => waiting.push(r));
    return free.splice(0, n);
  };
  const release = (ts: TwinHost[]) => {
    free.push(...ts);
    for (const w of waiting.splice(0)) w();
  };
  // Cases provision runs today first (their results matter most); among them, two-twin cases first,
  // while the pool is whole.
  const rank = (c: CompatCase) => (c.spec.pending ? 10 : 0) - c.spec.hosts;
  const queue = [...cases].sort((a, b) => rank(a) - rank(b));
  await Promise.all(
    queue.map(async (c) => {
      const ts = await acquire(c.spec.hosts);
      try {
        done(c, await runSession(c, tool, ts, version));
      } catch (err) {
        done(c, err instanceof Error ? err : new Error(String(err)));
      } finally {
        release(ts);
      }
    }),
  );
}
