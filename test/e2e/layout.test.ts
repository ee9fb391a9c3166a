import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, jsonEvents, lastEvent, provision, ssh } from './helpers.js';

// An Ansible project (test/fixtures/layout/project: ansible.cfg, an INI inventory directory with a
// host range, group_vars/ and host_vars/ beside the inventory and beside the playbook) run with no
// file of provision's own, from the project's directory as an Ansible user would.
const PROJECT = resolve('test/fixtures/layout/project');
const INVENTORY = 'test/fixtures/layout/project/inventory';
const HOSTS = { 'l-web1': '198.18.2.140', 'l-web2': '198.18.2.141' } as const;
const ROLE = { 'l-web1': 'primary', 'l-web2': 'secondary' } as const;
const BIN = resolve('bin/provision.js');

/** The CLI run in the project directory, where it finds ./ansible.cfg. */
function inProject(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: PROJECT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (err as unknown as { code?: number }).code : 0;
      done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  // The lab reads the project's INI inventory directory too.
  const up = await provision(['lab', 'up', INVENTORY]);
  expect(up.code, up.stderr).toBe(0);
  for (const address of Object.values(HOSTS)) {
    const s = await ssh(address);
    await s.run('rm -rf /srv/layout');
    s.close();
  }
});

describe('an Ansible project layout, run by provision on two lab hosts', () => {
  it('provision up site.yml: ansible.cfg names the inventory; variables merge as in Ansible; a re-run changes nothing', async () => {
    const first = await inProject(['up', 'site.yml', '--json']);
    expect(first.code, first.stdout.slice(-3000) + first.stderr).toBe(0);
    expect(first.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/ansible\.cfg:9: \[defaults\] gathering is not used by provision$/),
      expect.stringMatching(/ansible\.cfg:10: \[defaults\] retry_files_enabled is not used by provision$/),
      expect.stringMatching(/ansible\.cfg:16: \[ssh_connection\] pipelining is not used by provision$/),
    ]);
    for (const h of Object.keys(HOSTS)) expect(lastEvent(first.stdout).hosts[h]).toMatchObject({ changed: 4, failed: 0 });

    for (const [host, address] of Object.entries(HOSTS) as [keyof typeof HOSTS, string][]) {
      const s = await ssh(address);
      expect(
        (await s.run('cat /srv/layout/site.conf; echo "$(cat /srv/layout/owner)"; stat -c %a /srv/layout /srv/layout/site.conf')).out,
      ).toBe(
        [
          `# layout-demo on ${host}`,
          'listen 8081',
          `role ${ROLE[host]}`,
          'tier frontend',
          'greeting "hello from layout-demo"',
          'owner web-team',
          'web-team',
          '755',
          '644',
          '',
        ].join('\n'),
      );
      s.close();
    }
    const debug = jsonEvents(first.stdout).filter((e) => e.event === 'task_result' && e.task === 'say who is here');
    expect(debug.map((e) => e.msg ?? e.result?.msg)).toEqual(
      expect.arrayContaining([expect.stringContaining('hello from layout-demo on l-web')]),
    );

    const second = await inProject(['up', 'site.yml', '--json']);
    expect(second.code).toBe(0);
    for (const h of Object.keys(HOSTS)) expect(lastEvent(second.stdout).hosts[h]).toMatchObject({ changed: 0, failed: 0, unreachable: 0 });
  });

  it("ansible-playbook's form (-i INVENTORY PLAYBOOK) and provision's (INVENTORY -p PLAYBOOK) run the same project", async () => {
    const ansibleForm = await inProject(['up', '-i', 'inventory', 'site.yml', '--check', '--json']);
    expect(ansibleForm.code, ansibleForm.stderr).toBe(0);
    const provisionForm = await inProject(['up', 'inventory', '-p', 'site.yml', '--check', '--json']);
    expect(provisionForm.code, provisionForm.stderr).toBe(0);
    for (const r of [ansibleForm, provisionForm])
      for (const h of Object.keys(HOSTS)) expect(lastEvent(r.stdout).hosts[h]).toMatchObject({ changed: 0, failed: 0 });
  });
});
