import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../src/errors.js';
import { jsonEvents, lastEvent, provision, ssh } from './helpers.js';

// The tests' own cluster (names, addresses, VIP and virtual_router_id apart from inventory/lab.yaml).
const INV = 'test/e2e/inventories/cluster.yaml';
const NODES = { 't-master': '198.18.3.220', 't-backup0': '198.18.3.221', 't-backup1': '198.18.3.222' };
const VIP = '198.18.1.35';
type Session = Awaited<ReturnType<typeof ssh>>;
const sessions: Record<string, Session> = {};
const session = (name: string) => must(sessions[name], `the ssh session to ${name}`);

beforeAll(async () => {
  for (const [name, address] of Object.entries(NODES)) sessions[name] = await ssh(address);
});
afterAll(() =>
  Object.values(sessions).forEach((s) => {
    s.close();
  }),
);

async function holders(): Promise<string[]> {
  const out: string[] = [];
  for (const [name, s] of Object.entries(sessions))
    if ((await s.run('ip -4 -o addr show dev host0')).out.includes(`${VIP}/`)) out.push(name);
  return out;
}

async function waitForHolder(expected: string, timeoutMs = 20_000): Promise<string[]> {
  const t0 = Date.now();
  let h: string[] = [];
  while (Date.now() - t0 < timeoutMs) {
    h = await holders();
    if (h.length === 1 && h[0] === expected) return h;
    await new Promise((r) => setTimeout(r, 100));
  }
  return h;
}

describe('the keepalived cluster, end to end on the lab', () => {
  it('provision up builds the cluster: VIP on t-master, its page at the VIP, keepalived active on all', async () => {
    const r = await provision(['up', INV]);
    expect(r.code, r.stdout.slice(-4000) + r.stderr).toBe(0);
    // up returns with the cluster converged: the VIP is on the MASTER now, not in a moment
    expect(await holders()).toEqual(['t-master']);
    const page = await (await fetch(`http://${VIP}/`, { signal: AbortSignal.timeout(5000) })).text();
    expect(page).toContain('served by t-master');
    for (const s of Object.values(sessions)) expect((await s.run('systemctl is-active keepalived nginx')).out).toBe('active\nactive\n');
    // the secret never reaches the output, and the config holding it is 0600
    expect(r.stdout).not.toContain('keep520');
    expect((await session('t-master').run('stat -c %a /usr/local/keepalived/etc/keepalived/keepalived.conf')).out).toBe('600\n');
  });

  it('a second up changes nothing on any host', async () => {
    const r = await provision(['up', INV, '--json']);
    expect(r.code).toBe(0);
    const recap = lastEvent(r.stdout);
    expect(Object.keys(recap.hosts)).toEqual(['t-master', 't-backup0', 't-backup1']);
    for (const stats of Object.values(recap.hosts) as { changed: number; failed: number }[])
      expect(stats).toMatchObject({ changed: 0, failed: 0 });
  });

  it('up fails, naming the node, when a BACKUP holds the VIP', async () => {
    await session('t-backup0').run(`ip addr add ${VIP}/22 dev host0`);
    try {
      const r = await provision(['up', INV, '-e', 'keepalived_converge_timeout=2']);
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toContain(`t-backup0 (a BACKUP) holds the VIP ${VIP} after 2 s; the MASTER should`);
    } finally {
      await session('t-backup0').run(`ip addr del ${VIP}/22 dev host0`);
    }
    expect((await provision(['up', INV])).code).toBe(0);
  });

  it('provision verify passes every failover step and prints the times', async () => {
    const r = await provision(['verify', INV]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/PASS +stop keepalived on t-master +expected t-backup0 +actual t-backup0 +\d+ ms/);
    expect(r.stdout).toMatch(/PASS +stop keepalived on t-backup0 too +expected t-backup1 +actual t-backup1 +\d+ ms/);
    expect(r.stdout).toContain('the script stops keepalived');
    expect(r.stdout).not.toContain('FAIL');
    expect(await waitForHolder('t-master')).toEqual(['t-master']);
  });

  it('a priority change on t-backup1: the dry run shows only its config (secret masked); up reloads t-backup1 alone; the VIP never moves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-ka-'));
    const inv = join(dir, 'lab.yaml');
    writeFileSync(inv, readFileSync(INV, 'utf8').replace('keepalived_priority: 130', 'keepalived_priority: 135'));
    const args = ['up', inv, '--playbook', 'playbooks/site.yaml'];

    const check = await provision([...args, '--check', '--diff', '--json']);
    expect(check.code).toBe(0);
    const events = jsonEvents(check.stdout).filter((e) => e.event === 'task_result');
    const diffs = events.filter((e) => e.diffs?.length);
    expect(diffs.map((e) => `${e.host}: ${e.diffs.map((d: { path: string }) => d.path)}`)).toEqual([
      't-backup1: /usr/local/keepalived/etc/keepalived/keepalived.conf',
    ]);
    const text = await provision([...args, '--check', '--diff']);
    expect(text.stdout).toMatch(/- {4}priority 130\n\+ {4}priority 135/);
    expect(text.stdout).toContain('auth_pass ********');
    expect(text.stdout + check.stdout).not.toContain('keep520');

    // Watch the VIP the whole time the change rolls out.
    let watching = true;
    const seen = new Set<string>();
    const watcher = (async () => {
      while (watching) {
        seen.add((await holders()).join(',') || 'nobody');
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const apply = await provision([...args, '--json']);
    watching = false;
    await watcher;
    expect(apply.code).toBe(0);
    const changed = jsonEvents(apply.stdout).filter((e) => e.event === 'task_result' && e.status === 'changed');
    expect(changed.map((e) => `${e.host}: ${e.task}`)).toEqual([
      't-backup1: keepalived.conf, checked with keepalived -t before it replaces the old one',
      't-backup1: reload keepalived',
    ]);
    expect([...seen]).toEqual(['t-master']);
    expect((await session('t-backup1').run('grep priority /usr/local/keepalived/etc/keepalived/keepalived.conf')).out).toContain(
      'priority 135',
    );

    // and back to the inventory's own priority
    expect((await provision(['up', INV])).code).toBe(0);
  });

  it("the tutorial's unit is broken (dead while keepalived runs); the installed one really stops it", async () => {
    const b1 = session('t-backup1');
    const tutorialUnit = readFileSync('files/tutorial/keepalived.service', 'utf8');
    await b1.run(`cat > /etc/systemd/system/keepalived.service <<'EOF'\n${tutorialUnit}EOF\nsystemctl daemon-reload`);
    // keepalived forks; whether systemd finds the daemon through PIDFile= is a race. Within a few
    // restarts the unit is seen dead while keepalived runs on, and from then on stop does nothing.
    let state = '';
    for (let i = 0; i < 10 && !state.startsWith('inactive'); i++) {
      state = (
        await b1.run('systemctl restart keepalived; sleep 2; echo "$(systemctl is-active keepalived) $(pgrep -x keepalived | wc -l)"')
      ).out.trim();
    }
    expect(state).toMatch(/^(inactive|failed) [1-9]/);
    await b1.run('systemctl stop keepalived; sleep 1');
    expect(Number((await b1.run('pgrep -x keepalived | wc -l')).out), 'stop does nothing with the tutorial unit').toBeGreaterThan(0);
    await b1.run('pkill -x keepalived; sleep 1');

    // provision puts the working unit back (and restarts keepalived through it)
    const restore = await provision(['up', INV, '--limit', 't-backup1', '--json']);
    expect(restore.code).toBe(0);
    expect((await b1.run('systemctl is-active keepalived; pgrep -x keepalived | wc -l')).out).toMatch(/^active\n[1-9]/);

    // the installed unit: stop really stops it, and the VIP moves
    const m = session('t-master');
    await m.run('systemctl stop keepalived');
    expect((await m.run('systemctl is-active keepalived; pgrep -x keepalived | wc -l')).out).toBe('inactive\n0\n');
    expect(await waitForHolder('t-backup0')).toEqual(['t-backup0']);
    await m.run('systemctl start keepalived');
    expect(await waitForHolder('t-master')).toEqual(['t-master']);
  });
});
