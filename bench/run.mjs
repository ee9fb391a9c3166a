#!/usr/bin/env node
// provision against Ansible, side by side on the same lab, one after the other.
//   npm run bench                       # everything
//   npm run bench -- --only keepalived  # or: --only scale
//   npm run bench -- --repeats 5 --first-repeats 2 --sizes 10,50,100,200 --forks 50
//   npm run bench -- --only keepalived --inventory my-lab.yaml   # the keepalived job on other lab hosts
// The no-op re-run is measured under both strategies: linear (the default of both tools) and free
// (provision: `strategy: free` added to each play of a copy of the playbook; Ansible: ANSIBLE_STRATEGY=free).
// Prints a table with both tools and their ratio, and writes bench/results/bench.json and a plot.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const RESULTS = join(ROOT, 'bench', 'results');
const args = parseArgs(process.argv.slice(2));
const REPEATS = Number(args.repeats ?? 5);
const FIRST_REPEATS = Number(args['first-repeats'] ?? 1);
const SIZES = String(args.sizes ?? '10,50,100,200')
  .split(',')
  .map(Number);
const SCALE_FORKS = Number(args.forks ?? 50);
const KEEPALIVED_INVENTORY = resolve(ROOT, String(args.inventory ?? 'inventory/lab.yaml'));
// Where `provision lab light up` writes the keys of the light hosts it makes.
const LIGHT_KNOWN_HOSTS = '/var/lib/provision-light/known_hosts';

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++)
    if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[i + 1]?.startsWith('--') || argv[i + 1] === undefined ? true : argv[++i];
  return out;
}

function log(line) {
  process.stderr.write(`[bench] ${line}\n`);
}

function sh(cmd, cmdArgs, opts = {}) {
  return execFileSync(cmd, cmdArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024, ...opts }).toString();
}

/** Run a command, timed, with its peak memory (GNU time) and its output. */
function timed(cmd, cmdArgs, env = {}) {
  return new Promise((resolvePromise) => {
    const memFile = join(tmpdir(), `bench-mem-${process.pid}`);
    const t0 = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', memFile, cmd, ...cmdArgs], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const peakKb = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop());
      resolvePromise({ code, ms, peakMb: peakKb / 1024, stdout, stderr });
    });
  });
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1], runs: s.length };
}

function ensureTools() {
  const missing = ['ansible-core', 'time'].filter((p) => {
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
      return !sh('dpkg-query', ['-W', '-f=${Status}', p]).includes('install ok installed');
    } catch {
      return true; // dpkg-query fails for a package it has never seen
    }
  });
  if (missing.length) {
    log(`installing ${missing.join(' ')} from Debian`);
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  if (!existsSync(join(ROOT, 'dist', 'provision.cjs'))) sh('npm', ['run', 'build']);
}

const provision = (...a) => ['node', [join(ROOT, 'bin', 'provision.js'), ...a]];

/** Ansible's inventory: the same file, without provision's `!secret` tag that Ansible's YAML loader refuses. */
function ansibleInventory(src, dir) {
  const file = join(dir, 'ansible-inventory.yaml');
  writeFileSync(file, readFileSync(src, 'utf8').replace(/!secret /g, ''));
  return file;
}

function ansibleEnv(sshLog) {
  return {
    ANSIBLE_CONFIG: join(ROOT, 'bench', 'ansible', 'ansible.cfg'),
    ANSIBLE_SSH_EXECUTABLE: join(ROOT, 'bench', 'ssh-counter'),
    ANSIBLE_NOCOLOR: '1',
    BENCH_SSH_LOG: sshLog,
  };
}

function countLines(file) {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

function ansibleChanged(stdout) {
  return [...stdout.matchAll(/changed=(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
}

/** One measured run of each tool; returns ms, peak memory, changes and round trips. */
async function runProvision(inv, playbook, extra = [], env = {}, command = 'up') {
  const r = await timed(...provision(command, inv, '--playbook', playbook, '--json', ...extra), env);
  const events = r.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const results = events.filter((e) => e.event === 'task_result');
  const recap = events.at(-1);
  if (r.code !== 0 && r.code !== 6) throw new Error(`provision failed (${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr}`);
  return {
    ms: r.ms,
    peakMb: r.peakMb,
    changed: Object.values(recap.hosts).reduce((a, h) => a + h.changed, 0),
    roundTrips: results.reduce((a, e) => a + e.roundTrips, 0),
    taskRuns: results.length,
  };
}

async function runAnsible(inv, playbook, extra = [], env = {}) {
  const sshLog = join(tmpdir(), `bench-ssh-${process.pid}-${Date.now()}`);
  const r = await timed('ansible-playbook', ['-i', inv, playbook, ...extra], { ...ansibleEnv(sshLog), ...env });
  if (r.code !== 0) throw new Error(`ansible-playbook failed (${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  const taskRuns = (r.stdout.match(/^(ok|changed|skipping): \[/gm) ?? []).length;
  const out = { ms: r.ms, peakMb: r.peakMb, changed: ansibleChanged(r.stdout), roundTrips: countLines(sshLog), taskRuns };
  rmSync(sshLog, { force: true });
  return out;
}

async function repeat(n, fn) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(await fn(i));
  return runs;
}

function summarize(name, runsP, runsA) {
  const p = stats(runsP.map((r) => r.ms));
  const a = stats(runsA.map((r) => r.ms));
  const perTask = (runs) =>
    runs.reduce((x, r) => x + r.roundTrips, 0) /
    Math.max(
      1,
      runs.reduce((x, r) => x + r.taskRuns, 0),
    );
  return {
    name,
    provision: {
      ...p,
      peakMb: Math.max(...runsP.map((r) => r.peakMb)),
      changed: runsP.map((r) => r.changed),
      roundTripsPerTask: perTask(runsP),
    },
    ansible: {
      ...a,
      peakMb: Math.max(...runsA.map((r) => r.peakMb)),
      changed: runsA.map((r) => r.changed),
      roundTripsPerTask: perTask(runsA),
    },
    ratio: a.median / p.median,
  };
}

async function freshKeepalivedHosts() {
  sh(...provision('lab', 'down', KEEPALIVED_INVENTORY));
  sh(...provision('lab', 'up', KEEPALIVED_INVENTORY));
  // Ansible needs Python (and python3-apt for its apt module) on the hosts; provision needs
  // neither. Installed before either tool is timed, so both start from the same hosts.
  const dir = mkdtempSync(join(tmpdir(), 'bench-py-'));
  const pb = join(dir, 'python.yaml');
  writeFileSync(pb, '- hosts: all\n  gather_facts: false\n  tasks:\n    - apt: { name: [python3, python3-apt], update_cache: true }\n');
  sh(...provision('up', KEEPALIVED_INVENTORY, '--playbook', pb, '--no-lint'));
}

/** The playbook with `strategy: free` on every play, beside the original (its paths are relative to it). */
function freePlaybook(pb) {
  const file = join(dirname(pb), `.bench-free-${process.pid}.yaml`);
  const text = readFileSync(pb, 'utf8').replace(/^- name: (.*)$/gm, '- name: $1\n  strategy: free');
  if (!text.includes('strategy: free')) throw new Error(`${pb}: no "- name:" play to mark free`);
  writeFileSync(file, text);
  return file;
}

async function keepalivedBench() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ka-'));
  const invP = KEEPALIVED_INVENTORY;
  const invA = ansibleInventory(invP, dir);
  const pbP = join(ROOT, 'playbooks', 'site.yaml');
  const pbA = join(ROOT, 'bench', 'ansible', 'site.yml');
  const rows = [];

  log(`first run on fresh hosts (${FIRST_REPEATS}x each)`);
  const firstP = [];
  const firstA = [];
  for (let i = 0; i < FIRST_REPEATS; i++) {
    await freshKeepalivedHosts();
    firstA.push(await runAnsible(invA, pbA));
    await freshKeepalivedHosts();
    firstP.push(await runProvision(invP, pbP));
  }
  if (FIRST_REPEATS > 0) rows.push(summarize('keepalived: first run, 3 fresh hosts', firstP, firstA));

  log(`no-op re-run (${REPEATS}x each, linear and free)`);
  await runAnsible(invA, pbA); // each tool settles whatever the other left in its own spelling
  await runProvision(invP, pbP);
  rows.push(
    summarize(
      'keepalived: no-op re-run, 3 hosts, linear',
      await repeat(REPEATS, () => runProvision(invP, pbP)),
      await repeat(REPEATS, () => runAnsible(invA, pbA)),
    ),
  );
  const pbFree = freePlaybook(pbP);
  try {
    rows.push(
      summarize(
        'keepalived: no-op re-run, 3 hosts, free',
        await repeat(REPEATS, () => runProvision(invP, pbFree)),
        await repeat(REPEATS, () => runAnsible(invA, pbA, [], { ANSIBLE_STRATEGY: 'free' })),
      ),
    );
  } finally {
    rmSync(pbFree, { force: true });
  }

  log(`--check --diff after one variable changes (${REPEATS}x each)`);
  const changedP = join(dir, 'lab-changed.yaml');
  writeFileSync(changedP, readFileSync(invP, 'utf8').replace('keepalived_priority: 130', 'keepalived_priority: 135'));
  const changedA = ansibleInventory(changedP, dir);
  rows.push(
    summarize(
      'keepalived: --check --diff, 1 variable changed',
      await repeat(REPEATS, () => runProvision(changedP, pbP, ['--check', '--diff'])),
      await repeat(REPEATS, () => runAnsible(changedA, pbA, ['--check', '--diff'])),
    ),
  );
  log(`plan and apply of the no-op job (${REPEATS}x each; Ansible's nearest: --check, and the no-op re-run)`);
  const planFile = join(dir, 'plan.json');
  rows.push(
    summarize(
      'keepalived: plan, no-op (Ansible: --check)',
      await repeat(REPEATS, () => runProvision(invP, pbP, ['--out', planFile], {}, 'plan')),
      await repeat(REPEATS, () => runAnsible(invA, pbA, ['--check'])),
    ),
  );
  rows.push(
    summarize(
      'keepalived: apply of the no-op plan (Ansible: no-op re-run)',
      await repeat(REPEATS, () => runApply(planFile)),
      await repeat(REPEATS, () => runAnsible(invA, pbA)),
    ),
  );
  return rows;
}

/** `provision apply` of a saved plan: time and memory (a no-op plan makes no task runs). */
async function runApply(planFile) {
  const r = await timed(...provision('apply', planFile, '--json'));
  if (r.code !== 0) throw new Error(`provision apply failed (${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr}`);
  return { ms: r.ms, peakMb: r.peakMb, changed: 0, roundTrips: 0, taskRuns: 0 };
}

async function scaleBench() {
  const rows = [];
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  sh(...provision('lab', 'up', 'inventory/lab.yaml')); // the bridge, the key and the apt cache
  for (const n of SIZES) {
    const inv = join(dir, `light-${n}.yaml`);
    sh(...provision('lab', 'light', 'up', String(n), '--inventory', inv));
    const invA = join(dir, `light-${n}-ansible.yaml`);
    writeFileSync(invA, readFileSync(inv, 'utf8'));
    const forks = String(SCALE_FORKS);
    // Both tools check the light hosts' keys against the file the lab wrote when it made them.
    const lightSsh = {
      ANSIBLE_SSH_ARGS: `-o ControlMaster=auto -o ControlPersist=120s -o UserKnownHostsFile=${LIGHT_KNOWN_HOSTS} -o StrictHostKeyChecking=yes`,
    };
    // Settle both: the first runs make the files.
    await runProvision(inv, join(ROOT, 'bench', 'scale', 'site.yaml'), ['--forks', forks]);
    await runAnsible(invA, join(ROOT, 'bench', 'scale', 'site.yml'), ['--forks', forks], lightSsh);
    log(`scale: ${n} light hosts, no-op re-run (${REPEATS}x each, forks ${forks})`);
    const p = await repeat(REPEATS, () => runProvision(inv, join(ROOT, 'bench', 'scale', 'site.yaml'), ['--forks', forks]));
    const a = await repeat(REPEATS, () => runAnsible(invA, join(ROOT, 'bench', 'scale', 'site.yml'), ['--forks', forks], lightSsh));
    rows.push({ hosts: n, ...summarize(`scale: ${n} light hosts, no-op re-run`, p, a) });
  }
  sh(...provision('lab', 'light', 'down'));
  return rows;
}

function table(rows) {
  const f = (ms) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`);
  const lines = [
    `${'benchmark'.padEnd(48)} ${'provision (min/median/max)'.padEnd(32)} ${'ansible (min/median/max)'.padEnd(32)} ${'ratio'.padStart(7)}  round trips/task (p/a)  peak MB (p/a)`,
  ];
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(48)} ${`${f(r.provision.min)} / ${f(r.provision.median)} / ${f(r.provision.max)}`.padEnd(32)} ${`${f(r.ansible.min)} / ${f(r.ansible.median)} / ${f(r.ansible.max)}`.padEnd(32)} ${`${r.ratio.toFixed(1)}x`.padStart(7)}  ${`${r.provision.roundTripsPerTask.toFixed(2)} / ${r.ansible.roundTripsPerTask.toFixed(2)}`.padEnd(22)}  ${r.provision.peakMb.toFixed(0)} / ${r.ansible.peakMb.toFixed(0)}`,
    );
  }
  return lines.join('\n');
}

/** Time against host count for both tools, as an SVG line chart drawn by Vega (no browser needed). */
async function plot(rows) {
  const { parse, View } = await import('vega');
  const values = rows.flatMap((r) => [
    { hosts: r.hosts, tool: 'provision', seconds: r.provision.median / 1000 },
    { hosts: r.hosts, tool: 'Ansible', seconds: r.ansible.median / 1000 },
  ]);
  const encode = (mark) => ({
    enter: {
      x: { scale: 'x', field: 'hosts' },
      y: { scale: 'y', field: 'seconds' },
      ...(mark === 'line'
        ? { stroke: { scale: 'tool', field: 'tool' }, strokeWidth: { value: 2 } }
        : { fill: { scale: 'tool', field: 'tool' } }),
    },
  });
  const spec = {
    width: 520,
    height: 300,
    padding: 10,
    background: 'white',
    title: { text: `No-op re-run: seconds (median) against host count, forks ${SCALE_FORKS}` },
    data: [{ name: 'runs', values }],
    scales: [
      { name: 'x', type: 'linear', domain: { data: 'runs', field: 'hosts' }, range: 'width', zero: true, nice: true },
      { name: 'y', type: 'linear', domain: { data: 'runs', field: 'seconds' }, range: 'height', zero: true, nice: true },
      { name: 'tool', type: 'ordinal', domain: ['Ansible', 'provision'], range: ['#c0392b', '#2471a3'] },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: 'hosts', values: rows.map((r) => r.hosts) },
      { orient: 'left', scale: 'y', title: 'seconds', grid: true },
    ],
    legends: [{ stroke: 'tool', fill: 'tool', orient: 'top-left' }],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'series', data: 'runs', groupby: 'tool' } },
        marks: [
          { type: 'line', from: { data: 'series' }, encode: encode('line') },
          { type: 'symbol', from: { data: 'series' }, encode: encode('symbol') },
        ],
      },
    ],
  };
  return new View(parse(spec), { renderer: 'none' }).toSVG();
}

/**
 * How fast this machine is while the bench runs: the same fixed CPU loop and provision's start-up,
 * timed before and after. The lab machine's speed varies several-fold from day to day, and Ansible
 * slows with it, so a time is only comparable with times taken beside the same reference.
 */
async function machineReference() {
  const loop = await repeat(5, () => timed('node', ['-e', 'let s = 0; for (let i = 0; i < 1e8; i++) s += i;']));
  const start = await repeat(5, () => timed(...provision('--version')));
  return { cpuLoopMs: stats(loop.map((r) => r.ms)).median, startupMs: stats(start.map((r) => r.ms)).median };
}

/** The speed budget every issue holds to: the linear no-op re-run ≤ 1.0 s median and ≥ 10× Ansible. */
function budgetLine(rows) {
  const row = rows.find((r) => r.name.startsWith('keepalived: no-op re-run, 3 hosts, linear'));
  if (!row) return undefined;
  const abs = row.provision.median <= 1000;
  const rel = row.ratio >= 10;
  return `budget (linear no-op re-run ≤ 1.0 s median and ≥ 10x Ansible): ${(row.provision.median / 1000).toFixed(2)} s ${abs ? 'holds' : 'OVER'}, ${row.ratio.toFixed(1)}x ${rel ? 'holds' : 'UNDER'}`;
}

async function main() {
  if (args.help) {
    console.log('usage: npm run bench [-- --only keepalived|scale] [--repeats N] [--first-repeats N] [--sizes 10,50,100,200] [--forks N]');
    return;
  }
  if (process.getuid() !== 0) throw new Error('the bench boots lab hosts and needs root');
  ensureTools();
  mkdirSync(RESULTS, { recursive: true });
  const reference = await machineReference();
  const only = args.only;
  const keepalived = only && only !== 'keepalived' ? [] : await keepalivedBench();
  const scale = only && only !== 'scale' ? [] : await scaleBench();
  const rows = [...keepalived, ...scale];
  const machine = { before: reference, after: await machineReference() };
  const f = (r) => `CPU loop ${r.cpuLoopMs.toFixed(0)} ms, provision start-up ${r.startupMs.toFixed(0)} ms`;
  const budget = budgetLine(rows);
  const text = [table(rows), `machine before: ${f(machine.before)}; after: ${f(machine.after)}`, ...(budget ? [budget] : [])].join('\n');
  console.log(text);
  writeFileSync(
    join(RESULTS, 'bench.json'),
    JSON.stringify(
      { date: new Date().toISOString(), repeats: REPEATS, firstRepeats: FIRST_REPEATS, forks: SCALE_FORKS, machine, rows },
      null,
      2,
    ),
  );
  writeFileSync(join(RESULTS, 'bench.txt'), `${text}\n`);
  if (scale.length) writeFileSync(join(RESULTS, 'scale.svg'), await plot(scale));
  log(`written: ${RESULTS}/bench.json, bench.txt${scale.length ? ', scale.svg' : ''}`);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
