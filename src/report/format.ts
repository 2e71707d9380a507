/** Number formats shared by the terminal table, the Markdown table and the HTML page, so all three agree. */
import type { ReferenceFigure, VariantSummary } from './results.js';

export { formatCount, formatCountOf, formatPartOf } from '../format-count.js';

/**
 * An accuracy (0–1) as a percentage with two decimals.
 * @example formatPercent(0.87314) // '87.31%'
 */
export function formatPercent(fraction: number, decimals = 2): string {
  return `${percentText(fraction, decimals)}%`;
}

/**
 * `fraction` as a percentage with `decimals` decimals, rounded, except that it never reads 100 unless it is 1 (20,000
 * of 20,001 is 99.99, not 100.00) nor 0 unless it is 0.
 */
export function percentText(fraction: number, decimals = 2): string {
  const text = roundedPercent(fraction, decimals);
  const unit = 10 ** -decimals;
  if (fraction < 1 && Number(text) >= 100) return (100 - unit).toFixed(decimals);
  if (fraction > 0 && Number(text) <= 0) return unit.toFixed(decimals);
  return text;
}

/**
 * `fraction` × 100 with `decimals` decimals, rounded half up from the fraction's shortest decimal form, as by hand: two
 * seeds' mean accuracy 0.96895 reads 96.90, and 23 of 80 images 28.8%, where `(fraction * 100).toFixed()` rounds the
 * binary 96.894999… and 28.749999… down, while other halves go up.
 */
function roundedPercent(fraction: number, decimals: number): string {
  const shortest = String(fraction);
  if (!Number.isFinite(fraction) || fraction < 0 || shortest.includes('e')) return (fraction * 100).toFixed(decimals);
  return (Math.round(Number(`${shortest}e${decimals + 2}`)) / 10 ** decimals).toFixed(decimals);
}

/**
 * Mean accuracy, with the sample standard deviation in percentage points when there are several seeds.
 * @example formatAccuracy({ mean: 0.8731, std: 0.0042, n: 3 }) // '87.31% ± 0.42'
 */
export function formatAccuracy(s: Pick<VariantSummary, 'mean' | 'std' | 'n' | 'allNonFinite'>): string {
  const mean = formatPercent(s.mean);
  const text = s.n > 1 ? `${mean} ± ${(s.std * 100).toFixed(2)}` : mean;
  return s.allNonFinite ? `${text} (NaN weights)` : text;
}

/**
 * The book's figure: whole percentages stay whole (the book says "87%", not "87.00%").
 * @example formatChapter(0.87) // '87%'
 */
export function formatChapter(fraction: number | null): string {
  if (fraction === null) return '—';
  const pct = fraction * 100;
  return Math.abs(pct - Math.round(pct)) < 1e-9 ? `${Math.round(pct)}%` : formatPercent(fraction);
}

/**
 * A figure measured elsewhere (PyTorch), formatted like ours; '—' when absent. One over other seeds than the runs
 * beside it (its record lacks theirs) names its seeds: `86.64% ± 0.22 (seeds 0–2)`.
 */
export function formatReference(ref: ReferenceFigure | undefined): string {
  if (!ref) return '—';
  // A std without n still means several runs; n = 1 (or no std) means a single figure.
  const several = ref.std !== undefined && (ref.n ?? 2) > 1;
  const figure = formatAccuracy({ mean: ref.mean, std: ref.std ?? 0, n: several ? 2 : 1 });
  return ref.sameSeeds === false && ref.seeds !== undefined && ref.seeds.length > 0 ? `${figure} (${formatSeeds(ref.seeds)})` : figure;
}

/** Whether some figure of `figures` is over several runs, so shown with a ± (a std without n counts as several). */
export function severalReferenceRuns(figures: Readonly<Record<string, ReferenceFigure>> | undefined): boolean {
  return figures !== undefined && Object.values(figures).some((f) => f.std !== undefined && (f.n ?? 2) > 1);
}

/** Seeds for people: `seed 4`, `seeds 0–2` (a run of consecutive ones), `seeds 0, 3, 7`. */
export function formatSeeds(seeds: readonly number[]): string {
  const sorted = [...seeds].sort((a, b) => a - b);
  if (sorted.length === 1) return `seed ${sorted[0]!}`;
  const consecutive = sorted.every((s, i) => i === 0 || s === sorted[i - 1]! + 1);
  return consecutive && sorted.length > 2 ? `seeds ${sorted[0]!}–${sorted[sorted.length - 1]!}` : `seeds ${sorted.join(', ')}`;
}

/** Which seeds the PyTorch column holds, for the notes under the table and in the report; null when not known. */
export function pytorchSeedsNote(figures: Readonly<Record<string, ReferenceFigure>>): string | null {
  const all = Object.values(figures);
  if (all.some((f) => f.sameSeeds === undefined)) return null;
  const other = all.filter((f) => f.sameSeeds === false);
  if (other.length === 0) return 'PyTorch: its runs of the same seeds.';
  const seeds = formatSeeds(other[0]!.seeds ?? []);
  return other.length === all.length
    ? `PyTorch: its runs of ${seeds}, the seeds its record holds (not these runs' own).`
    : `PyTorch: its runs of the same seeds, or of ${seeds} where it has not run them (marked).`;
}

/**
 * A duration for people: seconds below a minute, then minutes and seconds, then hours and minutes.
 * @example formatSeconds(83.4) // '1 min 23 s'
 */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The variant with the highest mean accuracy (the first one on ties), or undefined for an empty list. */
export function bestVariant(summary: readonly VariantSummary[]): VariantSummary | undefined {
  let best: VariantSummary | undefined;
  for (const s of summary) if (!s.allNonFinite && (!best || s.mean > best.mean)) best = s;
  return best;
}
