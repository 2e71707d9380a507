// Where `--save` may write: checked before anything is loaded or trained, so that a bad path costs nothing and
// nothing the user made (a file of another kind, a run's checkpoint, the run's own report) is replaced.
import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { KindlingError } from '../errors.js';
import { TEMP_FILE_NAME } from '../io/atomic.js';
import { describeFsError } from '../io/errors.js';
import { readModelFile } from '../io/model-file.js';
import { checkpointName, modelName } from '../lab/checkpoint.js';
import { CLAIM_NAME } from '../lab/run-claim.js';
import type { RunSpec } from '../lab/trainer.js';
import { reportFileNames } from '../report/write.js';
import { checkNotFolderName } from './file-name.js';

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Whether two paths name one place: the same path, or (when both exist) the same folder through links. */
function samePlace(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  if (!existsSync(a) || !existsSync(b)) return false;
  return realpathSync(a) === realpathSync(b);
}

/** Refuses, before any training, a folder this command could not write its files into. */
export function checkWritable(option: string, folder: string): void {
  try {
    accessSync(folder, constants.W_OK);
  } catch (err) {
    throw new KindlingError(`${option}: cannot write into the folder ${folder}: ${describeFsError(err)}`);
  }
}

/**
 * Checks `--save FILE` for a command that trains `specs` into the run folder `runDir`: one run only; FILE's folder
 * exists (unless it is the run folder, which the run makes) and is a writable folder; FILE is not one of the files
 * the run itself writes there (its checkpoint, results, plots or report: either would replace the other), nor
 * another run folder's own model; and an existing FILE is replaced only when it is a Kindling model file (never a
 * checkpoint) that may be written. Returns
 * the absolute path and whether a model is replaced.
 */
export function checkSavePath(save: string, specs: readonly Pick<RunSpec, 'variant' | 'seed'>[], runDir: string): { path: string; replaces: boolean } {
  if (specs.length > 1) throw new KindlingError(`--save names one file, but this command trains ${specs.length} runs; their models are saved in the run folder as model-<variant>-s<seed>.safetensors`);
  checkNotFolderName('--save', save);
  const path = resolve(save);
  // A link would let the model replace what it points to, past every check below (which read the link's own name).
  if (isLink(path)) throw new KindlingError(`--save ${save}: that is a symbolic link (to ${readlinkSync(path)}); give the path of the file itself, or another name`);
  const folder = dirname(path);
  if ((existsSync(path) && statSync(path).isDirectory()) || samePlace(path, runDir)) {
    throw new KindlingError(`--save ${save}: that is a folder${samePlace(path, runDir) ? ' (the run folder)' : ''}; give a file name such as ${join(save, 'model.safetensors')}`);
  }
  // The run folder is made by the run (and checked by it): only another folder must exist already.
  const inRunDir = samePlace(folder, runDir);
  if (!inRunDir && !existsSync(folder)) throw new KindlingError(`--save ${save}: the folder ${folder} does not exist`);
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new KindlingError(`--save ${save}: ${folder} is a file, not a folder`);
  const spec = specs[0]!;
  const name = basename(path);
  // Names a command that writes runs gives its own files in any folder it writes a run into: the claim it holds
  // while it writes (which the model would replace, and whose removal the next command would ask for) and the
  // temporary files of atomic writes (removed by the next command there once their process has ended).
  if (name === CLAIM_NAME) {
    throw new KindlingError(`--save ${save}: ${CLAIM_NAME} is the file a kindling command holds in a folder while it writes a run there; give another name`);
  }
  if (TEMP_FILE_NAME.test(name)) {
    throw new KindlingError(`--save ${save}: that is the name of a temporary file of kindling's own writes, which a later command in that folder removes as left behind; give another name`);
  }
  if (inRunDir && name === modelName(spec)) {
    throw new KindlingError(`--save ${save}: that is the name the run gives its own model in ${runDir}, which it writes anyway: leave --save out, or give another name`);
  }
  if (inRunDir && (reportFileNames([spec.variant]).has(name) || name === checkpointName(spec))) {
    throw new KindlingError(`--save ${save}: the run writes its own ${name} into ${runDir}, which the model would replace or be replaced by: give another name (the run folder gets the model anyway, as ${modelName(spec)})`);
  }
  if (!inRunDir && /^model-.+-s\d+\.safetensors$/.test(name) && existsSync(path) && existsSync(join(folder, 'results.json'))) {
    // Another run's own model: its results.json and report describe the file, and would then describe another.
    throw new KindlingError(`--save ${save}: that is the model of the run in ${folder}, which its results and report describe; it is not replaced: give another name`);
  }
  if (existsSync(path)) {
    // Replaced only when it is a model file (by its contents: any name will do) that may be written; never a
    // checkpoint, which a run needs to be resumed.
    let kind: string;
    try {
      kind = readModelFile(path).kind;
    } catch {
      throw new KindlingError(`--save ${save}: that file exists and is not a Kindling model file; it is not replaced: give another name`);
    }
    if (kind === 'checkpoint') throw new KindlingError(`--save ${save}: that file is a run's checkpoint, which resuming the run needs; it is not replaced: give another name`);
    try {
      accessSync(path, constants.W_OK);
    } catch (err) {
      throw new KindlingError(`--save ${save}: that model file is write-protected (${describeFsError(err)}); make it writable or give another name`);
    }
  }
  if (existsSync(folder)) checkWritable('--save', folder);
  return { path, replaces: existsSync(path) };
}
