import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_KEY_ENV } from '../../src/plan/plan-key.js';
import { planSchema } from '../../src/plan/schema.js';
import { runCli } from './helpers.js';

// The plan key (src/plan/plan-key.ts) of these tests: a file of their own, never the user's.
const keyDir = mkdtempSync(join(tmpdir(), 'prov-plan-key-'));
const KEY_FILE = join(keyDir, 'plan.key');
const keyBefore = process.env[PLAN_KEY_ENV];
beforeAll(() => {
  process.env[PLAN_KEY_ENV] = KEY_FILE;
});
afterAll(() => {
  if (keyBefore === undefined) delete process.env[PLAN_KEY_ENV];
  else process.env[PLAN_KEY_ENV] = keyBefore;
});

/** A project on the controller itself (ansible_connection: local): one host (or more), a secret, a handler. */
function project(
  playbook: string,
  o: { hosts?: string; files?: Record<string, string> } = {},
): { dir: string; plan: (name?: string) => Promise<{ code: number; stdout: string; file: string }> } {
  const dir = mkdtempSync(join(tmpdir(), 'prov-plan-'));
  const hosts = o.hosts ?? '    h1: { app_password: !secret s3cr3t-pw }\n';
  writeFileSync(join(dir, 'inv.yaml'), `all:\n  vars: { ansible_connection: local, d: ${dir} }\n  hosts:\n${hosts}`);
  writeFileSync(join(dir, 'pb.yaml'), playbook);
  for (const [name, text] of Object.entries(o.files ?? {})) writeFileSync(join(dir, name), text);
  return {
    dir,
    plan: async (name = 'plan.json') => {
      const file = join(dir, name);
      const r = await runCli(['plan', join(dir, 'inv.yaml'), join(dir, 'pb.yaml'), '--out', file]);
      return { ...r, file };
    },
  };
}

const apply = (file: string, ...args: string[]) => runCli(['apply', file, ...args]);
const readPlan = (file: string) => planSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

const SITE = `
- hosts: all
  gather_facts: false
  tasks:
    - name: config
      copy: { dest: "{{ d }}/app.conf", content: "port=80\\n" }
      notify: reload
    - name: secret
      copy: { dest: "{{ d }}/pw", content: "{{ app_password }}\\n", mode: "0600" }
    - name: what is there
      command: cat {{ d }}/app.conf
      register: conf
      changed_when: false
      failed_when: false
    - name: echo it
      copy: { dest: "{{ d }}/echo", content: "{{ conf.stdout | default('') }}\\n" }
  handlers:
    - name: reload
      shell: echo reloaded >> {{ d }}/log
`;

describe('plan and apply (local connection)', { timeout: 60_000 }, () => {
  it('plan exits 6, keeps secrets out, marks what only apply can decide; apply makes exactly it', async () => {
    const p = project(SITE);
    const first = await p.plan();
    expect(first.code, first.stdout).toBe(6);
    expect(existsSync(join(p.dir, 'app.conf'))).toBe(false);
    const text = readFileSync(first.file, 'utf8');
    expect(text).not.toContain('s3cr3t-pw');
    const plan = readPlan(first.file);
    const byTask = Object.fromEntries(plan.tasks.map((t) => [t.task, t]));
    expect(byTask.secret?.decisions[0]?.changes[0]).toMatchObject({ kind: 'write', secret: true, path: join(p.dir, 'pw') });
    expect(byTask['what is there']).toMatchObject({ status: 'ok', pending: false });
    expect(byTask['echo it']?.decisions[0]?.decidedAt).toBe('apply');
    expect(byTask.config?.decisions[0]?.decidedAt).toBe('plan');
    expect(byTask.reload).toMatchObject({ handler: true, pending: true });
    expect(plan.inputs.map((f) => f.path).sort()).toEqual([join(p.dir, 'inv.yaml'), join(p.dir, 'pb.yaml')]);
    expect(Object.keys(plan.hosts)).toEqual(['h1']);

    const applied = await apply(first.file);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(readFileSync(join(p.dir, 'pw'), 'utf8')).toBe('s3cr3t-pw\n');
    expect(readFileSync(join(p.dir, 'echo'), 'utf8')).toBe('port=80\n');
    expect(readFileSync(join(p.dir, 'log'), 'utf8')).toBe('reloaded\n');
    expect(applied.stdout).toContain('DECIDED AT APPLY');
    expect(applied.stdout).toMatch(/\[h1\] echo it: write .*echo/);
  });

  it('a host whose state changed after the plan is refused (exit 9) and left as it is; so is a changed input file', async () => {
    const p = project(SITE);
    const { file } = await p.plan();
    writeFileSync(join(p.dir, 'app.conf'), 'by hand\n');
    const refused = await apply(file);
    expect(refused.code, refused.stdout).toBe(9);
    expect(refused.stdout).toContain(`task "config": ${join(p.dir, 'app.conf')} (file_state) changed since the plan`);
    expect(readFileSync(join(p.dir, 'app.conf'), 'utf8')).toBe('by hand\n');
    expect(existsSync(join(p.dir, 'pw'))).toBe(false);

    const again = await p.plan('plan2.json');
    writeFileSync(join(p.dir, 'pb.yaml'), `${SITE}\n# edited after the plan\n`);
    const stale = await apply(again.file);
    expect(stale.code).toBe(9);
    expect(stale.stdout).toContain(`input ${join(p.dir, 'pb.yaml')} changed since the plan`);
    expect(readFileSync(join(p.dir, 'app.conf'), 'utf8')).toBe('by hand\n');
  });

  it('a decision that differs at apply from the plan is refused: the task fails, its change is not made', async () => {
    const p = project(`
- hosts: all
  gather_facts: false
  tasks:
    - name: random
      copy: { dest: "{{ d }}/r", content: "{{ 1000000000 | random }}" }
`);
    const { file, code } = await p.plan();
    expect(code).toBe(6);
    const r = await apply(file);
    expect(r.code, r.stdout).toBe(9);
    expect(r.stdout).toMatch(/refused by the plan: task "random" on h1: it now decides write .*\/r where the plan has write .*\/r/);
    expect(existsSync(join(p.dir, 'r'))).toBe(false);
  });

  it('a plan with nothing to change exits 0 and applies as nothing', async () => {
    const p = project(`
- hosts: all
  gather_facts: false
  tasks:
    - name: nothing
      stat: { path: "{{ d }}" }
`);
    const { file, code } = await p.plan();
    expect(code).toBe(0);
    const r = await apply(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing to apply');
  });

  it('a changed template or lookup file refuses only the hosts whose tasks read it; the others are applied', async () => {
    const p = project(
      `
- hosts: all
  gather_facts: false
  tasks:
    - name: from a template
      template: { src: t1.j2, dest: "{{ d }}/{{ inventory_hostname }}.t" }
      when: inventory_hostname == 'h1'
    - name: from a lookup
      copy: { dest: "{{ d }}/{{ inventory_hostname }}.l", content: "{{ lookup('file', 'f2.txt') }}" }
      when: inventory_hostname == 'h2'
    - name: both
      copy: { dest: "{{ d }}/{{ inventory_hostname }}.b", content: "b\\n" }
`,
      { hosts: '    h1: {}\n    h2: {}\n    h3: {}\n', files: { 't1.j2': 't1 {{ inventory_hostname }}\n', 'f2.txt': 'f2\n' } },
    );
    const { file, code } = await p.plan();
    expect(code).toBe(6);
    const inputs = Object.fromEntries(readPlan(file).inputs.map((f) => [f.path.replace(`${p.dir}/`, ''), f.hosts]));
    expect(inputs).toEqual({ 'inv.yaml': undefined, 'pb.yaml': undefined, 't1.j2': ['h1'], 'f2.txt': ['h2'] });

    writeFileSync(join(p.dir, 't1.j2'), 'edited after the plan {{ inventory_hostname }}\n');
    const r = await apply(file);
    expect(r.code, r.stdout).toBe(9);
    expect(r.stdout).toContain(`refused: [h1] task "(input)": input ${join(p.dir, 't1.j2')}, which its tasks read, changed since the plan`);
    expect(r.stdout).not.toContain('refused: [h2]');
    expect(existsSync(join(p.dir, 'h1.b'))).toBe(false);
    expect(readFileSync(join(p.dir, 'h2.l'), 'utf8')).toBe('f2');
    expect(existsSync(join(p.dir, 'h3.b'))).toBe(true);

    const again = await p.plan('plan2.json');
    expect(again.code).toBe(6);
    writeFileSync(join(p.dir, 'f2.txt'), 'f2 edited\n');
    const r2 = await apply(again.file);
    expect(r2.code, r2.stdout).toBe(9);
    expect(r2.stdout).toContain(
      `refused: [h2] task "(input)": input ${join(p.dir, 'f2.txt')}, which its tasks read, changed since the plan`,
    );
    expect(readFileSync(join(p.dir, 'h2.l'), 'utf8')).toBe('f2');
    expect(readFileSync(join(p.dir, 'h1.t'), 'utf8')).toBe('edited after the plan h1\n');
  });

  it('secret content is hashed with the plan key (HMAC), never by its plain sha256; apply needs the same key', async () => {
    const p = project(`
- hosts: all
  gather_facts: false
  tasks:
    - name: secret
      copy: { dest: "{{ d }}/pw", content: "{{ app_password }}", mode: "0600" }
    - name: plain
      copy: { dest: "{{ d }}/plain", content: "plain" }
`);
    writeFileSync(join(p.dir, 'pw'), 'old-secret');
    const { file, code } = await p.plan();
    expect(code).toBe(6);
    const plan = readPlan(file);
    const text = readFileSync(file, 'utf8');
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const changeOf = (task: string) => plan.tasks.find((t) => t.task === task)?.decisions[0]?.changes[0];
    expect(changeOf('secret')).toMatchObject({ kind: 'write', secret: true, hmac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(changeOf('secret')).not.toHaveProperty('sha256');
    expect(changeOf('plain')).toMatchObject({ kind: 'write', secret: false, sha256: sha('plain') });
    // Neither the secret's hash nor the old content's (read for the diff of a secret write) is in the plan.
    expect(text).not.toContain(sha('s3cr3t-pw'));
    const pwRead = plan.hosts.h1?.reads.find((r) => r.args.path === join(p.dir, 'pw'));
    expect(pwRead).toMatchObject({ hmac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(pwRead).not.toHaveProperty('sha256');
    expect(statSync(KEY_FILE).mode & 0o777).toBe(0o600);
    expect(plan.secretKey).toEqual({ algorithm: 'hmac-sha256', id: expect.stringMatching(/^[0-9a-f]{16}$/) });

    const otherKey = join(keyDir, 'other.key');
    writeFileSync(otherKey, 'another key, of more than sixteen bytes');
    process.env[PLAN_KEY_ENV] = otherKey;
    try {
      const wrong = await apply(file);
      expect(wrong.code).toBe(5);
      expect(wrong.stderr).toContain(`the plan hashes its secrets with plan key ${plan.secretKey?.id}; ${otherKey} holds key`);
      process.env[PLAN_KEY_ENV] = join(keyDir, 'absent.key');
      const none = await apply(file);
      expect(none.code).toBe(5);
      expect(none.stderr).toContain('there is no plan key at');
    } finally {
      process.env[PLAN_KEY_ENV] = KEY_FILE;
    }
    expect(readFileSync(join(p.dir, 'pw'), 'utf8')).toBe('old-secret');
    const r = await apply(file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(p.dir, 'pw'), 'utf8')).toBe('s3cr3t-pw');
  });
});
