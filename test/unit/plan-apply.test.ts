import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSchema } from '../../src/plan/schema.js';
import { runCli } from './helpers.js';

/** A project on the controller itself (ansible_connection: local): one host, a secret, a handler. */
function project(playbook: string): { dir: string; plan: (name?: string) => Promise<{ code: number; stdout: string; file: string }> } {
  const dir = mkdtempSync(join(tmpdir(), 'prov-plan-'));
  writeFileSync(
    join(dir, 'inv.yaml'),
    `all:\n  vars: { ansible_connection: local, d: ${dir} }\n  hosts:\n    h1: { app_password: !secret s3cr3t-pw }\n`,
  );
  writeFileSync(join(dir, 'pb.yaml'), playbook);
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
});
