/** The report's whole style sheet, inlined: the file loads nothing (no fonts, no CDN) and works offline. */
export const REPORT_CSS = `
:root { --ok: #2e7d32; --changed: #b26a00; --failed: #c62828; --skipped: #78909c; --unreachable: #6a1b9a;
  --bg: #fff; --fg: #1d2125; --muted: #5f6b76; --line: #d8dee4; --soft: #f5f7f9; color-scheme: light dark; }
@media (prefers-color-scheme: dark) { :root { --bg: #15191d; --fg: #e6e9ec; --muted: #9aa5b1; --line: #2f3740; --soft: #1e242a; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 1.5rem; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 0 0 .4rem; }
.meta, .muted { color: var(--muted); }
.banner { display: inline-block; padding: .1rem .5rem; border-radius: 4px; font-weight: 600; background: var(--soft); border: 1px solid var(--line); }
table { border-collapse: collapse; }
th, td { padding: .3rem .7rem; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { font-weight: 600; color: var(--muted); }
tfoot th, tfoot td { font-weight: 600; border-top: 2px solid var(--line); }
td.nonzero[data-stat="changed"] { color: var(--changed); font-weight: 600; }
td.nonzero[data-stat="failed"] { color: var(--failed); font-weight: 600; }
td.nonzero[data-stat="unreachable"] { color: var(--unreachable); font-weight: 600; }
.tiles { display: flex; gap: .6rem; flex-wrap: wrap; margin: .6rem 0 1rem; }
.tile { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; min-width: 6.5rem; }
.tile b { display: block; font-size: 1.3rem; }
.tile.changed b { color: var(--changed); } .tile.failed b { color: var(--failed); } .tile.unreachable b { color: var(--unreachable); }
.host { display: inline-block; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--soft);
  border: 1px solid var(--line); border-radius: 3px; padding: 0 .35rem; margin: 0 .2rem .2rem 0; }
.task { border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; margin: 0 0 .8rem; }
.task .play { color: var(--muted); font-weight: normal; font-size: .85rem; margin-left: .4rem; }
.group { border-left: 3px solid var(--changed); padding: .2rem 0 .2rem .7rem; margin: .5rem 0; }
.failures .group { border-left-color: var(--failed); }
.group ul { margin: .3rem 0; padding-left: 1.2rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
details.diff { margin: .3rem 0; }
details.diff > summary { cursor: pointer; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
pre { margin: .3rem 0; padding: .5rem .7rem; background: var(--soft); border: 1px solid var(--line); border-radius: 4px;
  overflow-x: auto; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre; }
pre .add { color: var(--ok); } pre .del { color: var(--failed); } pre .hunk { color: #1565c0; } pre .file { color: var(--muted); }
pre.msg { white-space: pre-wrap; }
details.slowest { margin-top: .8rem; } details.slowest > summary { cursor: pointer; color: var(--muted); }
.toolbar { margin: .3rem 0 .8rem; } button { font: inherit; padding: .15rem .6rem; cursor: pointer; }
.lanes { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr max-content; gap: .35rem .7rem; align-items: center; }
.lane { position: relative; height: 18px; background: var(--soft); border: 1px solid var(--line); border-radius: 3px; overflow: hidden; }
.seg { position: absolute; top: 0; bottom: 0; min-width: 2px; border-right: 1px solid var(--bg); }
.seg.ok { background: var(--ok); } .seg.changed { background: var(--changed); } .seg.failed { background: var(--failed); }
.seg.skipped { background: var(--skipped); } .seg.unreachable { background: var(--unreachable); }
.legend span { display: inline-block; margin-right: .8rem; } .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .25rem; vertical-align: -1px; }
.status { font-weight: 600; } .status.changed { color: var(--changed); } .status.failed { color: var(--failed); } .status.unreachable { color: var(--unreachable); }
`;

/** Expand / collapse every diff at once; the page works without it (details elements open on their own). */
export const REPORT_JS = `
document.querySelectorAll('[data-open-diffs]').forEach(function (b) {
  b.addEventListener('click', function () {
    var open = b.getAttribute('data-open-diffs') === 'true';
    document.querySelectorAll('details.diff').forEach(function (d) { d.open = open; });
  });
});
`;
