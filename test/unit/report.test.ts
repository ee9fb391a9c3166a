import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/core/events.js';
import { ProvisionError } from '../../src/errors.js';
import { changesByTask, failuresByTask, hostChangeSets } from '../../src/report/change-groups.js';
import { renderHtml } from '../../src/report/html.js';
import { MARKDOWN_BUDGET, renderMarkdown } from '../../src/report/markdown.js';
import { buildRunRecord, type TimedEvent } from '../../src/report/record-builder.js';
import { readRunRecord, renderReport, writeReport } from '../../src/report/report-file.js';
import { runRecordJsonSchema, runRecordSchema } from '../../src/report/run-record.js';
import { MASK, secrets } from '../../src/secrets.js';
import { runCli, runLocal } from './helpers.js';

const RUN = 'test/fixtures/report/web-run.ndjson';
const CHECK = 'test/fixtures/report/web-check.ndjson';

function events(file: string): TimedEvent[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as TimedEvent);
}

function result(over: Partial<Extract<RunEvent, { event: 'task_result' }>>): TimedEvent {
  return {
    event: 'task_result',
    play: 'p',
    task: 't',
    host: 'h1',
    handler: false,
    status: 'ok',
    check: false,
    durationMs: 10,
    roundTrips: 1,
    ...over,
  };
}

/** The input error a call throws, as the CLI prints it. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ProvisionError && e.kind === 'input') return e.describe();
    throw e;
  }
  throw new Error('expected an input error, got none');
}

const tmp = () => mkdtempSync(join(tmpdir(), 'prov-report-unit-'));

afterEach(() => secrets.clear());

describe('the run record', () => {
  it('holds every host in recap order with the recap numbers, and every result with its start time', () => {
    const evs = events(RUN);
    const r = buildRunRecord(evs, { kind: 'up' });
    expect(runRecordSchema.parse(r)).toEqual(r);
    const recap = evs.at(-1) as Extract<TimedEvent, { event: 'recap' }>;
    expect(r.hosts.map((h) => h.name)).toEqual(Object.keys(recap.hosts));
    for (const h of r.hosts) {
      expect(h.stats).toEqual(recap.hosts[h.name]);
      const results = evs.filter((e) => e.event === 'task_result' && e.host === h.name);
      expect(h.tasks.map((t) => t.task)).toEqual(results.map((e) => (e as { task: string }).task));
    }
    const first = evs.find((e) => e.event === 'task_result') as Extract<TimedEvent, { event: 'task_result' }>;
    expect(r.hosts[0]?.tasks[0]?.startMs).toBe((first.at ?? 0) - first.durationMs);
    const lastAt = Math.max(...evs.map((e) => e.at ?? 0));
    expect(r).toMatchObject({ complete: true, check: false, durationMs: lastAt, playbook: '/tmp/rpfx/site.yaml' });
  });

  it('a stream cut before its recap still gives a record: incomplete, counted from its results', () => {
    const r = buildRunRecord(
      [result({ status: 'changed' }), result({ task: 'u', status: 'failed', msg: 'boom' }), result({ host: 'h2', status: 'skipped' })],
      { kind: 'up' },
    );
    expect(r.complete).toBe(false);
    expect(r.hosts.map((h) => [h.name, h.stats])).toEqual([
      ['h1', { ok: 0, changed: 1, failed: 1, unreachable: 0, skipped: 0 }],
      ['h2', { ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 1 }],
    ]);
  });

  it('never holds a secret: names, messages, changes and diffs go through the mask', () => {
    secrets.add('s3cr3t-value');
    const r = buildRunRecord(
      [
        result({
          task: 'set s3cr3t-value',
          status: 'changed',
          msg: 'was s3cr3t-value',
          changes: ['echo s3cr3t-value'],
          diffs: [{ path: '/etc/a', before: 'x\n', after: 'pw s3cr3t-value\n' }],
        }),
      ],
      { kind: 'up' },
    );
    const text = JSON.stringify(r) + renderHtml(r) + renderMarkdown(r);
    expect(text).not.toContain('s3cr3t-value');
    expect(r.hosts[0]?.tasks[0]?.diffs?.[0]?.diff).toContain(`+pw ${MASK}`);
  });

  it('groups hosts that change the same way, per task and per whole change set', () => {
    const r = readRunRecord(CHECK, { kind: 'up' });
    const changes = changesByTask(r);
    expect(changes.map((c) => [c.task, c.groups.map((g) => g.hosts)])).toEqual([
      ['Application config', [['web1', 'web2'], ['web3']]],
      ['Extra listener on the 8080 hosts', [['web1', 'web2']]],
      ['reload app', [['web1', 'web2', 'web3']]],
    ]);
    expect(hostChangeSets(r)).toEqual([
      { hosts: ['web1', 'web2'], changes: 3 },
      { hosts: ['web3'], changes: 2 },
    ]);
    expect(failuresByTask(readRunRecord(RUN, { kind: 'up' })).map((f) => [f.task, f.groups.map((g) => g.hosts)])).toEqual([
      ['Health check', [['web3']]],
    ]);
  });

  it('the same task run twice on a host is two entries, not one', () => {
    const r = buildRunRecord([result({ status: 'changed', changes: ['a'] }), result({ status: 'changed', changes: ['b'] })], {
      kind: 'up',
    });
    expect(changesByTask(r).map((c) => c.groups[0]?.task.changes)).toEqual([['a'], ['b']]);
  });
});

describe('reading a saved run', () => {
  it('reads a run record written as .json, or embedded in a page, back to the same record', () => {
    const r = readRunRecord(CHECK, { kind: 'up' });
    const file = join(tmp(), 'run.json');
    writeFileSync(file, renderReport(r, 'json'));
    expect(readRunRecord(file, { kind: 'plan' })).toEqual(r);
    const page = join(tmp(), 'run.html');
    writeFileSync(page, renderReport(r, 'html'));
    expect(readRunRecord(page, { kind: 'plan' })).toEqual(r);
  });

  it('a report it cannot write is a usage error naming the file', () => {
    const r = readRunRecord(CHECK, { kind: 'up' });
    expect(() => writeReport(join(tmp(), 'no', 'such', 'dir.html'), r)).toThrow(/cannot write the report .*dir\.html: ENOENT/);
  });

  it('names the line of a broken event, and refuses a file with no events', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.ndjson'), `${readFileSync(RUN, 'utf8').split('\n')[0]}\n{"event": "task_result", "host": 3}\n`);
    expect(thrown(() => readRunRecord(join(dir, 'bad.ndjson'), { kind: 'up' }))).toMatch(/bad\.ndjson:2:1: a task_result without/);
    writeFileSync(join(dir, 'empty.ndjson'), 'PLAY [x]\n');
    expect(thrown(() => readRunRecord(join(dir, 'empty.ndjson'), { kind: 'up' }))).toMatch(/holds no provision events/);
  });
});

describe('the published JSON Schema', () => {
  it('docs/run-record.schema.json is what the zod schema gives (regenerate: provision report --schema > docs/run-record.schema.json)', () => {
    expect(JSON.parse(readFileSync('docs/run-record.schema.json', 'utf8'))).toEqual(runRecordJsonSchema());
  });
});

describe('the Markdown report', () => {
  it('has the recap as a table and the grouped changes with folded diffs', () => {
    const md = renderMarkdown(readRunRecord(CHECK, { kind: 'up' }));
    expect(md).toContain('| web1 | 3 | 3 | 0 | 0 | 0 |');
    expect(md).toContain('| **3 hosts** | **9** | **8** | **0** | **1** | **0** |');
    expect(md).toContain(
      '`web1` `web2`\n- update /tmp/rpfx2/etc/app.conf\n<details><summary><code>/tmp/rpfx2/etc/app.conf</code> +1 −1</summary>',
    );
    expect(md).toContain('```diff\n--- before: /tmp/rpfx2/etc/app.conf');
    expect(md).not.toContain('hunter2');
  });

  it('stays within a comment: past the budget diffs are left out, by name', () => {
    const big = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const evs = ['a', 'b', 'c'].map((host) =>
      result({ host, status: 'changed', changes: ['update /big'], diffs: [{ path: `/big-${host}`, before: '', after: big }] }),
    );
    const md = renderMarkdown(buildRunRecord(evs, { kind: 'up' }));
    expect(md.length).toBeLessThan(MARKDOWN_BUDGET + 2000);
    expect(md).toContain('<code>/big-b</code> +3000 −0: diff left out');
  });

  it('a diff holding backticks cannot close its fence; markup in names is literal', () => {
    const r = buildRunRecord(
      [result({ task: '**bold** | pipe', status: 'changed', diffs: [{ path: '/x.md', before: '', after: '````\ncode\n````\n' }] })],
      { kind: 'up' },
    );
    const md = renderMarkdown(r);
    expect(md).toContain('`````diff\n');
    expect(md).toContain('**\\*\\*bold\\*\\* \\| pipe**');
  });
});

describe('the HTML report', () => {
  it('escapes what it shows and loads nothing: no src, no link, a CSP that forbids any fetch', () => {
    const r = buildRunRecord([result({ task: '<script>alert(1)</script>', status: 'failed', msg: '</script><img src=x>' })], {
      kind: 'up',
    });
    const html = renderHtml(r);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/);
    expect(html).toContain("default-src 'none'");
    // the embedded record reads back whole
    const embedded = /<script type="application\/json" id="run-record">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(JSON.parse(embedded)).toEqual(r);
  });
});

describe('provision up --report and provision report', { timeout: 60_000 }, () => {
  it('up --report writes the page and the record; report draws a saved --json stream afterwards', async () => {
    const dir = tmp();
    const pb = `- hosts: all\n  tasks:\n    - copy: { dest: "{{ d }}/{{ inventory_hostname }}.txt", content: "hello\\n" }\n`;
    const html = join(dir, 'run.html');
    const run = await runLocal(pb, { args: ['--report', html] });
    expect(run.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/<tr data-host="h1"><th>h1<\/th><td data-stat="ok"[^>]*>1</);
    expect(page).toContain(`+hello`);
    const stream = join(dir, 'run.ndjson');
    writeFileSync(stream, run.stdout);
    const md = await runCli(['report', stream]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('| h1 | 1 | 1 | 0 | 0 | 0 |');
    const out = join(dir, 'again.json');
    expect((await runCli(['report', stream, '--out', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).hosts.map((h: { name: string }) => h.name)).toEqual(['h1', 'h2']);
  });

  it('a report name it cannot write is refused before the run (exit 5)', async () => {
    const r = await runLocal('- hosts: all\n  tasks: []\n', { args: ['--report', join(tmp(), 'run.txt')] });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('must end in .html, .md or .json');
    expect(r.events).toEqual([]);
  });
});
