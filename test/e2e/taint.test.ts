import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { jsonEvents, LAB_KEY, provision, ssh } from './helpers.js';

const LAB_INV = 'test/e2e/inventories/taint.yaml';
const HOSTS = { 'tn-1': '198.18.2.180', 'tn-2': '198.18.2.181' };
const DIR = '/srv/taint';

// Secret by tag (!secret), by name (db_password, a template over a plain value) and in a list of users.
const BASE = 'plainbase-7781';
const DB_PASSWORD = `${BASE}-x`;
const TOKEN = 'tok-e2e-55aa91';
const USERS = [
  { name: 'alice-e2e', pass: 'alicepw-e2e-31' },
  { name: 'bob-e2e', pass: 'bobpw-e2e-42' },
];
const NOTE = 'visible-note-e2e';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Every secret and the forms a template can turn it into. */
const FORBIDDEN = [DB_PASSWORD, TOKEN, `${TOKEN}-derived`, ...USERS.map((u) => u.pass)].flatMap((s) => [
  s,
  s.toUpperCase(),
  b64(s),
  b64(s.toUpperCase()),
]);

function project(): { inv: string; pb: string; failing: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'prov-taint-'));
  mkdirSync(join(dir, 'templates'));
  // !secret needs the YAML tag, which `stringify` cannot write: the inventory is text.
  writeFileSync(
    join(dir, 'inv.yaml'),
    `all:
  vars:
    ansible_user: root
    ansible_ssh_private_key_file: ${LAB_KEY}
    provision_known_hosts_file: /var/lib/provision/lab/known_hosts
    base: ${BASE}
    db_password: "{{ base }}-x"
    api_token: !secret ${TOKEN}
    note: ${NOTE}
    users:
${USERS.map((u) => `      - name: ${u.name}\n        pass: !secret ${u.pass}`).join('\n')}
  hosts:
${Object.entries(HOSTS)
  .map(([n, a]) => `    ${n}:\n      ansible_host: ${a}`)
  .join('\n')}
`,
  );
  writeFileSync(
    join(dir, 'templates', 'app.conf.j2'),
    'user={{ users[0].name }}\ndb={{ db_password }}\ntoken={{ api_token | upper }}\nb64={{ api_token | b64encode }}\nnote={{ note }}\n',
  );
  const tasks = [
    { name: 'dir', file: { path: DIR, state: 'directory' } },
    { name: 'config from a template', template: { src: 'templates/app.conf.j2', dest: `${DIR}/app.conf`, mode: '0600' } },
    { name: 'one file per user', copy: { content: '{{ item.pass | b64encode }}\n', dest: `${DIR}/{{ item.name }}` }, loop: '{{ users }}' },
    { name: 'encode', command: 'echo {{ api_token | b64encode }}', register: 'enc', changed_when: false, check_mode: false },
    { name: 'show registered', debug: { var: 'enc.stdout' } },
    { name: 'decode registered', debug: { msg: 'decoded {{ enc.stdout | b64decode }}' } },
    { name: 'derive', set_fact: { derived: '{{ api_token | lower }}-derived' } },
    { name: 'show derived', debug: { var: 'derived' } },
    { name: 'write derived', shell: `printf '%s' '{{ db_password }}:{{ derived }}' > ${DIR}/db`, args: { creates: `${DIR}/db` } },
    { name: 'plain', debug: { msg: 'note is {{ note }}, base is {{ base }}, first user {{ users[0].name }}' } },
  ];
  const pb = join(dir, 'pb.yaml');
  writeFileSync(pb, stringify([{ name: 'secrets', hosts: 'all', gather_facts: false, tasks }]));
  const failing = join(dir, 'failing.yaml');
  writeFileSync(
    failing,
    stringify([
      {
        name: 'secrets in errors',
        hosts: 'all',
        gather_facts: false,
        tasks: [
          { name: 'fails quoting a secret', command: 'false {{ api_token | upper }} {{ db_password }}', ignore_errors: true },
          { name: 'fails in a template', debug: { msg: "{{ lookup('file', users[1].pass | upper) }}" } },
        ],
      },
    ]),
  );
  return { inv: join(dir, 'inv.yaml'), pb, failing, dir };
}

function expectNoSecret(text: string): void {
  for (const f of FORBIDDEN) expect(text, `"${f}" printed`).not.toContain(f);
}

describe('secrets reach the hosts through templates, filters, loops and registered results, and never print', () => {
  beforeAll(async () => {
    const up = await provision(['lab', 'up', LAB_INV]);
    expect(up.code, up.stderr).toBe(0);
    for (const a of Object.values(HOSTS)) {
      const s = await ssh(a);
      await s.run(`rm -rf ${DIR}`);
      s.close();
    }
  });

  it('check with diff, apply with -vvv, re-run as JSON, failures: nothing secret printed; the files are right', async () => {
    const p = project();
    const check = await provision(['up', p.inv, '--playbook', p.pb, '--check', '--diff', '-v']);
    expect(check.code, check.stdout.slice(-3000) + check.stderr).toBe(0);
    const apply = await provision(['up', p.inv, '--playbook', p.pb, '--diff', '-vvv']);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const json = await provision(['up', p.inv, '--playbook', p.pb, '--json', '--diff']);
    expect(json.code, json.stderr).toBe(0);
    const failed = await provision(['up', p.inv, '--playbook', p.failing, '--json']);
    expect(failed.code).toBe(2);
    const failedText = await provision(['up', p.inv, '--playbook', p.failing, '-vvv']);
    expect(failedText.code).toBe(2);

    for (const r of [check, apply, json, failed, failedText]) expectNoSecret(r.stdout + r.stderr);
    const retry = join(p.dir, 'failing.retry');
    if (existsSync(retry)) expectNoSecret(readFileSync(retry, 'utf8'));

    // the lines of the diff that hold a secret are masked, the plain ones print
    expect(check.stdout).toContain('+db=********');
    expect(check.stdout).toContain(`+note=${NOTE}`);
    expect(check.stdout).toContain(`+user=${USERS[0]?.name}`);
    // plain values never combined with a secret print, in every mode
    const plainLine = `note is ${NOTE}, base is ${BASE}, first user ${USERS[0]?.name}`;
    expect(apply.stdout).toContain(plainLine);
    expect(jsonEvents(json.stdout).find((e) => e.event === 'task_result' && e.task === 'plain' && e.host === 'tn-1')?.msg).toBe(plainLine);
    expect(apply.stdout).toContain(`${DIR}/${USERS[1]?.name}`);
    // the failures are reported, with the secret parts masked
    const fail = jsonEvents(failed.stdout).find((e) => e.event === 'task_result' && e.task === 'fails quoting a secret');
    // An ignored failure is shown as Ansible shows it: failed, with `ignored` (the recap counts it ok).
    expect(fail).toMatchObject({ status: 'failed', ignored: true });
    expect(fail?.msg).toMatch(/failed \(exit 1\)[\s\S]*\*\*\*\*\*\*\*\*/);
    expect(failedText.stdout + failedText.stderr).toContain('********');

    for (const a of Object.values(HOSTS)) {
      const s = await ssh(a);
      const conf = await s.run(`cat ${DIR}/app.conf; stat -c %a ${DIR}/app.conf`);
      expect(conf.out).toBe(`user=alice-e2e\ndb=${DB_PASSWORD}\ntoken=${TOKEN.toUpperCase()}\nb64=${b64(TOKEN)}\nnote=${NOTE}\n600\n`);
      for (const u of USERS) expect((await s.run(`cat ${DIR}/${u.name}`)).out).toBe(`${b64(u.pass)}\n`);
      expect((await s.run(`cat ${DIR}/db`)).out).toBe(`${DB_PASSWORD}:${TOKEN}-derived`);
      s.close();
    }
  });
});
