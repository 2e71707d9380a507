import { digitAt, type DigitSource } from './digit-source.js';
import { imageBytes } from './mnist.js';

/**
 * How a digit is drawn in a terminal:
 * - `blocks`: Unicode half blocks (`▀▄█`), two pixel rows per line, ink where the pixel is at least half on —
 *   28 columns × 14 lines, close to square in most fonts;
 * - `shade`: one character per pixel from ` ░▒▓█` by intensity — 28 × 28, keeps the grey levels;
 * - `color`: half blocks painted with 24-bit grey (top pixel as foreground, bottom as background) — 28 × 14 with
 *   every grey level, for terminals that support colour.
 */
export type TerminalStyle = 'blocks' | 'shade' | 'color';

const SHADES = [' ', '░', '▒', '▓', '█'] as const;
/** Pixels at or above this count as ink in `blocks` style. */
const INK = 128;

function blocksLine(bytes: Uint8Array, cols: number, top: number, bottom: number | undefined): string {
  let line = '';
  for (let c = 0; c < cols; c++) {
    const t = bytes[top * cols + c]! >= INK;
    const b = bottom !== undefined && bytes[bottom * cols + c]! >= INK;
    line += t && b ? '█' : t ? '▀' : b ? '▄' : ' ';
  }
  return line;
}

function colorLine(bytes: Uint8Array, cols: number, top: number, bottom: number | undefined): string {
  let line = '';
  for (let c = 0; c < cols; c++) {
    const t = bytes[top * cols + c]!;
    const b = bottom === undefined ? 0 : bytes[bottom * cols + c]!;
    line += `\x1b[38;2;${t};${t};${t}m\x1b[48;2;${b};${b};${b}m▀`;
  }
  return `${line}\x1b[0m`;
}

function shadeLine(bytes: Uint8Array, cols: number, row: number): string {
  let line = '';
  for (let c = 0; c < cols; c++) {
    // 0 → ' ', 1–63 → '░', …, 192–255 → '█': any ink at all stays visible.
    const v = bytes[row * cols + c]!;
    line += SHADES[v === 0 ? 0 : Math.min(4, 1 + (v >> 6))];
  }
  return line;
}

/**
 * The lines drawing image `index` of `split` in a terminal (no title). Ink is drawn light-on-dark as a terminal
 * shows text: a bright pixel is a filled character.
 */
export function renderDigitLines(source: DigitSource, at: number, style: TerminalStyle = 'blocks'): string[] {
  const { split, index } = digitAt(source, at, 'renderDigitLines');
  const bytes = imageBytes(split, index);
  const { rows, cols } = split;
  const lines: string[] = [];
  if (style === 'shade') {
    for (let r = 0; r < rows; r++) lines.push(shadeLine(bytes, cols, r));
    return lines;
  }
  for (let r = 0; r < rows; r += 2) {
    const bottom = r + 1 < rows ? r + 1 : undefined;
    lines.push(style === 'color' ? colorLine(bytes, cols, r, bottom) : blocksLine(bytes, cols, r, bottom));
  }
  return lines;
}

/**
 * Image `index` of `source` (a split, or a `MnistDataset` as its `get` counts) drawn for a terminal, framed, with its
 * label as the title, as the chapter's `plot_image` shows it before training.
 *
 * @example
 * process.stdout.write(renderDigit(loadEmbeddedMnist('train'), 13));
 */
export function renderDigit(source: DigitSource, at: number, style: TerminalStyle = 'blocks', name = 'image'): string {
  const { split, index } = digitAt(source, at, 'renderDigit');
  const lines = renderDigitLines(split, index, style);
  const width = split.cols;
  const title = `${name} ${index} · label ${split.labels[index]}`;
  const rule = '─'.repeat(width);
  const out = [title, `┌${rule}┐`, ...lines.map((l) => `│${l}│`), `└${rule}┘`];
  return `${out.join('\n')}\n`;
}
