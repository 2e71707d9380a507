import { describeValue } from '../options.js';
import type { MnistDataset } from './dataset.js';
import { DataError } from './errors.js';
import type { MnistSplit } from './mnist.js';

/** What `renderDigit`, `renderDigitLines`, `digitPng` and `gridPng` draw from: a split, or a `MnistDataset` (the book's `mnist_dataset.plot_image(i)`). */
export type DigitSource = MnistSplit | MnistDataset;

function isDataset(source: object): source is MnistDataset {
  return 'split' in source && typeof (source as Partial<MnistDataset>).label === 'function';
}

/**
 * The split and image that `index` of `source` names: a dataset's index as its `get` takes it (negative from the
 * end, within its `limit`), a split's as it is (the drawing functions check it).
 *
 * @throws DataError naming `where` for a source that is neither, and for an index the dataset does not hold.
 */
export function digitAt(source: DigitSource, index: number, where: string): { split: MnistSplit; index: number } {
  if (typeof source === 'object' && source !== null && isDataset(source)) {
    source.label(index); // checks the index as get(index) does
    return { split: source.split, index: index < 0 ? index + source.length : index };
  }
  const s = source as Partial<MnistSplit> | null;
  if (typeof s !== 'object' || s === null || !(s.images instanceof Uint8Array) || !(s.labels instanceof Uint8Array)) {
    throw new DataError(
      `${where}: expected a data.MnistDataset or a split (data.loadEmbeddedMnist('train'), data.loadSplit(path, 'test')), got ${describeValue(source)}`,
    );
  }
  return { split: source, index };
}

/** How many images `source` holds (a dataset's `length`, within its limit; a split's count), for ranges of them. */
export function digitCount(source: DigitSource): number {
  return isDataset(source) ? source.length : source.count;
}
