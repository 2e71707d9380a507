export { DataError } from './errors.js';
export {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  IMAGE_COLS,
  IMAGE_ROWS,
  IMAGE_SIZE,
  encodeIdxImages,
  encodeIdxLabels,
  parseIdxImages,
  parseIdxLabels,
  readIdxImages,
  readIdxLabels,
  writeIdxImages,
  writeIdxLabels,
  type IdxImages,
} from './idx.js';
export { parseMnistCsv, readMnistCsv, type MnistCsv } from './csv.js';
export { encodeMnistCsv, writeMnistCsv } from './csv-write.js';
export { csvNames, idxNames, locateSplit, splitFromName, type SplitFiles, type SplitName } from './locate.js';
export {
  checkIndex,
  embeddedDataDir,
  imageBytes,
  isShared,
  loadCsvSplit,
  loadEmbeddedMnist,
  loadIdxSplit,
  loadSplit,
  toShared,
  type LoadOptions,
  type MnistSplit,
} from './mnist.js';
export { MnistDataset, NUM_CLASSES, PIXEL_SCALE, type MnistDatasetOptions, type MnistSample } from './dataset.js';
export { DataLoader, type Batch, type BatchOf, type DataLoaderOptions } from './loader.js';
export { TensorDataset } from './tensor-dataset.js';
export { ChainDataset, ConcatDataset, Dataset, IterableDataset, type ItemOf, type MapDataset } from './map-dataset.js';
export { defaultCollate, type Collated } from './collate.js';
export {
  BatchSampler, RandomSampler, SequentialSampler, SubsetRandomSampler, WeightedRandomSampler, type BatchSamplerLike, type RandomSamplerOptions,
  type Sampler, type WeightedRandomSamplerOptions,
} from './samplers.js';
export { randomSplit, Subset, type BaseDataset, type ExampleOf } from './subset.js';
export { type DigitSource } from './digit-source.js';
export { renderDigit, renderDigitLines, type TerminalStyle } from './preview.js';
export { digitPng, gridLayout, gridPng, MAX_GRID, MAX_SCALE, type GridLayout } from './preview-png.js';
