/**
 * Kindling's model files: a safetensors file whose tensors are a PyTorch `state_dict` (F32, row-major, PyTorch's
 * key names) and whose `__metadata__` says how to rebuild the model. Any safetensors reader (PyTorch, JAX, the
 * Hugging Face tools) reads the weights; Kindling also reads the architecture and rebuilds the model.
 *
 * Metadata (every value a string, as the format requires):
 * - `format`: `pt`, the Hugging Face convention for PyTorch-layout weights;
 * - `kindling_format`: the version of this layout (1);
 * - `kind`: `model`, or `checkpoint` when optimizer state and the run's position travel in the same file
 *   (under the reserved tensor prefixes `optim.` and `run.`; see `lab/checkpoint.ts`);
 * - `architecture`: JSON describing the layers (see `nn/serialize.ts`);
 * - optional `variant`, `label`, `config` (JSON), `seed`, `epoch`, `step`, `accuracy`;
 * - any other string a user put in the info (`model.save(path, { note: 'hi' })`), under its own name.
 *
 * This file knows nothing of modules: it checks the envelope and hands the parsed pieces to `nn/serialize.ts`.
 */
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { loadFile, saveFile } from './safetensors-file.js';
import type { SafetensorsContents, SafetensorsInput, SafetensorsTensor } from './safetensors.js';

/** The version of the metadata layout this Kindling writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

/** Tensor name prefixes a checkpoint uses for things that are not model parameters. */
export const RESERVED_PREFIXES: readonly string[] = ['optim.', 'run.'];

/** Metadata entries a checkpoint adds (see `lab/checkpoint.ts`). */
export const CHECKPOINT_METADATA: readonly string[] = ['optimizer', 'run', 'position', 'data', 'index', 'command', 'createdAt'];

/** The metadata entries Kindling writes itself: a user's own info entry cannot take one of these names. */
const RESERVED_METADATA: readonly string[] = ['format', 'kindling_format', 'kind', 'architecture', ...CHECKPOINT_METADATA];

/** The info fields with a meaning (and a type) of their own. */
const INFO_FIELDS = ['variant', 'label', 'config', 'seed', 'epoch', 'step', 'accuracy', 'testSamples'] as const;

/**
 * A model file is unusable: no architecture, an architecture Kindling does not know, a missing, unexpected or
 * wrongly shaped tensor. The message starts with the file name and names the tensor and both shapes.
 */
export class ModelFileError extends KindlingError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'ModelFileError';
  }
}

/**
 * What a model file may record about where the weights came from. All optional. Any other key holds a string of
 * the user's own (`{ note: 'after the long run' }`): it is written as a metadata entry of that name, which any
 * safetensors reader sees, and read back into the info.
 */
export interface ModelInfo {
  readonly [key: string]: unknown;
  readonly variant?: string;
  readonly label?: string;
  /** The run configuration (any JSON value; the lab stores its `RunConfig`). */
  readonly config?: unknown;
  readonly seed?: number;
  /** Completed epochs. */
  readonly epoch?: number;
  /** Completed training steps. */
  readonly step?: number;
  /** Test accuracy, 0–1. */
  readonly accuracy?: number;
  /** Where the test images behind `accuracy` came from (an MnistSplit's `source`). */
  readonly testData?: string;
  /** How many of them (the first ones) `accuracy` counts: fewer than the split's with `--test-limit`. */
  readonly testSamples?: number;
  /** The fingerprint (`splitDigest`) of those images and their labels. */
  readonly testDigest?: string;
}

export type ModelKind = 'model' | 'checkpoint';

/** A model file's contents, checked: the architecture still as JSON (nn/serialize.ts validates it). */
export interface ModelFileContents {
  readonly kind: ModelKind;
  readonly architecture: unknown;
  /** The model's parameters only (a checkpoint's `optim.*` and `run.*` tensors are left out). */
  readonly parameters: Record<string, SafetensorsTensor>;
  readonly info: ModelInfo;
  /** Every tensor and metadata entry of the file, for checkpoints. */
  readonly raw: SafetensorsContents;
}

/** The metadata entries of a model file, in the order they are written. */
export function modelMetadata(kind: ModelKind, architecture: unknown, info: ModelInfo = {}): Record<string, string> {
  if (!isPlainObject(info)) throw new TypeError(`model info must be an object such as { variant: 'mine', epoch: 3, note: 'hi' }, got ${describeValue(info)}`);
  const meta: Record<string, string> = {
    format: 'pt',
    kindling_format: String(MODEL_FORMAT_VERSION),
    kind,
    architecture: JSON.stringify(architecture),
  };
  for (const key of ['variant', 'label'] as const) {
    const v: unknown = info[key];
    if (v !== undefined && typeof v !== 'string') throw new ModelFileError(`model info: ${key} must be a string, got ${describeValue(v)}`);
    if (v !== undefined) meta[key] = v;
  }
  if (info.config !== undefined) meta['config'] = JSON.stringify(info.config);
  for (const key of ['seed', 'epoch', 'step', 'accuracy', 'testSamples'] as const) {
    const v = info[key];
    if (v !== undefined) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelFileError(`model info: ${key} must be a finite number, got ${describeValue(v)}`);
      const wrong = numberProblem(key, v);
      if (wrong !== null) throw new ModelFileError(`model info: ${key} must be ${wrong}, got ${v}`);
      meta[key] = String(v);
    }
  }
  for (const [key, v] of Object.entries(info)) {
    if ((INFO_FIELDS as readonly string[]).includes(key) || v === undefined) continue;
    if (RESERVED_METADATA.includes(key)) {
      throw new ModelFileError(`model info: "${key}" is a metadata entry Kindling writes itself (${RESERVED_METADATA.join(', ')}); give your entry another name`);
    }
    if (typeof v !== 'string') {
      throw new ModelFileError(
        `model info: "${key}" is not one of Kindling's fields (${INFO_FIELDS.join(', ')}), so it is kept as a metadata entry, ` +
          `and those are strings (safetensors), but it is ${describeValue(v)}: pass a string, or put it under config (any JSON value)`,
      );
    }
    define(meta, key, v);
  }
  return meta;
}

/** Sets `obj[key]` as an own property, whatever the key ("__proto__" included). */
function define(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Writes a model file atomically (temporary file, fsync, rename).
 *
 * @param extra tensors and metadata a checkpoint adds (tensor names must start with a reserved prefix).
 * @throws IoError if the file cannot be written; ModelFileError for bad info.
 * @example
 * writeModelFile('model.safetensors', 'model', arch, { '0.weight': { shape: [200, 784], data } }, { seed: 0 });
 */
export function writeModelFile(
  path: string,
  kind: ModelKind,
  architecture: unknown,
  parameters: Readonly<Record<string, SafetensorsInput>>,
  info: ModelInfo = {},
  extra: { tensors?: Readonly<Record<string, SafetensorsInput>>; metadata?: Readonly<Record<string, string>> } = {},
): void {
  checkOptions('writeModelFile', extra, ['tensors', 'metadata']);
  const tensors: Record<string, SafetensorsInput> = { ...parameters };
  for (const name of Object.keys(extra.metadata ?? {})) {
    if (!CHECKPOINT_METADATA.includes(name)) throw new ModelFileError(`writeModelFile: extra metadata "${name}" is not one of a checkpoint's entries (${CHECKPOINT_METADATA.join(', ')})`);
  }
  for (const [name, t] of Object.entries(extra.tensors ?? {})) {
    if (!RESERVED_PREFIXES.some((p) => name.startsWith(p))) {
      throw new ModelFileError(`writeModelFile: extra tensor "${name}" must start with ${RESERVED_PREFIXES.join(' or ')}`);
    }
    tensors[name] = t;
  }
  for (const name of Object.keys(parameters)) {
    if (RESERVED_PREFIXES.some((p) => name.startsWith(p))) {
      throw new ModelFileError(`writeModelFile: parameter "${name}" uses a prefix reserved for checkpoints`);
    }
  }
  saveFile(path, tensors, { ...modelMetadata(kind, architecture, info), ...extra.metadata });
}

function parseNumber(path: string, key: NumberField, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new ModelFileError(`${path}: metadata "${key}" must be a number, got ${JSON.stringify(text)}`);
  }
  const wrong = numberProblem(key, n);
  if (wrong !== null) throw new ModelFileError(`${path}: metadata "${key}" must be ${wrong}, got ${JSON.stringify(text)}`);
  return n;
}

type NumberField = 'seed' | 'epoch' | 'step' | 'accuracy' | 'testSamples';

/** What a numeric info field must be when it is not (null when `n` is fine): counts are whole, an accuracy 0–1. */
function numberProblem(key: NumberField, n: number): string | null {
  if (key === 'accuracy') return n >= 0 && n <= 1 ? null : 'a fraction from 0 to 1';
  return Number.isInteger(n) && n >= 0 ? null : 'a whole number 0 or more';
}

/** Parses a JSON metadata entry, naming the file and the entry when it is not JSON. */
export function parseMetadataJson(path: string, key: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ModelFileError(`${path}: metadata "${key}" is not valid JSON (${why})`, { cause: err });
  }
}

function readInfo(path: string, meta: Record<string, string>): ModelInfo {
  const info: { -readonly [K in keyof ModelInfo]: ModelInfo[K] } = {};
  if (meta['variant'] !== undefined) info.variant = meta['variant'];
  if (meta['label'] !== undefined) info.label = meta['label'];
  if (meta['config'] !== undefined) info.config = parseMetadataJson(path, 'config', meta['config']);
  for (const key of ['seed', 'epoch', 'step', 'accuracy', 'testSamples'] as const) {
    const v = parseNumber(path, key, meta[key]);
    if (v !== undefined) info[key] = v;
  }
  // The user's own entries, under their own names (defined, so that even "__proto__" is an ordinary key).
  for (const [key, v] of Object.entries(meta)) {
    if (!RESERVED_METADATA.includes(key) && !(INFO_FIELDS as readonly string[]).includes(key)) define(info, key, v);
  }
  return info;
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 6).map((n) => `"${n}"`).join(', ');
  return names.length > 6 ? `${shown}, … (${names.length} in all)` : shown;
}

/** Checks the envelope of already-decoded safetensors contents (see {@link readModelFile}). */
export function checkModelContents(path: string, raw: SafetensorsContents): ModelFileContents {
  const meta = raw.metadata;
  const names = Object.keys(raw.tensors);
  const holds = (): string => (names.length === 0 ? 'no tensors' : `${names.length} tensor(s): ${listNames(names)}`);
  const weightsAlone =
    'build the model in code and load the weights with nn.loadWeights(model, path); model.save(path) writes a file that can be rebuilt (and used by kindling eval and predict).';
  if (meta['architecture'] === undefined) {
    throw new ModelFileError(
      `${path} has no "architecture" entry in its metadata, so Kindling cannot rebuild the model (the file holds ${holds()}). ` +
        `It holds weights alone, as saveFile(path, model.stateDict()) or another tool (PyTorch's safetensors) writes them: ${weightsAlone}`,
    );
  }
  // Another tool may use the key for text of its own ("Linear(4,3)-Sigmoid-…"): Kindling's is always JSON.
  if (meta['kindling_format'] === undefined && !/^\s*[[{]/.test(meta['architecture'])) {
    throw new ModelFileError(
      `${path} was not written by Kindling's model.save: its "architecture" entry is text of another tool's (${JSON.stringify(meta['architecture'].slice(0, 60))}), ` +
        `not an architecture Kindling can rebuild (the file holds ${holds()}). To use its weights, ${weightsAlone}`,
    );
  }
  const version = meta['kindling_format'];
  if (version !== undefined && version !== String(MODEL_FORMAT_VERSION)) {
    const n = Number(version);
    const why = Number.isInteger(n) && n > MODEL_FORMAT_VERSION ? 'written by a newer Kindling' : 'not a format this Kindling knows';
    throw new ModelFileError(`${path}: model format version ${JSON.stringify(version)} is ${why} (this Kindling reads version ${MODEL_FORMAT_VERSION})`);
  }
  const kindText = meta['kind'] ?? 'model';
  if (kindText !== 'model' && kindText !== 'checkpoint') {
    throw new ModelFileError(`${path}: metadata "kind" must be "model" or "checkpoint", got ${JSON.stringify(kindText)}`);
  }
  const kind: ModelKind = kindText;
  const parameters: Record<string, SafetensorsTensor> = {};
  for (const name of names) {
    if (kind === 'checkpoint' && RESERVED_PREFIXES.some((p) => name.startsWith(p))) continue;
    define(parameters, name, raw.tensors[name]);
  }
  return { kind, architecture: parseMetadataJson(path, 'architecture', meta['architecture']), parameters, info: readInfo(path, meta), raw };
}

/**
 * Reads a model (or checkpoint) file and checks its envelope: the safetensors layout (the decoder validates every
 * byte), the architecture entry, the format version and the info fields. The architecture itself and the tensor
 * shapes are checked by `nn/serialize.ts`, which knows the layers.
 *
 * @throws SafetensorsError for a missing, unreadable or malformed file; ModelFileError for bad metadata.
 * @example
 * const { architecture, parameters, info } = readModelFile('model.safetensors');
 */
export function readModelFile(path: string): ModelFileContents {
  return checkModelContents(path, loadFile(path));
}
