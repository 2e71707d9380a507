/** The lab pages' stylesheet (served as `/assets/style.css`): plain CSS, system fonts, no framework. */
export const LAB_CSS = `
:root { --ink: #1d232a; --muted: #5f6b76; --line: #e2e6ea; --soft: #f5f7f9; --accent: #2f6f9f; --accent-soft: #e8f1f8;
  --good: #276e4a; --bad: #c0392b; --warn: #9a6700; --radius: 8px; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fbfcfd; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
a { color: var(--accent); }
code { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: var(--soft); padding: 1px 4px; border-radius: 3px; }
.topbar { background: #fff; border-bottom: 1px solid var(--line); }
.topbar nav { max-width: 1120px; margin: 0 auto; padding: 0 24px; display: flex; align-items: center; gap: 4px; height: 52px; }
.topbar .brand { font-weight: 700; margin-right: 20px; color: var(--ink); text-decoration: none; letter-spacing: -0.01em; }
.topbar .brand span { color: #d35400; }
.topbar a.tab { color: var(--muted); text-decoration: none; padding: 14px 12px; border-bottom: 2px solid transparent; }
.topbar a.tab:hover { color: var(--ink); }
.topbar a.tab.current { color: var(--ink); border-bottom-color: var(--accent); font-weight: 600; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 24px 64px; }
h1 { font-size: 24px; margin: 4px 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 0 0 8px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
.muted { color: var(--muted); }
.card { background: #fff; border: 1px solid var(--line); border-radius: var(--radius); padding: 16px 18px; margin: 0 0 16px; }
.card > header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 14px; margin-bottom: 8px; }
.card > header h2, .card > header h3 { margin: 0; }
.card > header button { margin-left: auto; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; background: var(--soft); color: var(--muted); }
.badge.running, .badge.stopping { background: var(--accent-soft); color: var(--accent); }
.badge.queued { background: #fff4d6; color: var(--warn); }
.badge.done { background: #e6f4ec; color: var(--good); }
.badge.failed, .badge.stopped, .badge.cancelled { background: #fbe9e7; color: var(--bad); }
table.summary { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0 10px; }
table.summary th, table.summary td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; }
table.summary th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; }
table.summary td.num, table.summary th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.run-body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 420px); gap: 16px; align-items: start; }
.run-body img { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.files { font-size: 13px; color: var(--muted); margin: 4px 0 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; max-width: 100%; }
.what-inline { display: none; }
.card > header h2 { overflow-wrap: anywhere; }
.files a { margin-right: 10px; }
.problem { color: var(--warn); font-size: 14px; }
.empty { padding: 28px; text-align: center; color: var(--muted); border: 1px dashed var(--line); border-radius: var(--radius); background: #fff; }
.notice { padding: 10px 14px; border-radius: 6px; margin: 0 0 14px; font-size: 14px; }
.notice.info { background: var(--accent-soft); color: #1e4d70; }
.notice.warn { background: #fff4d6; color: #6b4a00; }
.notice.error { background: #fbe9e7; color: #8e2a1e; }
.live-runs { display: grid; gap: 6px; margin: 8px 0 10px; }
.live-run { display: grid; grid-template-columns: 150px minmax(120px, 1fr) auto; gap: 10px; align-items: center; font-size: 13px; }
.live-run .name { font-weight: 600; display: flex; align-items: center; gap: 6px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.live-run .swatch { width: 10px; height: 10px; border-radius: 2px; flex: none; }
.live-run .stats { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.live-run[data-status=failed] .stats { grid-column: 1 / -1; white-space: normal; overflow-wrap: anywhere; }
.bar { height: 8px; background: var(--soft); border-radius: 4px; overflow: hidden; }
.bar > div { height: 100%; background: var(--accent); width: 0; transition: width 0.2s; }
svg.chart { width: 100%; height: auto; display: block; background: #fff; }
svg.chart .grid { stroke: #e3e3e3; stroke-width: 1; }
svg.chart .axis { fill: var(--muted); font-size: 11px; }
button, .button { font: inherit; font-size: 14px; padding: 7px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
button:disabled, button[aria-disabled=true] { opacity: 0.5; cursor: default; }
form.train { display: grid; gap: 14px; }
fieldset { border: 1px solid var(--line); border-radius: var(--radius); padding: 12px 16px 14px; margin: 0; background: #fff; }
legend { font-weight: 600; padding: 0 6px; }
.checks { display: flex; flex-wrap: wrap; gap: 6px 18px; }
.checks label { display: flex; gap: 6px; align-items: baseline; font-size: 14px; }
.checks small { color: var(--muted); }
.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px 16px; align-items: end; }
.fields label { display: grid; gap: 3px; font-size: 13px; color: var(--muted); min-width: 0; }
.fields input, .fields select { width: 100%; min-width: 0; }
.fields label.inline { display: flex; gap: 6px; align-items: center; padding-bottom: 8px; color: var(--ink); font-size: 14px; }
.fields label.inline input { width: auto; }
.field-error { display: block; color: var(--bad); font-size: 13px; line-height: 1.35; margin-top: 4px; }
.fields > .field-error { grid-column: 1 / -1; margin-top: -4px; }
.fields label .field-error { margin-top: 1px; }
input[type=text], input[type=number], select { font: inherit; font-size: 14px; padding: 6px 8px; border: 1px solid #c9d1d8; border-radius: 6px; background: #fff; color: var(--ink); }
.actions { display: flex; gap: 10px; align-items: center; }
.draw-layout { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 24px; align-items: start; }
.pad { display: grid; gap: 10px; justify-items: start; }
canvas.pad-canvas { width: 280px; height: 280px; background: #000; border-radius: 6px; touch-action: none; cursor: crosshair; box-shadow: 0 0 0 1px var(--line); }
.preview-row { display: flex; gap: 12px; align-items: center; font-size: 13px; color: var(--muted); }
canvas.preview { width: 84px; height: 84px; image-rendering: pixelated; background: #000; border-radius: 4px; }
.prediction { font-size: 15px; margin: 0 0 10px; min-height: 1.5em; }
.prediction strong { font-size: 40px; line-height: 1; vertical-align: middle; margin: 0 6px; }
.bars { display: grid; gap: 5px; max-width: 460px; }
.bars .row { display: grid; grid-template-columns: 18px minmax(0, 1fr) 56px; gap: 8px; align-items: center; font-variant-numeric: tabular-nums; font-size: 14px; }
.bars .row .track { height: 18px; background: var(--soft); border-radius: 3px; overflow: hidden; }
.bars .row .fill { height: 100%; width: 0; background: #9fb7ca; transition: width 0.08s; }
.bars .row.top .fill { background: var(--accent); }
.bars .row .pct { text-align: right; color: var(--muted); font-size: 13px; }
table.compare { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
table.compare th, table.compare td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: right; }
.scroll { max-height: 260px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; display: inline-block; }
.verdict { font-weight: 600; }
.verdict.good { color: var(--good); }
.verdict.bad { color: var(--bad); }
@media (max-width: 760px) {
  .run-body, .draw-layout { grid-template-columns: minmax(0, 1fr); }
  .live-run { grid-template-columns: 110px 1fr; }
  .live-run .stats { grid-column: 1 / -1; white-space: normal; }
  /* "What changed" becomes a line under the variant's name, so that the accuracy stays on screen. */
  table.summary th.what, table.summary td.what { display: none; }
  .what-inline { display: block; min-width: 8.5em; font-size: 12px; line-height: 1.35; color: var(--muted); }
}
`;
