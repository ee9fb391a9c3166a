import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonEvents, lastEvent, provision, SNAPSHOT, ssh } from './helpers.js';
import { type ServedFiles, serveFiles } from './serve-files.js';

const INV = 'test/e2e/inventories/engine.yaml';
const PB = 'test/e2e/playbooks/every-module.yaml';
const HOSTS = { 't-node1': '198.18.3.210', 't-node2': '198.18.3.211' };

let server: ServedFiles;
let extra: string[];

/** A tarball served to the hosts from the controller's lab address (and to the controller on loopback). */
beforeAll(async () => {
  const src = mkdtempSync(join(tmpdir(), 'prov-bundle-'));
  mkdirSync(join(src, 'bundle'));
  writeFileSync(join(src, 'bundle', 'README'), 'a bundle\n');
  const tarball = join('test/e2e/playbooks/files', 'bundle.tar.gz');
  execFileSync('tar', ['-czf', tarball, '-C', src, 'bundle']);
  const body = readFileSync(tarball);
  server = await serveFiles({ files: new Map([['/bundle.tar.gz', body]]) });
  const port = server.port;
  extra = ['-e', `http_port=${port}`, '-e', `bundle_sha256=${createHash('sha256').update(body).digest('hex')}`];
  // Start from hosts that have none of what the playbook makes, whatever ran before.
  for (const address of Object.values(HOSTS)) {
    const s = await ssh(address);
    await s.run(
      'systemctl disable --now demo; rm -f /etc/systemd/system/demo.service; systemctl daemon-reload; rm -rf /srv/app; apt-get -y -q remove jq',
    );
    s.close();
  }
});
afterAll(() => server.close());

async function snapshot(address: string): Promise<string> {
  const s = await ssh(address);
  try {
    return (await s.run(SNAPSHOT)).out;
  } finally {
    s.close();
  }
}

function recap(stdout: string) {
  return lastEvent(stdout);
}

describe('engine end to end, on two lab hosts', () => {
  it('first run changes, second run changes nothing on every host', async () => {
    const first = await provision(['up', INV, '--playbook', PB, '--json', ...extra]);
    expect(first.stderr).toBe('');
    expect(first.code, first.stdout.slice(-3000)).toBe(0);
    for (const h of Object.keys(HOSTS)) expect(recap(first.stdout).hosts[h].changed).toBeGreaterThan(10);

    const second = await provision(['up', INV, '--playbook', PB, '--json', ...extra]);
    expect(second.code).toBe(0);
    const changed = jsonEvents(second.stdout).filter((e) => e.event === 'task_result' && e.status === 'changed');
    expect(changed.map((e) => `${e.host}: ${e.task}`)).toEqual([]);
    for (const h of Object.keys(HOSTS)) expect(recap(second.stdout).hosts[h]).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });

    const s = await ssh(HOSTS['t-node1']);
    expect(
      (await s.run('cat /srv/app/env-out; jq --version; systemctl is-active demo; cat /srv/app/bundle/README /srv/app/local/bundle/README'))
        .out,
    ).toBe('hello there from /srv/app\njq-1.6\nactive\na bundle\na bundle\n');
    expect(
      (await s.run('stat -c %a /srv/app/static.txt /srv/app/settings; readlink /srv/app/current; wc -l < /srv/app/handler.log')).out,
    ).toBe('640\n600\n/srv/app/static.txt\n1\n');
    s.close();
  });

  it('after one template variable changes, --check --diff shows one diff for that host only and touches nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-inv-'));
    const changedInv = join(dir, 'inv.yaml');
    writeFileSync(
      changedInv,
      readFileSync(INV, 'utf8').replace('ansible_host: 198.18.3.210', 'ansible_host: 198.18.3.210\n      app_port: 9090'),
    );

    const before = await Promise.all(Object.values(HOSTS).map(snapshot));
    const check = await provision(['up', changedInv, '--playbook', PB, '--check', '--diff', '--json', ...extra]);
    const after = await Promise.all(Object.values(HOSTS).map(snapshot));
    expect(after).toEqual(before);
    expect(check.code).toBe(0);

    const events = jsonEvents(check.stdout).filter((e) => e.event === 'task_result');
    const withDiffs = events.filter((e) => e.diffs?.length);
    expect(withDiffs.map((e) => `${e.host}: ${e.diffs.map((d: { path: string }) => d.path).join(',')}`)).toEqual([
      't-node1: /srv/app/app.conf',
    ]);
    expect(withDiffs[0]?.diffs[0].before).toContain('listen 8080');
    expect(withDiffs[0]?.diffs[0].after).toContain('listen 9090');
    expect(events.filter((e) => e.status === 'changed').map((e) => `${e.host}: ${e.task}`)).toEqual([
      't-node1: app config from a template',
    ]);
    // Its handler is a shell command without creates/removes: skipped by the check run, as Ansible does.
    expect(events.find((e) => e.task === 'app config changed')).toMatchObject({ host: 't-node1', status: 'skipped', handler: true });

    // the text output shows it as a unified diff
    const text = await provision(['up', changedInv, '--playbook', PB, '--check', '--diff', ...extra]);
    expect(text.stdout).toContain('would change: [t-node1] app config from a template');
    expect(text.stdout).toMatch(/-listen 8080\n\+listen 9090/);

    // drift detection for CI
    const drift = await provision(['up', changedInv, '--playbook', PB, '--check', '--detailed-exitcode', ...extra]);
    expect(drift.code).toBe(6);

    // apply: exactly that change, and its handler once
    const apply = await provision(['up', changedInv, '--playbook', PB, '--json', ...extra]);
    expect(apply.code).toBe(0);
    const applied = jsonEvents(apply.stdout).filter((e) => e.event === 'task_result' && e.status === 'changed');
    expect(applied.map((e) => `${e.host}: ${e.task}`)).toEqual(['t-node1: app config from a template', 't-node1: app config changed']);
    const s = await ssh(HOSTS['t-node1']);
    expect((await s.run('grep listen /srv/app/app.conf; wc -l < /srv/app/handler.log')).out).toBe('listen 9090\n2\n');
    s.close();
  });

  it('check mode on hosts far from the wanted state writes nothing and runs nothing', async () => {
    const s = await ssh(HOSTS['t-node2']);
    await s.run('rm -rf /srv/app; systemctl disable --now demo; rm /etc/systemd/system/demo.service; systemctl daemon-reload');
    s.close();
    const before = await snapshot(HOSTS['t-node2']);
    const check = await provision(['up', INV, '--playbook', PB, '--check', '--limit', 't-node2', '--json', ...extra]);
    expect(await snapshot(HOSTS['t-node2'])).toBe(before);
    const events = jsonEvents(check.stdout).filter((e) => e.event === 'task_result');
    expect(events.find((e) => e.task === 'static file')).toMatchObject({ status: 'changed', check: true });
    expect(events.find((e) => e.task === 'command with creates')).toMatchObject({ status: 'changed', changes: ['touch /srv/app/marker'] });
    // and the next real run converges
    const apply = await provision(['up', INV, '--playbook', PB, '--limit', 't-node2', ...extra]);
    expect(apply.code).toBe(0);
  });
});
