/**
 * The MNIST splits the server trains on and hands to pages, loaded once on first use and kept in shared memory
 * (the lab's worker threads read them without a copy).
 */
import { resolve } from 'node:path';
import { checkBothSplits } from '../data/locate.js';
import { loadSplit, type MnistSplit } from '../data/mnist.js';

export class DataCache {
  private splits: { train: MnistSplit; test: MnistSplit } | undefined;

  readonly dataPath: string | undefined;

  /** @param dataPath an IDX/CSV path as `--data` takes (kept absolute), or undefined for the embedded MNIST. */
  constructor(dataPath: string | undefined) {
    this.dataPath = dataPath === undefined ? undefined : resolve(dataPath);
  }

  /** Both splits; the first call reads them (a fraction of a second for MNIST) and later calls reuse them. */
  get(): { train: MnistSplit; test: MnistSplit } {
    if (this.splits === undefined) {
      if (this.dataPath !== undefined) checkBothSplits(this.dataPath);
      this.splits = { train: loadSplit(this.dataPath, 'train', { shared: true }), test: loadSplit(this.dataPath, 'test', { shared: true }) };
    }
    return this.splits;
  }
}
