import type { ExecResult } from '../core/exec.js';
import { ProvisionError } from '../errors.js';
import { commandLine } from '../shell/quote.js';
import { sleep } from '../util/limiter.js';
import type { KeepalivedNode } from './model.js';

/** What verify needs from each node: run a command as root. */
export type NodeExec = (host: string, command: string) => Promise<ExecResult>;

export interface StepResult {
  step: string;
  expected: string;
  actual: string;
  ms: number;
  ok: boolean;
  detail?: string;
}

export interface VerifyOptions {
  /** Milliseconds to wait for the VIP to settle after each action. */
  timeoutMs: number;
  pollMs: number;
  /** Fetch the VIP's page from the controller and name the host that answered. */
  httpCheck?: (vip: string) => Promise<string | undefined>;
  onStep?: (s: StepResult) => void;
}

/** Who holds the VIP right now, by reading every node's addresses over its open connection. */
export async function vipHolders(nodes: KeepalivedNode[], vip: string, exec: NodeExec): Promise<string[]> {
  const rs = await Promise.all(
    nodes.map(async (n) => {
      try {
        const r = await exec(n.host, commandLine(['ip', '-4', '-o', 'addr', 'show', 'dev', n.interface]));
        return r.stdout.split(/\s+/).some((w) => w.split('/')[0] === vip) ? n.host : undefined;
      } catch {
        return undefined; // a node that cannot answer holds nothing we can see
      }
    }),
  );
  return rs.filter((h): h is string => !!h);
}

/** Poll until exactly `expected` holds the VIP; the time it took, or the last holders seen. */
async function waitForHolder(
  nodes: KeepalivedNode[],
  vip: string,
  exec: NodeExec,
  expected: string,
  o: VerifyOptions,
): Promise<{ ms: number; holders: string[]; ok: boolean }> {
  const t0 = Date.now();
  let holders: string[] = [];
  while (Date.now() - t0 < o.timeoutMs) {
    holders = await vipHolders(nodes, vip, exec);
    if (holders.length === 1 && holders[0] === expected) return { ms: Date.now() - t0, holders, ok: true };
    await sleep(o.pollMs);
  }
  return { ms: Date.now() - t0, holders, ok: false };
}

const systemctl = (...args: string[]) => commandLine(['systemctl', ...args]);

/**
 * The tutorial's HA test, automated: all up (VIP on MASTER); MASTER's keepalived stopped (the
 * next node takes it); the next stopped too (the third takes it); both started (it returns);
 * then the nginx health check: nginx stopped on MASTER is restarted by the script and the VIP
 * stays; nginx unable to start makes the script stop keepalived and the VIP moves.
 * The cluster is restored at the end, whatever happened.
 */
export async function runFailoverTest(all: KeepalivedNode[], exec: NodeExec, o: VerifyOptions): Promise<StepResult[]> {
  const nodes = [...all].sort((a, b) => b.priority - a.priority);
  const [first, second, third] = nodes;
  if (!first) throw new ProvisionError('input', 'the failover test needs a keepalived cluster, and there is none');
  const vip = first.vips[0]?.split('/')[0];
  if (vip === undefined)
    throw new ProvisionError('input', `${first.host} has no keepalived_vips: there is no VIP to fail over`, { host: first.host });
  const results: StepResult[] = [];
  const record = (s: StepResult) => {
    results.push(s);
    o.onStep?.(s);
  };
  // Timed from the first action: the move is what a client of the VIP would wait through.
  const act = async (step: string, expected: string, actions: [string, string][]) => {
    const t0 = Date.now();
    for (const [host, cmd] of actions) {
      const r = await exec(host, cmd);
      if (r.exitCode !== 0) {
        record({ step, expected, actual: '-', ms: 0, ok: false, detail: `${host}: ${cmd} failed: ${r.stderr.trim()}` });
        return false;
      }
    }
    const w = await waitForHolder(nodes, vip, exec, expected, o);
    record({ step, expected, actual: w.holders.join(',') || 'nobody', ms: Date.now() - t0, ok: w.ok });
    return w.ok;
  };

  try {
    const active = await Promise.all(
      nodes.map(async (n) => [n.host, (await exec(n.host, systemctl('is-active', 'keepalived'))).stdout.trim()] as const),
    );
    const down = active.filter(([, s]) => s !== 'active');
    record({
      step: 'keepalived active on every node',
      expected: 'all active',
      actual: down.length ? `inactive: ${down.map(([h]) => h).join(', ')}` : 'all active',
      ms: 0,
      ok: down.length === 0,
    });
    await act('all nodes up: VIP on the highest priority', first.host, []);
    if (o.httpCheck) {
      const t0 = Date.now();
      const who = await o.httpCheck(vip);
      record({
        step: `http://${vip}/ answers`,
        expected: first.host,
        actual: who ?? 'no answer',
        ms: Date.now() - t0,
        ok: who === first.host,
      });
    }
    if (second) await act(`stop keepalived on ${first.host}`, second.host, [[first.host, systemctl('stop', 'keepalived')]]);
    if (second && third) await act(`stop keepalived on ${second.host} too`, third.host, [[second.host, systemctl('stop', 'keepalived')]]);
    await act(
      `start keepalived on ${[second, first]
        .filter((n) => n !== undefined)
        .map((n) => n.host)
        .join(' and ')}`,
      first.host,
      [
        ...(second ? ([[second.host, systemctl('start', 'keepalived')]] as [string, string][]) : []),
        [first.host, systemctl('start', 'keepalived')],
      ],
    );

    // Health check 1: nginx stopped; the script starts it again and the VIP stays.
    const script = first.vrrpScripts.find((s) => first.trackScripts.includes(s.name));
    if (script) {
      const settle = (script.interval * (script.fall + 1) + 2) * 1000;
      await exec(first.host, systemctl('stop', 'nginx'));
      const t0 = Date.now();
      let nginxBack = false;
      while (Date.now() - t0 < settle && !nginxBack) {
        await sleep(250);
        nginxBack = (await exec(first.host, systemctl('is-active', 'nginx'))).stdout.trim() === 'active';
      }
      const holders = await vipHolders(nodes, vip, exec);
      record({
        step: `stop nginx on ${first.host}: the health script restarts it`,
        expected: `nginx active, VIP on ${first.host}`,
        actual: `nginx ${nginxBack ? 'active' : 'inactive'}, VIP on ${holders.join(',') || 'nobody'}`,
        ms: Date.now() - t0,
        ok: nginxBack && holders.length === 1 && holders[0] === first.host,
      });
      // Health check 2: nginx cannot start; the script stops keepalived and the VIP moves.
      if (second) {
        await act(`nginx unable to start on ${first.host}: the script stops keepalived`, second.host, [
          [first.host, systemctl('mask', '--runtime', 'nginx')],
          [first.host, systemctl('stop', 'nginx')],
        ]);
      }
    }
  } finally {
    // Restore: whatever failed above, leave the cluster as it was found.
    for (const n of nodes) {
      const r = await exec(
        n.host,
        `${systemctl('unmask', '--runtime', 'nginx')} && ${systemctl('start', 'nginx')} && ${systemctl('start', 'keepalived')}`,
      ).catch((e: Error) => e);
      if (r instanceof Error || r.exitCode !== 0) {
        record({
          step: `restore nginx and keepalived on ${n.host}`,
          expected: 'started',
          actual: 'failed',
          ms: 0,
          ok: false,
          detail: r instanceof Error ? r.message : r.stderr.trim(),
        });
      }
    }
  }
  await act('cluster restored: VIP back on the highest priority', first.host, []);
  return results;
}
