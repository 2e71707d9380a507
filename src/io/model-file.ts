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
 * - optional `variant`, `label`, `config` (JSON), `seed`, `epoch`, `step`, `accuracy`.
 *
 * This file knows nothing of modules: it checks the envelope and hands the parsed pieces to `nn/serialize.ts`.
 */
import { KindlingError } from '../errors.js';
import { loadFile, saveFile } from './safetensors-file.js';
import type { SafetensorsContents, SafetensorsInput, SafetensorsTensor } from './safetensors.js';

/** The version of the metadata layout this Kindling writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

/** Tensor name prefixes a checkpoint uses for things that are not model parameters. */
export const RESERVED_PREFIXES: readonly string[] = ['optim.', 'run.'];

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

/** What a model file may record about where the weights came from. All optional. */
export interface ModelInfo {
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
  const meta: Record<string, string> = {
    format: 'pt',
    kindling_format: String(MODEL_FORMAT_VERSION),
    kind,
    architecture: JSON.stringify(architecture),
  };
  if (info.variant !== undefined) meta['variant'] = info.variant;
  if (info.label !== undefined) meta['label'] = info.label;
  if (info.config !== undefined) meta['config'] = JSON.stringify(info.config);
  for (const key of ['seed', 'epoch', 'step', 'accuracy'] as const) {
    const v = info[key];
    if (v !== undefined) {
      if (!Number.isFinite(v)) throw new ModelFileError(`model info: ${key} must be a finite number, got ${v}`);
      meta[key] = String(v);
    }
  }
  return meta;
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
  const tensors: Record<string, SafetensorsInput> = { ...parameters };
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

function parseNumber(path: string, key: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new ModelFileError(`${path}: metadata "${key}" must be a number, got ${JSON.stringify(text)}`);
  }
  return n;
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
  for (const key of ['seed', 'epoch', 'step', 'accuracy'] as const) {
    const v = parseNumber(path, key, meta[key]);
    if (v !== undefined) info[key] = v;
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
  if (meta['architecture'] === undefined) {
    const holds = names.length === 0 ? 'no tensors' : `${names.length} tensor(s): ${listNames(names)}`;
    throw new ModelFileError(
      `${path} has no "architecture" entry in its metadata, so Kindling cannot rebuild the model (the file holds ${holds}). ` +
        'It was probably written by another tool: build the model in code and load the weights with loadWeights(model, path).',
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
    Object.defineProperty(parameters, name, { value: raw.tensors[name], enumerable: true, writable: true, configurable: true });
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
