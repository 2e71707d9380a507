/** The confusion matrix as an HTML heat table (rows: true digit, columns: predicted digit). */
import { escapeHtml } from './escape.js';
import { formatCount, formatPercent } from './format.js';
import type { RunResult } from './results.js';

/** Adds the confusion matrices of several runs (the seeds of one variant) cell by cell. */
export function sumConfusion(runs: readonly Pick<RunResult, 'confusion'>[]): number[][] {
  const total = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (const run of runs) {
    run.confusion.forEach((row, i) => row.forEach((n, j) => (total[i]![j]! += n)));
  }
  return total;
}

/** Mixes white with an RGB colour; `t` 0 gives white, 1 the colour. */
function tint(rgb: readonly [number, number, number], t: number): string {
  const c = rgb.map((v) => Math.round(255 + (v - 255) * Math.max(0, Math.min(1, t))));
  return `rgb(${c.join(', ')})`;
}

const RIGHT: readonly [number, number, number] = [39, 110, 74];
const WRONG: readonly [number, number, number] = [192, 57, 43];

/**
 * A 10 × 10 table where each cell shows its count, shaded by its share of the row: correct predictions (the
 * diagonal) in green, confusions in red. Confusions are a few percent at most, so their shade is scaled to the
 * largest confusion — otherwise every off-diagonal cell would look white and the interesting ones would not stand out.
 *
 * @param caption describes whose matrix it is (escaped here).
 */
export function confusionTableHtml(confusion: readonly (readonly number[])[], caption: string): string {
  const rowSums = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  let maxOff = 0;
  confusion.forEach((row, i) =>
    row.forEach((n, j) => {
      if (i !== j && rowSums[i]! > 0) maxOff = Math.max(maxOff, n / rowSums[i]!);
    }),
  );
  const head = Array.from({ length: 10 }, (_, j) => `<th scope="col">${j}</th>`).join('');
  const body = confusion
    .map((row, i) => {
      const sum = rowSums[i]!;
      const cells = row
        .map((n, j) => {
          const share = sum > 0 ? n / sum : 0;
          const t = i === j ? share : maxOff > 0 ? share / maxOff : 0;
          const bg = n === 0 ? '#fff' : tint(i === j ? RIGHT : WRONG, i === j ? 0.15 + 0.85 * t : 0.1 + 0.8 * t);
          const dark = n > 0 && (i === j ? 0.15 + 0.85 * t : 0.1 + 0.8 * t) > 0.55;
          const title = `true ${i}, predicted ${j}: ${formatCount(n)} of ${formatCount(sum)} (${formatPercent(share, 1)})`;
          return `<td class="${dark ? 'dark' : ''}" style="background:${bg}" title="${escapeHtml(title)}">${formatCount(n)}</td>`;
        })
        .join('');
      const acc = sum > 0 ? formatPercent(row[i]! / sum, 1) : '—';
      return `<tr><th scope="row">${i}</th>${cells}<td class="acc">${acc}</td></tr>`;
    })
    .join('\n');
  return `<table class="confusion">
<caption>${escapeHtml(caption)}</caption>
<thead><tr><th class="corner">true ↓ predicted →</th>${head}<th scope="col" class="acc">right</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}
