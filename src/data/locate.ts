import { lstatSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError, errorCode } from '../io/errors.js';
import { DataError } from './errors.js';

/** The two splits of MNIST-shaped data sets. */
export type SplitName = 'train' | 'test';

/** Where a split's data lives: a pair of IDX files, or one CSV file. */
export type SplitFiles =
  | { readonly kind: 'idx'; readonly images: string; readonly labels: string }
  | { readonly kind: 'csv'; readonly file: string };

/** IDX file names of a split: the original ones, the dotted variant some mirrors use, each plain or gzipped. */
export function idxNames(split: SplitName, what: 'images' | 'labels'): string[] {
  const prefix = split === 'train' ? 'train' : 't10k';
  const dims = what === 'images' ? 'idx3' : 'idx1';
  const names = [`${prefix}-${what}-${dims}-ubyte`, `${prefix}-${what}.${dims}-ubyte`];
  return names.flatMap((n) => [n, `${n}.gz`]);
}

/** CSV file names of a split, as the chapter names them. */
export function csvNames(split: SplitName): string[] {
  return [`mnist_${split}.csv`, `mnist_${split}.csv.gz`];
}

/**
 * What `path` is, or null when nothing is there. A path that is there but cannot be used says why: a symbolic link
 * to nothing, or one whose folder cannot be searched (permission denied), rather than passing for missing.
 */
function statOf(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') {
      let link = false;
      try {
        link = lstatSync(path).isSymbolicLink();
      } catch {
        // Nothing there at all.
      }
      if (!link) return null;
      throw new DataError(`${path} is a symbolic link to ${readlinkSync(path)}, which does not exist`, { cause: err });
    }
    if (code === 'ENOTDIR') return null;
    throw new DataError(`cannot reach ${path}: ${describeFsError(err)}`, { cause: err });
  }
}

/**
 * The first of `names` in `dir` that is a file. A folder of that name holding the file of that name counts too:
 * Kaggle's MNIST archive unpacks each IDX file into a folder named like it.
 */
function firstExisting(dir: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    const path = join(dir, name);
    const stat = statOf(path);
    if (stat?.isFile()) return path;
    if (stat?.isDirectory() && statOf(join(path, name))?.isFile()) return join(path, name);
  }
  return undefined;
}

/**
 * For the messages: the looked-for names that are folders without the file inside (Kaggle's unpacked layout after
 * a failed unzip), as "; X is a folder without X inside", or ''.
 */
function emptyNamesakes(dir: string, names: readonly string[]): string {
  const folders = names.filter((name) => statOf(join(dir, name))?.isDirectory());
  return folders.map((name) => `; ${join(dir, name)} is a folder without ${name} inside`).join('');
}

function locateInFolder(dir: string, split: SplitName): SplitFiles {
  try {
    readdirSync(dir);
  } catch (err) {
    throw new DataError(`cannot read the folder ${dir}: ${describeFsError(err)}`, { cause: err });
  }
  const imageNames = idxNames(split, 'images');
  const labelNames = idxNames(split, 'labels');
  const images = firstExisting(dir, imageNames);
  const labels = firstExisting(dir, labelNames);
  if (images && labels) return { kind: 'idx', images, labels };
  if (images || labels) {
    const [found, missing] = images ? [images, labelNames] : [labels!, imageNames];
    throw new DataError(
      `${dir}: found ${basename(found)} but not its ${images ? 'labels' : 'images'}; looked for ${missing.join(', ')}${emptyNamesakes(dir, missing)}`,
    );
  }
  const csv = firstExisting(dir, csvNames(split));
  if (csv) return { kind: 'csv', file: csv };
  const [images0, , images1] = imageNames;
  const [labels0, , labels1] = labelNames;
  let present = '';
  try {
    const entries = readdirSync(dir).filter((e) => !e.startsWith('.'));
    const shown = `${entries.slice(0, 8).join(', ')}${entries.length > 8 ? ', …' : ''}`;
    present = entries.length === 0 ? ' (the folder is empty)' : ` (it holds: ${shown})`;
  } catch {
    // Listing is only a hint for the message.
  }
  throw new DataError(
    `${dir}: no ${split} split here; looked for the IDX files ${images0} and ${labels0} (or ${images1} and ` +
      `${labels1}; each optionally .gz), or ${csvNames(split)[0]} (optionally .gz)${present}` +
      emptyNamesakes(dir, [...imageNames, ...labelNames, ...csvNames(split)]),
  );
}

/**
 * Which split a file name says it holds — a word of it (between non-letters, or starting with a capital) starting
 * with `train`, or with `test` or `t10k` — or undefined when it names neither or both (`latest_train.csv` is a train
 * file).
 */
export function splitFromName(path: string): SplitName | undefined {
  // camelCase words count as words: mnistTrain.csv is a train file.
  const name = basename(path).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const train = /(^|[^a-z])train/.test(name);
  const test = /(^|[^a-z])(test|t10k)/.test(name);
  if (train === test) return undefined;
  return train ? 'train' : 'test';
}

/** Refuses a single file whose name says it holds the other split; a name that says neither is taken as asked. */
function checkSplitName(path: string, split: SplitName): void {
  const named = splitFromName(path);
  if (named === undefined || named === split) return;
  // An IDX file's partner of the other split is named like it; a CSV file's is mnist_train.csv / mnist_test.csv.
  const csv = /\.csv(\.gz)?$/i.test(path);
  const pair = csv ? `${csvNames('train')[0]} and ${csvNames('test')[0]}` : `${idxNames('train', 'images')[0]} and ${idxNames('test', 'images')[0]}, with their labels`;
  const folderHint = `pass the folder that holds both splits (e.g. ${pair}), or the ${split} file itself`;
  throw new DataError(
    `${path}: this file holds the ${named} split (by its name), but the ${split} split was requested; ${folderHint}`,
  );
}

/**
 * For commands that train and then test: `dataPath` must hold both splits, so it must be a folder (one file holds
 * one split, and testing on the training file would be meaningless).
 */
export function checkBothSplits(dataPath: string, option = '--data'): void {
  const stat = statOf(dataPath);
  if (stat === null || stat.isDirectory()) return;
  throw new DataError(
    `${option} ${dataPath}: training needs both splits, the train split to train on and the test split to test on; ` +
      `give a folder holding ${csvNames('train')[0]} and ${csvNames('test')[0]}, or the four IDX files`,
  );
}

/** `name` with the first `from` (in any case) replaced by `to` in the same case: T10K-IMAGES → T10K-LABELS. */
function swapWord(name: string, from: string, to: string): string {
  return name.replace(new RegExp(from, 'i'), (found) => (found === found.toUpperCase() ? to.toUpperCase() : to));
}

/** The file next to an IDX file that holds its other half (images ↔ labels). */
function idxPartner(path: string, want: 'images' | 'labels'): string {
  const dir = dirname(path);
  const name = basename(path);
  const partner = want === 'labels'
    ? swapWord(swapWord(name, 'images', 'labels'), 'idx3', 'idx1')
    : swapWord(swapWord(name, 'labels', 'images'), 'idx1', 'idx3');
  const bare = partner.replace(/\.gz$/i, '');
  const found = firstExisting(dir, [bare, `${bare}.gz`]);
  if (!found) {
    throw new DataError(
      `${path}: an IDX ${want === 'labels' ? 'image' : 'label'} file needs its ${want} next to it; looked for ` +
        `${join(dir, bare)} (optionally .gz)`,
    );
  }
  return found;
}

/**
 * Finds the files of `split` under `dataPath`, which may be a folder holding the four standard IDX files
 * (optionally `.gz`) or `mnist_train.csv`/`mnist_test.csv`, or a single CSV or IDX file. A single file whose name
 * says a split (`train`, or `test`/`t10k`) is refused for the other one, so a test never runs on the wrong file.
 *
 * @throws DataError when the path does not exist or holds none of the expected files (the message lists them).
 */
export function locateSplit(dataPath: string, split: SplitName): SplitFiles {
  const stat = statOf(dataPath);
  if (stat === null) throw new DataError(`the data path ${dataPath} does not exist`);
  if (stat.isDirectory()) return locateInFolder(dataPath, split);
  const name = basename(dataPath).toLowerCase();
  if (/\.csv(\.gz)?$/.test(name)) {
    checkSplitName(dataPath, split);
    return { kind: 'csv', file: dataPath };
  }
  if (name.includes('idx3') || name.includes('idx1')) {
    checkSplitName(dataPath, split);
    return name.includes('idx3')
      ? { kind: 'idx', images: dataPath, labels: idxPartner(dataPath, 'labels') }
      : { kind: 'idx', images: idxPartner(dataPath, 'images'), labels: dataPath };
  }
  throw new DataError(
    `${dataPath}: not a data file Kindling knows by its name; pass a folder holding the IDX files ` +
      `(${idxNames(split, 'images')[0]}, ${idxNames(split, 'labels')[0]}) or ${csvNames(split)[0]}, or a CSV file ` +
      `named like ${csvNames(split)[0]}`,
  );
}
