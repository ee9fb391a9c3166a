import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonEvents, lastEvent, provision, ssh } from './helpers.js';

/**
 * Issue 12: what a re-run costs. A role of 30 tasks of the kinds Debian server roles are made of
 * (users, packages, files, templates, line edits, sysctl, units, a guarded command, a loop),
 * applied twice on the roles test's lab hosts: the second run changes nothing, and its round
 * trips per task are counted: one batch of reads per task at most (debug, assert and set_fact read
 * nothing).
 */
const INV = 'test/e2e/inventories/roles.yaml';
const PB = 'test/fixtures/thirty-tasks/site.yml';
const HOSTS = { 's-role1': '198.18.2.120', 's-role2': '198.18.2.121' };
const CLEAN = 'rm -rf /srv/thirty; userdel thirty 2>/dev/null; groupdel thirty 2>/dev/null; true';

async function onHosts(cmd: string): Promise<void> {
  for (const address of Object.values(HOSTS)) {
    const s = await ssh(address);
    await s.run(cmd);
    s.close();
  }
}

beforeAll(() => onHosts(CLEAN));
afterAll(() => onHosts(CLEAN));

describe('a 30-task role applied twice', () => {
  it('the second run changes nothing and reads in at most one round trip per task', async () => {
    const first = await provision(['up', INV, '--playbook', PB, '--json']);
    expect(first.code, first.stdout.slice(-3000)).toBe(0);
    const second = await provision(['up', INV, '--playbook', PB, '--json']);
    expect(second.code, second.stdout.slice(-3000)).toBe(0);
    for (const host of Object.keys(HOSTS)) expect(lastEvent(second.stdout).hosts[host]).toMatchObject({ changed: 0, failed: 0 });
    const results = jsonEvents(second.stdout).filter((e) => e.event === 'task_result' && e.host === 's-role1');
    expect(results).toHaveLength(30);
    const trips = results.reduce((a, e) => a + Number(e.roundTrips), 0);
    console.log(`30-task role, second run on s-role1: ${trips} round trips, ${(trips / results.length).toFixed(2)} per task`);
    // A task that reads the host costs one batch of reads; debug, assert and set_fact cost none.
    expect(trips).toBeLessThanOrEqual(results.length);
  });
});
