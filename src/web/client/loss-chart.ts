/**
 * The live loss chart, drawn as SVG in the chapter's style: each reported loss a faint dot against the step,
 * y from 0 to 1 with grid lines, and a smoothed curve per series on top.
 */
import { movingAverage } from '../../report/smooth.js';
import { esc } from './dom.js';

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface ChartOptions {
  readonly width?: number;
  readonly height?: number;
  /** Right end of the x axis (default: the largest step among the points). */
  readonly xMax?: number;
  /** Draw the dots (default true); off for series that are already smooth. */
  readonly dots?: boolean;
  readonly xLabel?: string;
}

const PAD = { left: 44, right: 12, top: 10, bottom: 34 };

/** `12k`, `1.5M`: short labels for step counts. */
function short(n: number): string {
  if (n >= 1e6) return `${+(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${+(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Round tick values from 0 to `max` (about five). */
function ticks(max: number): number[] {
  if (max <= 0) return [0];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) out.push(t);
  return out;
}

/** The smoothing window for `n` dots: wide enough to calm one-image losses, narrow enough to follow the trend. */
export function chartWindow(n: number): number {
  return Math.max(1, Math.min(25, Math.floor(n / 6)));
}

/** SVG markup for the series. */
export function lossChartSvg(series: readonly ChartSeries[], options: ChartOptions = {}): string {
  const width = options.width ?? 720;
  const height = options.height ?? 240;
  const w = width - PAD.left - PAD.right;
  const hgt = height - PAD.top - PAD.bottom;
  const xMax = Math.max(1, options.xMax ?? Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[0]))));
  const x = (step: number): number => PAD.left + (Math.min(step, xMax) / xMax) * w;
  const y = (loss: number): number => PAD.top + (1 - Math.max(0, Math.min(1, loss))) * hgt;
  const parts: string[] = [];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${PAD.left + w}" y1="${y(t)}" y2="${y(t)}"/>`);
    parts.push(`<text class="axis" x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  }
  for (const t of ticks(xMax)) {
    parts.push(`<text class="axis" x="${x(t)}" y="${PAD.top + hgt + 16}" text-anchor="middle">${short(t)}</text>`);
  }
  parts.push(`<text class="axis" x="${PAD.left + w / 2}" y="${height - 4}" text-anchor="middle">${esc(options.xLabel ?? 'step')}</text>`);
  parts.push(`<text class="axis" transform="translate(11 ${PAD.top + hgt / 2}) rotate(-90)" text-anchor="middle">loss</text>`);
  const dots = options.dots ?? true;
  for (const s of series) {
    if (!dots) continue;
    const circles = s.points.map((p) => `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="1.6"/>`).join('');
    parts.push(`<g fill="${esc(s.color)}" fill-opacity="0.28" data-series="${esc(s.name)}">${circles}</g>`);
  }
  for (const s of series) {
    if (s.points.length < 2) continue;
    const smooth = dots ? movingAverage(s.points.map((p) => p[1]), chartWindow(s.points.length)) : s.points.map((p) => p[1]);
    const d = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(smooth[i] ?? p[1]).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${esc(s.color)}" stroke-width="2" stroke-linejoin="round" class="smooth" data-series="${esc(s.name)}"/>`);
  }
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Loss against training step">${parts.join('')}</svg>`;
}
