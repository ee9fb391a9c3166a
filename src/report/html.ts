import { changesByTask, failuresByTask, hostChangeSets, type TaskGroup, type TaskOutcomes, totals } from './change-groups.js';
import { formatDuration } from './format.js';
import { REPORT_CSS, REPORT_JS } from './html-style.js';
import type { RecordedDiff, RunRecord } from './run-record.js';
import { RUN_RECORD_FORMAT } from './run-record.js';

const STATS = ['ok', 'changed', 'failed', 'skipped', 'unreachable'] as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Host names as chips. */
function hostList(hosts: string[]): string {
  return hosts.map((h) => `<span class="host">${escapeHtml(h)}</span>`).join('');
}

function diffLine(line: string): string {
  const cls =
    line.startsWith('+++') || line.startsWith('---')
      ? 'file'
      : line.startsWith('@@')
        ? 'hunk'
        : line.startsWith('+')
          ? 'add'
          : line.startsWith('-')
            ? 'del'
            : '';
  return cls ? `<span class="${cls}">${escapeHtml(line)}</span>` : escapeHtml(line);
}

/** A diff, closed until clicked: a fleet's report is read by skimming the file names first. */
function renderDiff(d: RecordedDiff): string {
  const lines = d.diff.replace(/\n$/, '').split('\n');
  const added = lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
  const removed = lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
  return `<details class="diff"><summary>${escapeHtml(d.path)} <span class="muted">+${added} −${removed}</span></summary><pre>${lines.map(diffLine).join('\n')}</pre></details>`;
}

function renderGroup(g: TaskGroup, failure: boolean): string {
  const t = g.task;
  const parts = [`<div class="group" data-hosts="${escapeHtml(g.hosts.join(' '))}"><div>${hostList(g.hosts)}</div>`];
  if (failure) parts.push(`<div class="status ${t.status}">${t.status}</div>`);
  if (t.changes?.length) parts.push(`<ul>${t.changes.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>`);
  if (failure && t.msg) parts.push(`<pre class="msg">${escapeHtml(t.msg)}</pre>`);
  for (const d of t.diffs ?? []) parts.push(renderDiff(d));
  parts.push('</div>');
  return parts.join('');
}

function renderTaskOutcomes(list: TaskOutcomes[], failure: boolean): string {
  return list
    .map(
      (o) =>
        `<article class="task"><h3>${o.handler ? 'handler: ' : ''}${escapeHtml(o.task)}<span class="play">${escapeHtml(o.play)}</span></h3>${o.groups.map((g) => renderGroup(g, failure)).join('')}</article>`,
    )
    .join('');
}

function statCell(stat: string, n: number): string {
  return `<td data-stat="${stat}"${n ? ' class="nonzero"' : ''}>${n}</td>`;
}

function renderSummary(r: RunRecord): string {
  const sets = hostChangeSets(r);
  const setOf = new Map<string, number>();
  sets.forEach((s, i) => {
    for (const h of s.hosts) setOf.set(h, i);
  });
  const letter = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `#${i + 1}`);
  const rescued = r.hosts.some((h) => h.stats.rescued);
  const t = totals(r);
  const rows = r.hosts.map(
    (h) =>
      `<tr data-host="${escapeHtml(h.name)}"><th>${escapeHtml(h.name)}</th>${STATS.map((s) => statCell(s, h.stats[s])).join('')}${rescued ? statCell('rescued', h.stats.rescued ?? 0) : ''}<td data-stat="change-set">${h.stats.changed || h.tasks.some((x) => x.status === 'changed') ? letter(setOf.get(h.name) ?? 0) : '–'}</td></tr>`,
  );
  const tiles = [
    `<div class="tile"><b data-total="hosts">${t.hosts}</b>hosts</div>`,
    ...STATS.map(
      (s) => `<div class="tile ${t[s] ? s : ''}"><b data-total="${s}">${t[s]}</b>${r.check && s === 'changed' ? 'would change' : s}</div>`,
    ),
  ];
  const setLines = sets
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.changes > 0)
    .map(
      ({ s, i }) =>
        `<li><b>${letter(i)}</b> ${hostList(s.hosts)} <span class="muted">${s.changes} change${s.changes === 1 ? '' : 's'}</span></li>`,
    );
  return `<section id="summary"><h2>Summary</h2><div class="tiles">${tiles.join('')}</div>
<table id="summary-table"><thead><tr><th>host</th>${STATS.map((s) => `<th>${s}</th>`).join('')}${rescued ? '<th>rescued</th>' : ''}<th title="hosts with the same letter change the same way">change set</th></tr></thead>
<tbody>${rows.join('')}</tbody>
<tfoot><tr><th>${t.hosts} host${t.hosts === 1 ? '' : 's'}</th>${STATS.map((s) => `<td>${t[s]}</td>`).join('')}${rescued ? '<td></td>' : ''}<td>${sets.filter((s) => s.changes).length || '–'}</td></tr></tfoot></table>
${setLines.length ? `<h3 style="margin-top:1rem">Change sets</h3><ul class="sets">${setLines.join('')}</ul>` : ''}</section>`;
}

/** Where each host's time went: its tasks placed on one time axis (when the record has start times) or end to end. */
function renderTimeline(r: RunRecord): string {
  const placed = r.hosts.map((h) => {
    let cursor = 0;
    return {
      host: h,
      segs: h.tasks.map((t) => {
        const start = t.startMs ?? cursor;
        cursor = start + t.durationMs;
        return { t, start };
      }),
    };
  });
  const end = Math.max(1, r.durationMs ?? 0, ...placed.flatMap((p) => p.segs.map((s) => s.start + s.t.durationMs)));
  const pct = (ms: number) => `${((ms / end) * 100).toFixed(3)}%`;
  const lanes = placed.map(({ host, segs }) => {
    const busy = host.tasks.reduce((a, t) => a + t.durationMs, 0);
    const bars = segs
      .map(
        ({ t, start }) =>
          `<div class="seg ${t.status}" style="left:${pct(start)};width:${pct(t.durationMs)}" title="${escapeHtml(`${t.task} — ${t.status}, ${formatDuration(t.durationMs)}`)}"></div>`,
      )
      .join('');
    return `<div>${hostList([host.name])}</div><div class="lane" data-host="${escapeHtml(host.name)}">${bars}</div><div class="muted">${formatDuration(busy)}</div>`;
  });
  const slowest = r.hosts
    .flatMap((h) => h.tasks.map((t) => ({ h, t })))
    .sort((a, b) => b.t.durationMs - a.t.durationMs)
    .slice(0, 10)
    .map(
      ({ h, t }) =>
        `<tr><td>${escapeHtml(t.task)}</td><td>${hostList([h.name])}</td><td><span class="status ${t.status}">${t.status}</span></td><td>${formatDuration(t.durationMs)}</td></tr>`,
    );
  const legend = STATS.map((s) => `<span><i class="seg ${s}" style="position:static"></i>${s}</span>`).join('');
  const axis = r.hosts.some((h) => h.tasks.some((t) => t.startMs !== undefined))
    ? 'tasks at the time they ran'
    : 'tasks end to end (no start times recorded)';
  return `<section id="timeline"><h2>Timeline</h2><p class="muted">${axis}, over ${formatDuration(end)}; hover a bar for its task</p>
<p class="legend">${legend}</p><div class="lanes">${lanes.join('')}</div>
${slowest.length ? `<details class="slowest"><summary>the ${slowest.length} slowest tasks</summary><table id="slowest"><thead><tr><th>task</th><th>host</th><th>status</th><th>time</th></tr></thead><tbody>${slowest.join('')}</tbody></table></details>` : ''}</section>`;
}

function title(r: RunRecord): string {
  const what = r.kind === 'up' && r.check ? 'check' : r.kind;
  return `provision ${what}${r.playbook ? `: ${r.playbook}` : ''}`;
}

function renderHeader(r: RunRecord): string {
  const facts = [
    r.check ? '<span class="banner">dry run: nothing was changed</span>' : '',
    r.inventory ? `inventory ${escapeHtml(r.inventory)}` : '',
    r.startedAt ? `started ${escapeHtml(r.startedAt)}` : '',
    r.durationMs !== undefined ? `took ${formatDuration(r.durationMs)}` : '',
    r.complete ? '' : '<span class="status failed">incomplete: the run stopped before its recap</span>',
    r.provisionVersion ? `provision ${escapeHtml(r.provisionVersion)}` : '',
  ].filter(Boolean);
  return `<header><h1>${escapeHtml(title(r))}</h1><p class="meta">${facts.join(' · ')}</p></header>`;
}

function renderWarnings(r: RunRecord): string {
  const items = [
    ...(r.interrupted ? [`interrupted while running: ${r.interrupted.map((i) => `[${i.host}] ${i.task}`).join(', ') || 'nothing'}`] : []),
    ...r.warnings.map((w) => `${w.host ? `[${w.host}] ` : ''}${w.msg}`),
  ];
  return items.length
    ? `<section id="warnings"><h2>Warnings</h2><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul></section>`
    : '';
}

/** The record itself, for tools that read the report: `<` escaped so no text in it can end the script element. */
function embedRecord(r: RunRecord): string {
  return `<script type="application/json" id="run-record">${JSON.stringify(r).replace(/</g, '\\u003c')}</script>`;
}

/** The run report as one self-contained HTML page: no request leaves it (its CSP forbids any). */
export function renderHtml(r: RunRecord): string {
  const changes = changesByTask(r);
  const failures = failuresByTask(r);
  const changed = changes.length
    ? `<section id="changes"><h2>${r.check ? 'Changes that would be made' : 'Changes'}</h2><div class="toolbar"><button type="button" data-open-diffs="true">open all diffs</button> <button type="button" data-open-diffs="false">close all</button></div>${renderTaskOutcomes(changes, false)}</section>`
    : `<section id="changes"><h2>Changes</h2><p class="muted">${r.check ? 'nothing would change' : 'nothing changed'}</p></section>`;
  const failed = failures.length
    ? `<section id="failures" class="failures"><h2>Failures</h2>${renderTaskOutcomes(failures, true)}</section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="provision${r.provisionVersion ? ` ${escapeHtml(r.provisionVersion)}` : ''}">
<meta name="${RUN_RECORD_FORMAT}-version" content="${r.version}">
<title>${escapeHtml(title(r))}</title><style>${REPORT_CSS}</style></head>
<body>${renderHeader(r)}${renderSummary(r)}${failed}${renderTimeline(r)}${changed}${renderWarnings(r)}
${embedRecord(r)}<script>${REPORT_JS}</script></body></html>
`;
}
