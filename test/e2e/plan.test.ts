import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/config/inventory.js';
import { must } from '../../src/errors.js';
import { planSchema } from '../../src/plan/schema.js';
import { provision, ssh } from './helpers.js';

// In a whole e2e run this test uses the keepalived test cluster (booted by global-setup.ts; built by
// keepalived.test.ts or by the `up` below, whichever runs first: keepalived compiles once). Run alone
// on hosts of its own: PROVISION_PLAN_INVENTORY=test/e2e/inventories/plan.yaml.
const INV = process.env.PROVISION_PLAN_INVENTORY ?? 'test/e2e/inventories/cluster.yaml';
const PLAYBOOK = resolve('playbooks/site.yaml');
const CONF = '/usr/local/keepalived/etc/keepalived/keepalived.conf';
const inv = loadInventory(INV);
const priorityOf = (h: string) => Number(must(inv.hosts.get(h), h).vars.keepalived_priority);
const byPriority = [...inv.hosts.keys()].sort((a, b) => priorityOf(b) - priorityOf(a));
const MASTER = must(byPriority[0], 'the MASTER');
const BACKUP0 = must(byPriority[1], 'the first BACKUP');
const BACKUP1 = must(byPriority[2], 'the second BACKUP');
const dir = mkdtempSync(join(tmpdir(), 'prov-plan-e2e-'));
type Session = Awaited<ReturnType<typeof ssh>>;
const sessions = new Map<string, Session>();
const on = (h: string) => must(sessions.get(h), `ssh session to ${h}`);
const conf = async (h: string) => (await on(h).run(`cat ${CONF}`)).out;

/** A copy of the inventory with some priorities changed: the edit a reviewer would see planned. */
function variant(name: string, priorities: Record<string, number>): string {
  let text = readFileSync(INV, 'utf8');
  for (const [host, p] of Object.entries(priorities))
    text = text.replace(new RegExp(`(${host}:\\n(?:\\s+\\w+: .*\\n)*?\\s+keepalived_priority: )\\d+`), `$1${p}`);
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

const plan = async (invFile: string, out: string) => {
  const r = await provision(['plan', invFile, '-p', PLAYBOOK, '--out', join(dir, out)]);
  return { ...r, plan: r.code === 6 || r.code === 0 ? planSchema.parse(JSON.parse(readFileSync(join(dir, out), 'utf8'))) : undefined };
};
const apply = (out: string, ...flags: string[]) => provision(['apply', join(dir, out), ...flags]);
const pendingOf = (p: Awaited<ReturnType<typeof plan>>['plan']) =>
  (p?.tasks ?? []).filter((t) => t.pending).map((t) => `${t.host} ${t.handler ? 'handler ' : ''}${t.task}`);

beforeAll(async () => {
  const up = await provision(['up', INV]);
  expect(up.code, up.stdout.slice(-3000) + up.stderr).toBe(0);
  for (const [name, h] of inv.hosts) sessions.set(name, await ssh(String(h.vars.ansible_host)));
});

afterAll(async () => {
  // Back to the inventory as written, for the tests that share the cluster.
  const r = await provision(['up', INV]);
  for (const s of sessions.values()) s.close();
  expect(r.code, r.stdout.slice(-3000)).toBe(0);
});

describe('plan, review, apply exactly that: on the keepalived cluster', () => {
  it("one host's priority changed: the plan has exactly its keepalived.conf and its reload; apply makes them; the next plan is empty", async () => {
    const b = variant('b', { [BACKUP1]: priorityOf(BACKUP1) - 5 });
    const p = await plan(b, 'b.json');
    expect(p.code, p.stdout.slice(-3000) + p.stderr).toBe(6);
    expect(pendingOf(p.plan)).toEqual([
      `${BACKUP1} keepalived.conf, checked with keepalived -t before it replaces the old one`,
      `${BACKUP1} handler reload keepalived`,
    ]);
    const write = p.plan?.tasks.find((t) => t.pending && !t.handler)?.decisions[0]?.changes[0];
    expect(write).toMatchObject({ kind: 'write', path: CONF, secret: true });
    // The secret is in the file, never in the plan: not in the diff, not anywhere.
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).not.toContain('keep520');
    expect(p.plan?.tasks.find((t) => t.pending && !t.handler)?.diffs?.[0]?.after).toContain(`priority ${priorityOf(BACKUP1) - 5}`);

    const before = await conf(MASTER);
    const a = await apply('b.json');
    expect(a.code, a.stdout.slice(-3000) + a.stderr).toBe(0);
    expect(await conf(BACKUP1)).toContain(`priority ${priorityOf(BACKUP1) - 5}`);
    expect(await conf(MASTER)).toBe(before);
    expect(a.stdout).toContain(`changed: [${BACKUP1}] handler: reload keepalived`);
    expect(a.stdout).not.toContain('DECIDED AT APPLY');

    const again = await plan(b, 'b2.json');
    expect(again.code, again.stdout.slice(-2000)).toBe(0);
    expect(pendingOf(again.plan)).toEqual([]);
  });

  it('a plan gone stale on one host: that host is refused with the path named and left alone, the others applied', async () => {
    const c = variant('c', { [BACKUP0]: priorityOf(BACKUP0) + 5, [BACKUP1]: priorityOf(BACKUP1) + 5 });
    const p = await plan(c, 'c.json');
    expect(p.code).toBe(6);
    await on(BACKUP1).run(`echo '# edited by hand' >> ${CONF}`);
    const handEdited = await conf(BACKUP1);
    const a = await apply('c.json');
    expect(a.code, a.stdout.slice(-3000)).toBe(9);
    expect(a.stdout).toContain(
      `refused: [${BACKUP1}] task "keepalived.conf, checked with keepalived -t before it replaces the old one": ${CONF}`,
    );
    expect(await conf(BACKUP1)).toBe(handEdited);
    expect(await conf(BACKUP0)).toContain(`priority ${priorityOf(BACKUP0) + 5}`);
  });

  it('with --all-or-nothing a stale host stops the whole apply: nothing changes anywhere', async () => {
    const back = variant('back', {});
    const p = await plan(back, 'back.json');
    expect(p.code).toBe(6);
    expect(new Set(p.plan?.tasks.filter((t) => t.pending).map((t) => t.host))).toEqual(new Set([BACKUP0, BACKUP1]));
    await on(BACKUP1).run(`echo '# edited by hand again' >> ${CONF}`);
    const snapshot = await Promise.all([BACKUP0, BACKUP1].map(conf));
    const a = await apply('back.json', '--all-or-nothing');
    expect(a.code).toBe(9);
    expect(a.stdout).toContain(`refused: [${BACKUP1}]`);
    expect(a.stdout).toContain('nothing applied');
    expect(await Promise.all([BACKUP0, BACKUP1].map(conf))).toEqual(snapshot);
  });

  it('an input file changed on the controller after the plan: refused, nothing changes anywhere', async () => {
    const back = variant('back2', {});
    const p = await plan(back, 'back2.json');
    expect(p.code).toBe(6);
    writeFileSync(back, `${readFileSync(back, 'utf8')}# edited after the plan\n`);
    const snapshot = await Promise.all([BACKUP0, BACKUP1].map(conf));
    const a = await apply('back2.json');
    expect(a.code).toBe(9);
    expect(a.stdout).toContain(`refused: input ${back} changed since the plan`);
    expect(await Promise.all([BACKUP0, BACKUP1].map(conf))).toEqual(snapshot);
  });
});
