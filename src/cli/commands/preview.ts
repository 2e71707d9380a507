import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  digitPng,
  gridPng,
  loadSplit,
  MAX_GRID,
  MAX_SCALE,
  renderDigit,
  splitFromName,
  type SplitName,
  type TerminalStyle,
} from '../../data/index.js';
import { PREVIEW_SOFTWARE } from '../../data/preview-png.js';
import { KindlingError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { describeFsError } from '../../io/errors.js';
import { readTextChunk } from '../../io/png-text.js';
import { checkNotFolderName } from '../file-name.js';

interface PreviewOptions {
  readonly index?: number;
  /** Given, or undefined: the split a single file's name says, else train. */
  readonly split?: SplitName;
  readonly grid?: number;
  readonly data?: string;
  readonly out?: string;
  readonly scale?: number;
  readonly style?: TerminalStyle;
  /** commander's --no-label: false when given. */
  readonly label: boolean;
}

/** A whole-number option from `min` to `max` (no upper bound when omitted); the message states the range. */
function wholeNumber(name: string, min: number, max?: number) {
  const range = max === undefined ? `${min} or more` : `from ${min} to ${max}`;
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || (max !== undefined && n > max)) {
      throw new InvalidArgumentError(`${name} must be a whole number ${range}, got "${value}"`);
    }
    if (!Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`${name}: "${value}" is too large: expected a whole number up to ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}`);
    }
    return n;
  };
}

/** Colour half blocks where the terminal shows colour, plain half blocks otherwise (pipes, files, NO_COLOR). */
function defaultStyle(): TerminalStyle {
  return process.stdout.isTTY && process.stdout.hasColors?.(2 ** 24) ? 'color' : 'blocks';
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The PNG file to write, resolved: an existing file is replaced only when it is an earlier preview (a PNG whose
 * `Software` text says so, or any PNG under preview's own default name), never an image of the user's given as
 * --out, a model, a report or a text file given by mistake.
 */
function pngTarget(given: string | undefined, fallback: string): string {
  if (given !== undefined) checkNotFolderName('--out', given);
  const out = resolve(given ?? fallback);
  const ext = extname(out);
  // PNG bytes under another image's name would mislead whatever opens it (kindling predict refuses a .jpg by name).
  if (given !== undefined && ext !== '' && ext.toLowerCase() !== '.png' && !(existsSync(out) && statSync(out).isDirectory())) {
    throw new KindlingError(`--out ${given}: preview writes PNG images; give a name ending in .png (such as ${basename(given, ext)}.png)`);
  }
  if (!existsSync(out)) return out;
  const shown = given ?? out;
  if (statSync(out).isDirectory()) throw new KindlingError(`--out ${shown}: that is a folder; give a file name such as ${resolve(out, fallback)}`);
  // The signature, IHDR and the text chunks a preview puts right after it.
  let head = Buffer.alloc(4096);
  let fd: number;
  try {
    fd = openSync(out, 'r');
  } catch (err) {
    // Not readable (nor, then, checkable as a PNG of ours): not replaced.
    throw new KindlingError(`--out ${shown}: that file exists and cannot be read (${describeFsError(err)}), so it is not replaced: give another name`);
  }
  try {
    head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } catch (err) {
    throw new KindlingError(`--out ${shown}: that file exists and cannot be read as a file (${describeFsError(err)}), so it is not replaced: give another name`);
  } finally {
    closeSync(fd);
  }
  if (!head.subarray(0, 8).equals(PNG_SIGNATURE)) throw new KindlingError(`--out ${shown}: that file exists and is not a PNG image; it is not replaced: give another name`);
  // Without --out the name is preview's own (preview-<split>-<index>.png): a PNG there is an earlier preview's, also
  // one written before previews carried their Software text.
  if (given !== undefined && readTextChunk(head, 'Software') !== PREVIEW_SOFTWARE) {
    throw new KindlingError(`--out ${shown}: that PNG image exists and is not one kindling preview wrote; it is not replaced: give another name`);
  }
  return out;
}

/** The split a single data file holds by its name (`mnist_test.csv`: test); undefined for a folder or another name. */
function fileSplit(data: string | undefined): SplitName | undefined {
  if (data === undefined || !existsSync(data) || statSync(data).isDirectory()) return undefined;
  return splitFromName(data);
}

/** `kindling preview`: looks at the data before training, the chapter's first lesson. */
async function runPreview(given: PreviewOptions): Promise<void> {
  const opts = { ...given, split: given.split ?? fileSplit(given.data) ?? 'train' };
  const split = loadSplit(opts.data, opts.split);
  const index = opts.index ?? 0;
  const style = opts.style ?? defaultStyle();
  if (!opts.label && opts.grid !== undefined) throw new KindlingError('--no-label is for one image: a grid is labelled');
  if (opts.grid !== undefined) {
    const out = pngTarget(opts.out, `preview-grid-${opts.split}.png`);
    const png = gridPng(split, index, opts.grid, opts.scale ?? 3);
    writeFileAtomic(out, png);
    const labels = Array.from(split.labels.subarray(index, index + opts.grid)).join(' ');
    const range = `${index}–${index + opts.grid - 1}`;
    process.stdout.write(`${opts.split} images ${range} (${split.source})\nlabels: ${labels}\nwrote ${out}\n`);
    return;
  }
  const out = pngTarget(opts.out, `preview-${opts.split}-${index}.png`);
  const png = digitPng(split, index, opts.scale ?? 10, opts.label);
  // Written before the terminal picture is shown: a bad --out is then the only thing printed.
  writeFileAtomic(out, png);
  process.stdout.write(renderDigit(split, index, style, `${opts.split} image`));
  process.stdout.write(`wrote ${out}${opts.label ? ' (with its label under it; --no-label writes the digit alone, for kindling predict)' : ''}\n`);
}

/** Registers `kindling preview` on the program. */
export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description('show an MNIST image in the terminal with its label and write it as a PNG (or a grid of images)')
    .option('--index <n>', 'image to show (with --grid: the first of the grid)', wholeNumber('--index', 0))
    .addOption(new Option('--split <split>', 'which split (default: the one a single file is named for, such as mnist_test.csv, else train)').choices(['train', 'test']))
    .option('--grid <n>', `write a grid of n images (1–${MAX_GRID}) with labels instead`, wholeNumber('--grid', 1, MAX_GRID))
    .option('--data <path>', 'IDX or CSV folder, or one IDX or CSV file (default: the embedded MNIST)')
    .option('--out <file>', 'PNG to write (default: preview-<split>-<index>.png or preview-grid-<split>.png)')
    .option('--scale <n>', `pixels per image pixel in the PNG (1–${MAX_SCALE}; default 10, or 3 for a grid)`, wholeNumber('--scale', 1, MAX_SCALE))
    .option('--no-label', 'write the digit alone, without "label N" under it (an image to try kindling predict on)')
    .addOption(
      new Option('--style <style>', 'terminal drawing (default: color on a colour terminal, else blocks)').choices([
        'blocks',
        'shade',
        'color',
      ]),
    )
    .action(async (opts: PreviewOptions) => {
      await runPreview(opts);
    });
}
