import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { noGrad } from '../../autograd/grad-mode.js';
import { parseMnistCsv } from '../../data/csv.js';
import { notCsvText, utf16Text } from '../../data/csv-sniff.js';
import { gunzipData, isGzip } from '../../data/read-file.js';
import { PIXEL_SCALE } from '../../data/dataset.js';
import { toMnistPixels } from '../../data/image-input.js';
import { DIGIT_BOX_KEYWORD, DIGIT_GRID_KEYWORD, MAX_GRID } from '../../data/preview-png.js';
import { renderDigitLines, type TerminalStyle } from '../../data/preview.js';
import { formatPercent } from '../../report/format.js';
import { KindlingError } from '../../errors.js';
import { checkStdinUse, stdinName } from '../stdin-name.js';
import { describeFsError, errorCode } from '../../io/errors.js';
import { readRegularFile } from '../../io/read-regular.js';
import { decodePng, isPng, type RgbaImage } from '../../io/image-file.js';
import { readTextChunk } from '../../io/png-text.js';
import { EVAL_BATCH } from '../../lab/evaluate.js';
import { lastLayer, type LayerSpec } from '../../nn/serialize.js';
import { Tensor } from '../../tensor/tensor.js';
import { describeLoaded, loadClassifier } from './eval.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** Scores per image: loadClassifier refuses a model that gives another number. */
const CLASSES = 10;

/** One image to classify: where it came from and its 784 grey bytes. */
interface Sample {
  readonly input: string;
  /** 1-based row of a CSV file. */
  readonly row?: number;
  /** 1-based cell of a `kindling preview --grid` PNG. */
  readonly cell?: number;
  /** The label a CSV row carries, or the one a grid preview wrote under its cell. */
  readonly label?: number;
  readonly pixels: Uint8Array;
}

function readInput(path: string): Sample[] {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(path);
  } catch (err) {
    const reason = errorCode(err) === 'ENOENT' ? 'the file does not exist' : errorCode(err) === 'EISDIR' ? 'it is a folder, not a file' : describeFsError(err);
    throw new KindlingError(`cannot read ${path}: ${reason}`, { cause: err });
  }
  // A gzipped CSV (rows.csv.gz, or any name) is unpacked, and a plain one under a .gz name read as it is: eval and
  // train tell gzip by the contents too, whatever the name.
  let ext = extname(path).toLowerCase();
  if (ext === '.gz') ext = extname(path.slice(0, -3)).toLowerCase();
  if (isGzip(bytes)) bytes = gunzipData(bytes, path);
  if (bytes.length === 0) throw new KindlingError(`${path} is empty (0 bytes): expected a PNG image or a CSV file of MNIST rows`);
  if (ext === '.png' || isPng(bytes)) {
    const png = decodePng(bytes, path);
    // A grid preview says where each of its digits is, and their labels: each cell is classified.
    const grid = digitsOfGrid(bytes, png, path);
    if (grid !== null) return grid.map(({ pixels, label }, k) => ({ input: path, cell: k + 1, label, pixels }));
    // A captioned preview says where its digit is: the caption under it is not ink.
    const img = digitOfPreview(bytes, png, path);
    return [{ input: path, pixels: toMnistPixels(img.rgba, img.width, img.height) }];
  }
  if (ext !== '.csv' && ext !== '.txt' && ext !== '') {
    throw new KindlingError(`${path}: expected a PNG image or a CSV file of MNIST rows (784 pixels, optionally after a label), not a ${ext} file`);
  }
  // UTF-16 text is CSV in another encoding: said as such, not as "neither a PNG nor a CSV file".
  const utf16 = utf16Text(bytes);
  if (utf16 !== null) throw new KindlingError(`${path}: ${utf16}`);
  const notCsv = notCsvText(bytes);
  if (notCsv !== null) {
    throw new KindlingError(`${path} is neither a PNG image nor a CSV file of images: it does not start with the PNG signature, and ${notCsv}`);
  }
  const csv = parseMnistCsv(bytes, path, { labels: 'auto' });
  return Array.from({ length: csv.count }, (_, i) => ({
    input: path,
    row: i + 1,
    ...(csv.labeled ? { label: csv.labels[i]! } : {}),
    pixels: csv.images.slice(i * PIXELS, (i + 1) * PIXELS),
  }));
}

/**
 * The digit's box of a captioned `kindling preview` PNG (its text chunk), or the whole image. The chunk gives the
 * picture's size too: a picture resized or cropped since (an editor keeps the chunk) is read whole, with a note, as
 * a grid is.
 */
function digitOfPreview(bytes: Uint8Array, img: RgbaImage, path: string): RgbaImage {
  const text = readTextChunk(bytes, DIGIT_BOX_KEYWORD);
  if (text === undefined) return img;
  const numbers = text.split(' ').map(Number);
  const aside = (why: string): RgbaImage => {
    readWhole(path, 'where the digit of a kindling preview is', why);
    return img;
  };
  if (numbers.length === 6 && (numbers[4] !== img.width || numbers[5] !== img.height)) {
    return aside(`the preview was ${numbers[4]} × ${numbers[5]} pixels and this picture is ${img.width} × ${img.height} (resized or cropped since)`);
  }
  if (numbers.length !== 4 && numbers.length !== 6) return aside('the box is not four or six numbers');
  return crop(img, numbers.slice(0, 4)) ?? aside('the box is not one inside the picture');
}

/**
 * Each digit of a `kindling preview --grid` PNG (as the 784 grey bytes a model reads) with its label, from its text
 * chunk; null for any other image. A chunk that does not fit the picture (an image resized or cropped since preview
 * wrote it, or a chunk of someone else's) is left aside with a note, and the picture is read whole, as any other.
 */
function digitsOfGrid(bytes: Uint8Array, img: RgbaImage, path: string): { pixels: Uint8Array; label: number }[] | null {
  const text = readTextChunk(bytes, DIGIT_GRID_KEYWORD);
  if (text === undefined) return null;
  const aside = (why: string): null => {
    readWhole(path, 'the layout of a kindling preview grid', why);
    return null;
  };
  let grid: unknown;
  try {
    grid = JSON.parse(text);
  } catch {
    return aside('the layout is not valid JSON');
  }
  const { width, height, boxes, labels } = (typeof grid === 'object' && grid !== null ? grid : {}) as Record<string, unknown>;
  if (width !== img.width || height !== img.height) {
    return aside(typeof width === 'number' && typeof height === 'number'
      ? `the grid was ${width} × ${height} pixels and this picture is ${img.width} × ${img.height} (resized or cropped since)`
      : 'the layout gives no size');
  }
  if (!Array.isArray(boxes) || !Array.isArray(labels) || boxes.length === 0 || boxes.length > MAX_GRID || boxes.length !== labels.length) {
    return aside(`the layout does not list 1 to ${MAX_GRID} boxes with a label each`);
  }
  // The cells of a grid do not overlap: all of them together are never more than the picture.
  let area = 0;
  for (const box of boxes) area += Array.isArray(box) && box.length === 4 ? Number(box[2]) * Number(box[3]) : Number.POSITIVE_INFINITY;
  if (!(area <= img.width * img.height)) return aside('its boxes cover more than the picture');
  const cells: { pixels: Uint8Array; label: number }[] = [];
  for (let k = 0; k < boxes.length; k++) {
    const cell = crop(img, boxes[k]);
    const label: unknown = labels[k];
    if (cell === null || typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label > 9) {
      return aside(`cell ${k + 1}'s box or label is not one inside the picture (a label is a digit, 0 to 9)`);
    }
    cells.push({ pixels: toMnistPixels(cell.rgba, cell.width, cell.height), label });
  }
  return cells;
}

/** The note for a preview's text chunk left aside (the picture edited since, or a chunk of someone else's). */
function readWhole(path: string, carries: string, why: string): void {
  process.stderr.write(`kindling: note: ${path} carries ${carries}, but ${why}: it is read as one picture\n`);
}

/** The part of `img` inside `box` ([x, y, width, height], whole pixels), or null when it is no such box inside it. */
function crop(img: RgbaImage, box: unknown): RgbaImage | null {
  if (!Array.isArray(box) || box.length !== 4 || !box.every((v) => Number.isInteger(v) && (v as number) >= 0)) return null;
  const [x, y, width, height] = box as [number, number, number, number];
  if (width < 1 || height < 1 || x + width > img.width || y + height > img.height) return null;
  const rgba = new Uint8Array(width * height * 4);
  for (let r = 0; r < height; r++) rgba.set(img.rgba.subarray(((y + r) * img.width + x) * 4, ((y + r) * img.width + x + width) * 4), r * width * 4);
  return { rgba, width, height };
}

type OutputKind = 'sigmoid' | 'softmax' | 'log-softmax' | 'raw';

function outputKind(spec: LayerSpec): { kind: OutputKind; text: string } {
  const last = lastLayer(spec);
  if (last?.type === 'Sigmoid') return { kind: 'sigmoid', text: "probabilities from the model's final Sigmoid (one per digit, each 0–1)" };
  if (last?.type === 'Softmax') return { kind: 'softmax', text: "probabilities from the model's final Softmax (summing to 1)" };
  if (last?.type === 'LogSoftmax') return { kind: 'log-softmax', text: "log-probabilities from the model's final LogSoftmax (their exponentials sum to 1)" };
  return { kind: 'raw', text: `raw outputs: the model ends with ${last?.type ?? 'nothing'}, not a Sigmoid or Softmax, so these are scores, not probabilities` };
}

function argmax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

interface PredictOptions {
  model: string;
  json?: boolean;
  show?: boolean;
}

async function runPredict(inputs: string[], opts: PredictOptions): Promise<void> {
  const loaded = loadClassifier(opts.model, PIXELS);
  const samples = inputs.flatMap(readInput);
  if (samples.length === 0) throw new KindlingError(`${inputs.join(', ')}: no rows to classify`);
  // In batches, as eval tests: one pass over every row would hold all their activations at once (a wide model
  // on Kaggle's 28,000 rows ran out of the kernels' memory).
  const out = new Float32Array(samples.length * CLASSES);
  noGrad(() => {
    for (let start = 0; start < samples.length; start += EVAL_BATCH) {
      const batch = samples.slice(start, start + EVAL_BATCH);
      const x = new Float32Array(batch.length * PIXELS);
      batch.forEach((s, i) => {
        for (let k = 0; k < PIXELS; k++) x[i * PIXELS + k] = PIXEL_SCALE[s.pixels[k]!]!;
      });
      out.set(loaded.model.forward(new Tensor(x, [batch.length, PIXELS])).toArray(), start * CLASSES);
    }
  });
  const kind = outputKind(loaded.architecture);
  const results = samples.map((s, i) => {
    const outputs = out.subarray(i * CLASSES, (i + 1) * CLASSES);
    return { s, outputs, predicted: argmax(outputs) };
  });
  if (opts.json) {
    const predictions = results.map(({ s, outputs, predicted }) => ({
      input: resolve(s.input), ...(s.row === undefined ? {} : { row: s.row }), ...(s.cell === undefined ? {} : { cell: s.cell }), ...(s.label === undefined ? {} : { label: s.label }), predicted, outputs: Array.from(outputs),
      blank: s.pixels.every((p) => p === 0),
    }));
    process.stdout.write(`${JSON.stringify({ model: resolve(opts.model), outputs: kind.kind, predictions }, null, 2)}\n`);
    return;
  }
  const lines = [`Model: ${describeLoaded(opts.model, loaded)}`, `Outputs: ${kind.text}`, ''];
  const style: TerminalStyle = process.stdout.isTTY && process.stdout.hasColors?.(2 ** 24) ? 'color' : 'blocks';
  for (const { s, outputs, predicted } of results) {
    const part = s.row !== undefined ? ` row ${s.row}` : s.cell !== undefined ? ` cell ${s.cell}` : '';
    const where = `${s.input}${part}${s.label === undefined ? '' : ` (label ${s.label})`}`;
    // A blank picture (no ink found) still gets the model's answer for 784 zeros; say so rather than pass it off.
    lines.push(`${where}: ${predicted}${s.pixels.every((p) => p === 0) ? ' (a blank image: nothing stands out from the background, so this is the model\'s answer for an empty picture)' : ''}`);
    if (opts.show) {
      const split = { images: s.pixels, labels: new Uint8Array([predicted]), count: 1, rows: SIDE, cols: SIDE, source: s.input };
      const rule = '─'.repeat(SIDE);
      lines.push(`  ┌${rule}┐`, ...renderDigitLines(split, 0, style).map((l) => `  │${l}│`), `  └${rule}┘`);
    }
    const digits = Array.from(outputs, (v, d) => `${d} ${kind.kind === 'raw' ? v.toFixed(4).padStart(8) : v.toFixed(4)}`);
    lines.push(`  ${digits.slice(0, 5).join('   ')}`, `  ${digits.slice(5).join('   ')}`);
  }
  // Labelled inputs (CSV rows with a label, a grid preview's cells): how many the model got right, when it is several.
  if (results.length > 1 && results.every((r) => r.s.label !== undefined)) {
    const right = results.filter((r) => r.predicted === r.s.label).length;
    lines.push('', `${right.toLocaleString('en-US')} of ${results.length.toLocaleString('en-US')} predictions match their labels (${formatPercent(right / results.length)})`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Registers `kindling predict`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('classify PNG images (any colour, up to 8192 × 8192) or CSV rows with a saved model')
    .argument('<inputs...>', 'PNG images, or CSV files of MNIST rows (784 pixels, optionally after a label); - reads one from standard input')
    .requiredOption('--model <file>', 'model file (.safetensors) written by kindling or Module.save; - reads it from standard input')
    .option('--show', 'draw the 28 × 28 image the model sees for each input')
    .option('--json', 'print the predictions as JSON')
    .action(async (inputs: string[], opts: PredictOptions) => {
      const empty = inputs.indexOf('');
      if (empty >= 0) throw new KindlingError(`input ${empty + 1} is an empty file name (""): name a PNG image or a CSV file`);
      // --json keeps stdout to JSON alone, so the pictures --show draws would have nowhere to go.
      if (opts.show && opts.json) throw new KindlingError('--show draws each image on the terminal and --json prints JSON alone: give one of them');
      checkStdinUse([{ what: '--model', path: opts.model }, ...inputs.map((path, i) => ({ what: `input ${i + 1}`, path }))]);
      await runPredict(inputs.map(stdinName), { ...opts, model: stdinName(opts.model) });
    });
}
