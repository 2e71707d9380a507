import { existsSync } from 'node:fs';
import { checkOptions, describeValue, shownValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { DataError } from './errors.js';
import { exampleIndex } from './example-index.js';
import { splitFromName, type SplitName } from './locate.js';
import { checkIndex, loadSplit, type MnistSplit } from './mnist.js';

/** Number of classes (digits 0–9). */
export const NUM_CLASSES = 10;

/**
 * `PIXEL_SCALE[b]` is pixel byte `b` as the chapter's model sees it: `b / 255` computed in float64 and rounded to
 * float32, exactly what `torch.FloatTensor(numpy.asfarray(row) / 255.0)` gives. A table lookup is both faster
 * than dividing and guaranteed to round once.
 */
export const PIXEL_SCALE: Float32Array = Float32Array.from({ length: 256 }, (_, b) => b / 255);
/** The same table as float32 bit patterns: copying bits skips two float conversions per pixel. */
const PIXEL_BITS = new Int32Array(PIXEL_SCALE.buffer);
/** Whether a Uint32Array reads bytes lowest first (every platform Node runs on today). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** One example: the label, the image as 784 floats in 0–1, and the one-hot target. */
export interface MnistSample {
  readonly label: number;
  /** Shape [784]: pixel / 255, row-major. */
  readonly image: Tensor;
  /** Shape [10]: 1 at the label, 0 elsewhere. */
  readonly target: Tensor;
}

export interface MnistDatasetOptions {
  /** Use only the first `limit` images (all when larger than the split). */
  readonly limit?: number;
  /**
   * With a path: which split to read ('train' or 'test'). Needed for a folder holding both; a file whose name says
   * it (`mnist_test.csv`, `t10k-images-idx3-ubyte`) needs none.
   */
  readonly split?: SplitName;
}

/**
 * An MNIST split as a dataset, in the PyTorch sense: `length`, `get(i)` (PyTorch's `dataset[i]`) and iteration
 * (`for (const { label, image, target } of ds)`). Made from a split already loaded, or from a path as the book makes
 * its dataset from a CSV file. Images stay as bytes in the split and are converted to floats when asked for, so the
 * whole training set costs 47 MB rather than 188 MB.
 *
 * @throws DataError for something that is neither a split nor a path, and for a path that cannot be read as MNIST.
 * @example
 * const ds = new MnistDataset(loadEmbeddedMnist('train'));
 * const { label, image, target } = ds.get(0); // 5, Tensor [784], Tensor [10]
 * const test = new MnistDataset('mnist_data/mnist_test.csv');
 */
export class MnistDataset {
  readonly split: MnistSplit;
  readonly length: number;
  /** Values per image (rows × cols, 784 for MNIST). */
  readonly imageSize: number;
  /** The image bytes four at a time (first byte lowest), when every image starts on a multiple of four bytes. */
  private readonly words: Uint32Array | null;

  constructor(source: MnistSplit | string, options: MnistDatasetOptions = {}) {
    const { limit, split: splitName } = checkOptions('MnistDataset', options, ['limit', 'split']);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
      throw new DataError(`MnistDataset: limit must be a non-negative integer, got ${shownValue(limit)}`);
    }
    const split = typeof source === 'string' ? fromPath(source, splitName) : checkSplit(source, splitName);
    this.split = split;
    this.length = limit === undefined ? split.count : Math.min(limit, split.count);
    this.imageSize = split.rows * split.cols;
    const { images } = split;
    this.words = LITTLE_ENDIAN && this.imageSize % 4 === 0 && images.byteOffset % 4 === 0
      ? new Uint32Array(images.buffer, images.byteOffset, images.length >> 2)
      : null;
  }

  /** Every example in order, as `get(i)` gives it. */
  *[Symbol.iterator](): IterableIterator<MnistSample> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /** The label of example `i` (no tensor made; negative counts from the end, as in Python). */
  label(index: number): number {
    const i = this.fromEnd(index);
    this.check(i);
    return this.split.labels[i]!;
  }

  /**
   * Example `i` as fresh tensors (they share nothing with the dataset or with each other); negative counts from the
   * end, as in Python (`get(-1)` is the last).
   */
  get(index: number): MnistSample {
    const i = this.fromEnd(index);
    this.check(i);
    const image = new Float32Array(this.imageSize);
    this.fillImageOverZeros(i, image, 0);
    const target = new Float32Array(NUM_CLASSES);
    this.fillTarget(i, target, 0);
    return {
      label: this.split.labels[i]!,
      image: new Tensor(image, [this.imageSize]),
      target: new Tensor(target, [NUM_CLASSES]),
    };
  }

  /** Writes image `i` scaled to 0–1 into `out[offset … offset + 784)`: the allocation-free path for batching. */
  fillImage(i: number, out: Float32Array, offset = 0): void {
    this.writeImage(i, out, offset, false);
  }

  /**
   * The same into values that are all +0 already (a fresh array): only the lit pixels are written, about a fifth of
   * MNIST's. @internal
   */
  fillImageOverZeros(i: number, out: Float32Array, offset = 0): void {
    this.writeImage(i, out, offset, true);
  }

  private writeImage(i: number, out: Float32Array, offset: number, zeroed: boolean): void {
    this.check(i);
    const size = this.imageSize;
    if (offset < 0 || offset + size > out.length) {
      throw new RangeError(`fillImage: ${size} values at offset ${offset} do not fit in an array of ${out.length}`);
    }
    if (!zeroed) out.fill(0, offset, offset + size);
    const images = this.split.images;
    const base = i * size;
    const bits = new Int32Array(out.buffer, out.byteOffset + offset * 4, size);
    const words = this.words;
    if (words === null) {
      for (let k = 0; k < size; k++) {
        const b = images[base + k]!;
        if (b !== 0) bits[k] = PIXEL_BITS[b]!;
      }
      return;
    }
    // Four pixels per read: most groups of four are all zero (MNIST's dark margins), and are skipped.
    const first = base >> 2;
    for (let q = 0; q < size >> 2; q++) {
      const word = words[first + q]!;
      if (word === 0) continue;
      const k = q << 2;
      bits[k] = PIXEL_BITS[word & 255]!;
      bits[k + 1] = PIXEL_BITS[(word >>> 8) & 255]!;
      bits[k + 2] = PIXEL_BITS[(word >>> 16) & 255]!;
      bits[k + 3] = PIXEL_BITS[word >>> 24]!;
    }
  }

  /** Writes the one-hot target of example `i` into `out[offset … offset + 10)` (zeros and a single 1). */
  fillTarget(i: number, out: Float32Array, offset = 0): void {
    this.check(i);
    if (offset < 0 || offset + NUM_CLASSES > out.length) {
      throw new RangeError(
        `fillTarget: ${NUM_CLASSES} values at offset ${offset} do not fit in an array of ${out.length}`,
      );
    }
    out.fill(0, offset, offset + NUM_CLASSES);
    out[offset + this.split.labels[i]!] = 1;
  }

  /** A negative index from the end (−1 the last example); anything else as it is. */
  private fromEnd(i: number): number {
    // The others keep check's messages, which say when a limit is what the index is past.
    return Number.isInteger(i) && i < 0 ? exampleIndex('MnistDataset', i, this.length) : i;
  }

  private check(i: number): void {
    if (!Number.isInteger(i)) throw new DataError(`index must be an integer, got ${describeValue(i)}`);
    if ((i < 0 || i >= this.length) && this.length < this.split.count) {
      throw new DataError(
        `index ${i} is out of range: the dataset is limited to ${this.length} images (0 to ${this.length - 1})`,
      );
    }
    checkIndex(this.split, i);
  }
}

const HOW = "a split (data.loadEmbeddedMnist('train'), data.loadSplit(path, 'test')) or the path of an MNIST CSV or IDX file or folder";

/** The split a path holds: the one `split` names, or the one the file's name says. */
function fromPath(path: string, split: SplitName | undefined): MnistSplit {
  if (split !== undefined && split !== 'train' && split !== 'test') {
    throw new DataError(`MnistDataset: the split option must be 'train' or 'test', got ${describeValue(split)}`);
  }
  if (!existsSync(path)) throw new DataError(`the data path ${path} does not exist`);
  const which = split ?? splitFromName(path);
  if (which === undefined) {
    throw new DataError(`MnistDataset: cannot tell from its name whether ${path} holds the train or the test split; say which: new MnistDataset(${JSON.stringify(path)}, { split: 'test' })`);
  }
  return loadSplit(path, which);
}

/** `source` itself when it looks like a split (what loadEmbeddedMnist and loadSplit return). */
function checkSplit(source: unknown, split: SplitName | undefined): MnistSplit {
  if (split !== undefined) throw new DataError("MnistDataset: the split option goes with a path; a split already loaded is used as it is");
  const s = source as Partial<MnistSplit> | null;
  const ok = typeof s === 'object' && s !== null && s.images instanceof Uint8Array && s.labels instanceof Uint8Array &&
    Number.isSafeInteger(s.count) && Number.isSafeInteger(s.rows) && Number.isSafeInteger(s.cols);
  if (!ok) throw new DataError(`MnistDataset: expected ${HOW}, got ${describeValue(source)}`);
  const { images, labels, count, rows, cols } = source as MnistSplit;
  // A split built by hand is checked as the file readers check theirs: an image or label missing would read as 0 or
  // NaN, and a label past 9 would set a 1 in the next example's one-hot target.
  const where = `MnistDataset: the split${typeof s.source === 'string' ? ` (${s.source})` : ''}`;
  if (count < 0 || rows < 1 || cols < 1) throw new DataError(`${where} has count ${count}, rows ${rows}, cols ${cols}: expected a count of 0 or more and rows and cols of 1 or more`);
  if (labels.length < count) throw new DataError(`${where} has ${labels.length} labels for its count of ${count} images`);
  if (images.length < count * rows * cols) {
    throw new DataError(`${where} has ${images.length} image bytes, expected ${count} images × ${rows} × ${cols} = ${count * rows * cols}`);
  }
  for (let i = 0; i < count; i++) {
    if (labels[i]! > 9) throw new DataError(`${where}: label ${labels[i]} of image ${i} is outside 0–9`);
  }
  return source as MnistSplit;
}
