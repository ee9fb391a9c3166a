import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { readRunRecord } from '../../src/report/report-file.js';

/** Debian's chromium (scripts/setup.sh installs it): browser downloads are not reachable here, and a test must not fetch one. */
const CHROMIUM = '/usr/bin/chromium';

/** Everything that would make Chromium contact a server on its own, switched off. */
const QUIET_CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--metrics-recording-only',
  '--disable-breakpad',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--no-first-run',
  '--no-pings',
  '--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,CertificateTransparencyComponentUpdater',
];

const FIXTURE = 'test/fixtures/report/web-check.ndjson';
const FAILED_RUN = 'test/fixtures/report/web-run.ndjson';
/** A keepalived --check --diff of playbooks/site.yaml (test/fixtures/report/README.md says how it was recorded). */
const KEEPALIVED = 'test/fixtures/report/keepalived-check.ndjson';

let browser: Browser;
let page: Page;
/** The one file a page may load; everything else is recorded here and aborted. */
let allowed = '';
const others: string[] = [];
const errors: string[] = [];

// One page for every test: a renderer process costs seconds to start on a busy machine.
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh (it installs Debian's chromium)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: QUIET_CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  await context.route('**/*', (route) => {
    if (route.request().url() === allowed) return route.continue();
    others.push(route.request().url());
    return route.abort();
  });
  context.on('request', (r) => {
    if (r.url() !== allowed) others.push(r.url());
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

/** Opens `html` from a file, with every request but the file itself blocked and recorded. */
async function openHtml(html: string): Promise<Page> {
  const file = join(mkdtempSync(join(tmpdir(), 'prov-report-')), 'run.html');
  writeFileSync(file, html);
  allowed = pathToFileURL(file).href;
  others.length = 0;
  errors.length = 0;
  await page.goto(allowed, { waitUntil: 'load' });
  return page;
}

const openReport = (fixture: string) => openHtml(renderHtml(readRunRecord(fixture, { kind: 'up' })));

describe('the HTML report in a real browser (Debian chromium, offline)', { timeout: 60_000 }, () => {
  it('the harness sees and blocks a request that is not the file (so an empty list means none was made)', async () => {
    await openHtml('<!doctype html><link rel="stylesheet" href="http://127.0.0.1:9/probe.css"><p>probe</p>');
    expect(others).toEqual(['http://127.0.0.1:9/probe.css', 'http://127.0.0.1:9/probe.css']);
  });

  it('opens without console errors or any request but the file, and its summary equals the recap', async () => {
    const page = await openReport(FIXTURE);
    const recap = readRunRecord(FIXTURE, { kind: 'up' }).hosts;
    expect(recap.length).toBe(3);
    for (const h of recap)
      for (const stat of ['ok', 'changed', 'failed', 'skipped', 'unreachable'] as const) {
        const cell = page.locator(`#summary-table tr[data-host="${h.name}"] td[data-stat="${stat}"]`);
        expect(Number(await cell.textContent()), `${h.name} ${stat}`).toBe(h.stats[stat]);
      }
    const sum = (s: 'changed' | 'ok') => recap.reduce((a, h) => a + h.stats[s], 0);
    expect(Number(await page.locator('[data-total="changed"]').textContent())).toBe(sum('changed'));
    expect(Number(await page.locator('[data-total="ok"]').textContent())).toBe(sum('ok'));
    expect(await page.content()).not.toContain('hunter2');
    expect(errors).toEqual([]);
    expect(others).toEqual([]);
  });

  it('a diff opens on click, and the buttons open and close them all', async () => {
    const page = await openReport(FIXTURE);
    const diff = page.locator('details.diff').first();
    const body = diff.locator('pre');
    expect(await body.isVisible()).toBe(false);
    await diff.locator('summary').click();
    expect(await body.isVisible()).toBe(true);
    expect(await body.textContent()).toContain('+workers 8');
    await page.locator('button[data-open-diffs="true"]').click();
    expect(await page.locator('details.diff[open]').count()).toBe(await page.locator('details.diff').count());
    await page.locator('button[data-open-diffs="false"]').click();
    expect(await page.locator('details.diff[open]').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('hosts that change the same way are shown once, with their names; a failure shows its message', async () => {
    let page = await openReport(FIXTURE);
    const groups = page.locator('#changes .task').first().locator('.group');
    expect(await groups.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-hosts')))).toEqual(['web1 web2', 'web3']);
    page = await openReport(FAILED_RUN);
    expect(await page.locator('#failures .group[data-hosts="web3"] pre.msg').textContent()).toContain('failed (exit 1)');
    expect(await page.locator('.lane[data-host="web3"] .seg.failed').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(others).toEqual([]);
  });

  it("the keepalived job's dry run: identical changes shown once for the three nodes, each node's own config apart", async () => {
    const page = await openReport(KEEPALIVED);
    const hostsOf = (task: string) =>
      page
        .locator('#changes .task', { has: page.locator('h3', { hasText: task }) })
        .locator('.group')
        .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-hosts')));
    expect(await hostsOf('keepalived source, checksum verified')).toEqual(['rp-master rp-backup0 rp-backup1']);
    expect(await hostsOf('keepalived.conf, checked with keepalived -t')).toEqual(['rp-master', 'rp-backup0', 'rp-backup1']);
    expect(await page.content()).not.toContain('keep520');
    expect(errors).toEqual([]);
    expect(others).toEqual([]);
    // REPORT_SCREENSHOT=docs/report.png redraws the README's picture from this page.
    const shot = process.env.REPORT_SCREENSHOT;
    if (shot) {
      await page.setViewportSize({ width: 1100, height: 1500 });
      await page.locator('#changes details.diff').nth(1).locator('summary').click();
      await page.screenshot({ path: shot });
    }
  });
});
