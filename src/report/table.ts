/**
 * The results table, for the terminal (aligned plain text, optionally coloured) and for Markdown (README).
 * Both are built from the same columns so they always show the same numbers.
 */
import { bestVariant, formatAccuracy, formatChapter, formatCountOf, formatReference, formatSeconds, pytorchSeedsNote, severalReferenceRuns } from './format.js';
import type { ReferenceFigures, VariantSummary } from './results.js';

export interface TableOptions {
  /** PyTorch's measured accuracy per variant; adds a "PyTorch" column when given. */
  readonly pytorch?: ReferenceFigures;
  /** ANSI colour (bold header, best accuracy in green). Pass `process.stdout.isTTY`; off by default. */
  readonly color?: boolean;
}

interface Column {
  readonly header: string;
  readonly align: 'left' | 'right';
  readonly cells: readonly string[];
}

/** Display width in terminal cells; our texts are Latin with a few symbols (—, ±, →), one cell each. */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'left' ? s + fill : fill + s;
}

function accuracyHeader(summary: readonly VariantSummary[]): string {
  const ns = new Set(summary.map((s) => s.n));
  if (ns.size === 1) {
    const n = summary[0]?.n ?? 1;
    return n > 1 ? `accuracy (${n} seeds)` : 'accuracy';
  }
  return 'accuracy (mean ± std)';
}

function buildColumns(summary: readonly VariantSummary[], options: TableOptions): Column[] {
  const several = summary.some((s) => s.n > 1);
  const columns: Column[] = [
    { header: 'variant', align: 'left', cells: summary.map((s) => s.variant) },
    { header: 'what changed', align: 'left', cells: summary.map((s) => s.label) },
    { header: accuracyHeader(summary), align: 'right', cells: summary.map(formatAccuracy) },
  ];
  // Rows over different numbers of seeds (one failed, say) say how many each, as the report does.
  if (new Set(summary.map((s) => s.n)).size > 1) columns.push({ header: 'seeds', align: 'right', cells: summary.map((s) => String(s.n)) });
  columns.push({ header: 'chapter', align: 'right', cells: summary.map((s) => formatChapter(s.chapter)) });
  const pytorch = options.pytorch;
  if (pytorch) {
    columns.push({
      header: 'PyTorch',
      align: 'right',
      cells: summary.map((s) => formatReference(Object.hasOwn(pytorch, s.variant) ? pytorch[s.variant] : undefined)),
    });
  }
  columns.push({
    header: several ? 'train time (mean)' : 'train time',
    align: 'right',
    cells: summary.map((s) => formatSeconds(s.meanTrainSeconds)),
  });
  return columns;
}

const BOLD = '\u001b[1m';
const GREEN = '\u001b[32m';
const RESET = '\u001b[0m';

/**
 * The results as an aligned plain-text table with a rule under the header, one line per variant.
 *
 * @example
 * process.stdout.write(formatTable(results.summary, { color: process.stdout.isTTY === true }));
 * // variant   what changed   accuracy  chapter  train time
 * // ────────  ─────────────  ────────  ───────  ──────────
 * // baseline  —                87.31%      87%    1 min 23 s
 */
export function formatTable(summary: readonly VariantSummary[], options: TableOptions = {}): string {
  const columns = buildColumns(summary, options);
  const widths = columns.map((c) => Math.max(width(c.header), ...c.cells.map(width)));
  const color = options.color === true;
  const best = bestVariant(summary);
  const line = (cells: string[]): string => cells.join('  ').trimEnd();
  const header = line(columns.map((c, i) => pad(c.header, widths[i]!, c.align)));
  const lines = [color ? `${BOLD}${header}${RESET}` : header, line(widths.map((w) => '─'.repeat(w)))];
  summary.forEach((s, row) => {
    const cells = columns.map((c, i) => {
      const text = pad(c.cells[row]!, widths[i]!, c.align);
      // Colour is wrapped around the padded text so the escape codes never disturb the alignment.
      return color && i === 2 && s === best ? `${BOLD}${GREEN}${text}${RESET}` : text;
    });
    lines.push(line(cells));
  });
  // Which standard deviation, wherever a ± is shown (several seeds, or PyTorch's three), as the report says it.
  if (summary.some((s) => s.n > 1) || severalReferenceRuns(options.pytorch)) lines.push('', '± is the sample standard deviation over seeds (dividing by n − 1).');
  const seedsNote = options.pytorch === undefined ? null : pytorchSeedsNote(options.pytorch);
  if (seedsNote !== null) lines.push(seedsNote);
  const leftOut = nonFiniteNote(summary);
  if (leftOut !== null) lines.push(leftOut);
  return `${lines.join('\n')}\n`;
}

/** Markdown needs `|` escaped inside cells; nothing else in our texts is special there. */
function markdownCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * The same table in GitHub Markdown, numbers right-aligned, for the README.
 * @example formatMarkdownTable(results.summary, { pytorch }) // '| variant | what changed | accuracy | …'
 */
export function formatMarkdownTable(summary: readonly VariantSummary[], options: TableOptions = {}): string {
  const columns = buildColumns(summary, options);
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const lines = [
    row(columns.map((c) => markdownCell(c.header))),
    row(columns.map((c) => (c.align === 'right' ? '---:' : '---'))),
    ...summary.map((_, r) => row(columns.map((c) => markdownCell(c.cells[r]!)))),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Which variants' accuracies leave out runs whose weights ended NaN (`--allow-nonfinite`), or null: "Left out of the
 * accuracy, as its weights ended NaN or infinite: 1 run of leakyrelu." The report says the same.
 */
export function nonFiniteNote(summary: readonly VariantSummary[]): string | null {
  const parts = summary.filter((s) => s.nonFinite !== undefined).map((s) => `${formatCountOf(s.nonFinite!, 'run')} of ${s.variant}`);
  if (parts.length === 0) return null;
  return `Left out of the accuracy, as their weights ended NaN or infinite: ${parts.join(', ')}.`;
}
