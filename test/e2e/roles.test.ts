import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonEvents, lastEvent, provision, ssh } from './helpers.js';

/**
 * A project laid out the Ansible way (roles with defaults, vars, meta dependencies, handlers,
 * templates and files; import_tasks, include_tasks with a loop, include_vars with
 * with_first_found; a block with rescue and always; environment) on two lab hosts of its own.
 */
const INV = 'test/e2e/inventories/roles.yaml';
const PB = 'test/fixtures/roles-project/site.yml';
const HOSTS = { 's-role1': '198.18.2.120', 's-role2': '198.18.2.121' };
const DIR = '/srv/roles-demo';

async function onHost(address: string, cmd: string): Promise<string> {
  const s = await ssh(address);
  try {
    return (await s.run(cmd)).out;
  } finally {
    s.close();
  }
}

beforeAll(async () => {
  for (const address of Object.values(HOSTS)) await onHost(address, `rm -rf ${DIR}`);
});
afterAll(async () => {
  for (const address of Object.values(HOSTS)) await onHost(address, `rm -rf ${DIR}`);
});

describe('roles, includes and blocks on two lab hosts', () => {
  it('applies: role files found role-first, variables layered as Ansible layers them, rescue and always run', async () => {
    const r = await provision(['up', INV, '--playbook', PB, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout.slice(-3000)).toBe(0);
    const recap = lastEvent(r.stdout);
    for (const host of Object.keys(HOSTS)) {
      expect(recap.hosts[host]).toMatchObject({ changed: 10, failed: 0, rescued: 1 });
    }
    const address = HOSTS['s-role1'];
    // role default port 8080 < role parameter 8081; role_name and role_path in a role template
    expect(await onHost(address, `cat ${DIR}/app.conf`)).toBe('# app from app\nname = demo\nport = 8081\nstage = lab\n');
    expect(await onHost(address, `stat -c %a ${DIR}/app.conf ${DIR}`)).toBe('640\n755\n');
    // files/ of the role, a loop of include_tasks, a namespaced role, include_vars from vars/Debian.yml
    expect(await onHost(address, `cat ${DIR}/motd.txt ${DIR}/feature-metrics ${DIR}/feature-health`)).toBe(
      'Managed by the app role.\nmetrics on demo\nhealth on demo\n',
    );
    expect(await onHost(address, `cat ${DIR}/banner ${DIR}/env.txt`)).toBe('role owner.banner\nlab debian-family\n');
    // the handler of the role ran once; rescue saw the failed task; always ran
    expect(await onHost(address, `wc -l < ${DIR}/restarts; cat ${DIR}/rescued.txt ${DIR}/always`)).toBe(
      '1\nfailed: the port is a privileged one\nthe block ran\n',
    );
    const statuses = jsonEvents(r.stdout).filter((e) => e.event === 'task_result' && e.host === 's-role1');
    expect(statuses.map((e) => `${e.status} ${e.task}`)).toContain('failed the port is a privileged one');
  });

  it('a second run changes nothing', async () => {
    const r = await provision(['up', INV, '--playbook', PB, '--json']);
    expect(r.code, r.stdout.slice(-3000)).toBe(0);
    const recap = lastEvent(r.stdout);
    for (const host of Object.keys(HOSTS)) expect(recap.hosts[host]).toMatchObject({ changed: 0, failed: 0, rescued: 1 });
  });

  it('--check --diff shows the drift of one host and changes nothing', async () => {
    const address = HOSTS['s-role1'];
    await onHost(address, `sed -i 's/port = 8081/port = 9/' ${DIR}/app.conf`);
    const r = await provision(['up', INV, '--playbook', PB, '--json', '--check', '--diff']);
    expect(r.code, r.stdout.slice(-3000)).toBe(0);
    const recap = lastEvent(r.stdout);
    // The template would change; its handler (a shell command) is skipped by a check run, as in Ansible.
    expect(recap.hosts['s-role1']).toMatchObject({ changed: 1, failed: 0 });
    expect(recap.hosts['s-role2']).toMatchObject({ changed: 0, failed: 0 });
    const conf = jsonEvents(r.stdout).find(
      (e) => e.event === 'task_result' && e.host === 's-role1' && e.task === 'app : app.conf from its template',
    );
    expect(conf?.diffs?.[0]?.after).toContain('port = 8081');
    expect(await onHost(address, `grep port ${DIR}/app.conf`)).toBe('port = 9\n');
    expect(await onHost(address, `wc -l < ${DIR}/restarts`)).toBe('1\n');
  });
});
