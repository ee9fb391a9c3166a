import { changesByTask, failuresByTask, type TaskOutcomes, totals } from './change-groups.js';
import { formatDuration } from './format.js';
import { escapeHtml } from './html.js';
import type { RecordedDiff, RunRecord } from './run-record.js';
import { RUN_RECORD_FORMAT } from './run-record.js';

/** GitHub refuses comments past 65,536 characters; GitLab's limit is larger. Diffs stop before it. */
export const MARKDOWN_BUDGET = 60_000;

const STATS = ['ok', 'changed', 'failed', 'skipped', 'unreachable'] as const;

/** Text that Markdown would read as markup (or a table cell border), made literal. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#~]/g, '\\$&').replace(/\n/g, ' ');
}

/** A fence longer than any run of backticks inside, so no content can close it. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`;
}

const hosts = (names: string[]) => names.map((h) => `\`${h.replace(/`/g, "'")}\``).join(' ');

function summaryTable(r: RunRecord): string[] {
  const t = totals(r);
  return [
    `| host | ${STATS.join(' | ')} |`,
    `| --- | ${STATS.map(() => '---:').join(' | ')} |`,
    ...r.hosts.map((h) => `| ${escapeMarkdown(h.name)} | ${STATS.map((s) => h.stats[s]).join(' | ')} |`),
    `| **${t.hosts} host${t.hosts === 1 ? '' : 's'}** | ${STATS.map((s) => `**${t[s]}**`).join(' | ')} |`,
  ];
}

/** A collapsible diff, or a line saying it was left out once the comment's budget is spent. */
function diffBlock(d: RecordedDiff, budget: { left: number }): string[] {
  const lines = d.diff.split('\n');
  const added = lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
  const removed = lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
  const head = `<code>${escapeHtml(d.path)}</code> +${added} −${removed}`;
  const body = fenced(d.diff, 'diff');
  if (body.length > budget.left) return [`- ${head}: diff left out (too long for a comment; see the HTML report)`];
  budget.left -= body.length;
  return [`<details><summary>${head}</summary>`, '', body, '', '</details>'];
}

function outcomes(list: TaskOutcomes[], failure: boolean, budget: { left: number }): string[] {
  const out: string[] = [];
  for (const o of list) {
    out.push('', `**${o.handler ? 'handler: ' : ''}${escapeMarkdown(o.task)}** · _${escapeMarkdown(o.play)}_`);
    for (const g of o.groups) {
      const t = g.task;
      out.push('', `${hosts(g.hosts)}${failure ? `: ${t.status}` : ''}`);
      if (t.changes?.length) out.push(...t.changes.map((c) => `- ${escapeMarkdown(c)}`));
      if (failure && t.msg) {
        const msg = fenced(t.msg.length > 2000 ? `${t.msg.slice(0, 2000)}\n…` : t.msg);
        budget.left -= msg.length;
        out.push('', msg);
      }
      for (const d of t.diffs ?? []) out.push(...diffBlock(d, budget));
    }
  }
  return out;
}

/** The run report in Markdown, compact enough for a merge-request comment: summary table, grouped changes, diffs folded. */
export function renderMarkdown(r: RunRecord): string {
  const t = totals(r);
  const what = r.kind === 'up' && r.check ? 'check' : r.kind;
  const facts = [
    r.check ? 'dry run: nothing was changed' : '',
    r.durationMs !== undefined ? `took ${formatDuration(r.durationMs)}` : '',
    r.complete ? '' : '**incomplete: the run stopped before its recap**',
  ].filter(Boolean);
  const lines = [
    `<!-- ${RUN_RECORD_FORMAT} v${r.version} -->`,
    `### provision ${what}${r.playbook ? `: ${escapeMarkdown(r.playbook)}` : ''}`,
    '',
    `${t.hosts} host${t.hosts === 1 ? '' : 's'}, ${t.changed} ${r.check ? 'would change' : 'changed'}, ${t.failed} failed, ${t.unreachable} unreachable${facts.length ? ` · ${facts.join(' · ')}` : ''}`,
    '',
    ...summaryTable(r),
  ];
  const budget = { left: MARKDOWN_BUDGET - lines.join('\n').length };
  const failures = failuresByTask(r);
  if (failures.length) lines.push('', '#### Failures', ...outcomes(failures, true, budget));
  const changes = changesByTask(r);
  lines.push('', `#### ${r.check ? 'Changes that would be made' : 'Changes'}`);
  if (changes.length) lines.push(...outcomes(changes, false, budget));
  else lines.push('', r.check ? 'Nothing would change.' : 'Nothing changed.');
  if (r.interrupted)
    lines.push('', `Interrupted while running: ${r.interrupted.map((i) => `\`${i.host}\` ${escapeMarkdown(i.task)}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
