/** The report page's stylesheet, inlined so the page opens from disk with no network (system fonts only). */
export const REPORT_CSS = `
:root { --ink: #1d232a; --muted: #5f6b76; --line: #e2e6ea; --soft: #f5f7f9; --accent: #2f6f9f; --good: #276e4a; --bad: #c0392b; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 32px 24px 64px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 16px; margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 19px; margin: 40px 0 12px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
p.lead { color: var(--muted); margin: 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 0; font-size: 13px; color: var(--muted); }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
code { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: var(--soft); padding: 1px 4px; border-radius: 3px; }
table.results { border-collapse: collapse; width: 100%; font-size: 14px; }
table.results th, table.results td { padding: 8px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.results th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; }
table.results td.num, table.results th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.results tr.best td { background: #eef6f1; }
table.results td.ours { font-weight: 650; }
.delta-up { color: var(--good); } .delta-down { color: var(--bad); }
.note { font-size: 13px; color: var(--muted); margin: 8px 0 0; }
figure { margin: 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 6px; }
.plots { display: grid; grid-template-columns: 1fr; gap: 28px; margin-top: 28px; }
.scroll { overflow-x: auto; }
table.results th.what { min-width: 220px; }
.what-inline { display: none; }
@media (max-width: 640px) {
  main { padding: 20px 12px 48px; }
  table.results th, table.results td { padding: 6px 6px; }
  table.results th.what, table.results td.what { display: none; }
  .what-inline { display: block; min-width: 8.5em; font-size: 12px; line-height: 1.35; color: var(--muted); margin-top: 2px; }
}
.wrong { display: flex; flex-wrap: wrap; gap: 12px; }
.wrong figure { width: 96px; text-align: center; }
.wrong figure img { width: 84px; height: 84px; margin: 0 auto; image-rendering: pixelated; border-radius: 4px; }
.wrong figcaption { margin-top: 2px; color: var(--ink); font-variant-numeric: tabular-nums; }
.wrong figcaption small { display: block; color: var(--muted); font-size: 11px; }
table.confusion { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
table.confusion caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: 8px; }
table.confusion th, table.confusion td { width: 52px; height: 34px; text-align: center; border: 1px solid #fff; }
table.confusion th { color: var(--muted); font-weight: 600; background: var(--soft); }
table.confusion th.corner { width: auto; font-size: 11px; font-weight: 500; padding: 0 8px; white-space: nowrap; }
table.confusion td.dark { color: #fff; }
table.confusion td.acc, table.confusion th.acc { width: 64px; background: var(--soft); color: var(--ink); }
details { margin-top: 12px; } summary { cursor: pointer; color: var(--accent); }
footer { margin-top: 48px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); padding-top: 12px; }
`;
