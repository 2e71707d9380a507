import { fileURLToPath } from 'node:url';
import { describeValue, isPlainObject } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { loadFile as loadRaw, saveFile as saveRaw } from './safetensors-file.js';
import { put, type SafetensorsInput } from './safetensors.js';
import { safetensorsEntry, tensorOfEntry } from './tensor-entry.js';

/**
 * The (name, value) pairs of a state dict: an object literal (`model.stateDict()`) or a Map, as safetensors'
 * `save_file` takes a dict. Anything else is refused rather than read through `Object.entries`, which would save a
 * Map as no tensors, a string's characters as metadata, and a Module's or a Tensor's own fields as tensors.
 */
function namedEntries(what: string, v: unknown, example: string): [string, unknown][] {
  if (v instanceof Map) {
    return [...(v as Map<unknown, unknown>)].map(([k, x]) => {
      if (typeof k !== 'string') throw new TypeError(`saveFile: the ${what} must be named by strings, got a key ${describeValue(k)}`);
      return [k, x];
    });
  }
  if (isPlainObject(v)) return Object.entries(v);
  const hint = typeof (v as { stateDict?: unknown } | null)?.stateDict === 'function' ? ': for a model, pass model.stateDict()'
    : v instanceof Tensor ? ': name the tensor, as in { weight: w }' : '';
  throw new TypeError(`saveFile: the ${what} must be an object of name → value (or a Map), as in ${example}, got ${describeValue(v)}${hint}`);
}

/**
 * Saves a state dict (name → Tensor, e.g. `model.stateDict()`, or a Map, as safetensors' `save_file` takes a dict)
 * as safetensors: F32 (BOOL for a mask, as PyTorch writes a bool tensor), row-major whatever the tensors' storage layout, written atomically, with string metadata
 * (null, as `metadata=None`, for none). PyTorch reads it with `safetensors.torch.load_file`.
 *
 * @example
 * saveFile('weights.safetensors', model.stateDict(), { note: 'after epoch 3' });
 */
export function saveFile(
  path: string | URL,
  tensors: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>,
  metadata?: Readonly<Record<string, string>> | ReadonlyMap<string, string> | null,
): void {
  if (typeof path !== 'string' && typeof tensors === 'string') {
    throw new TypeError(`saveFile: the path comes first, then the tensors: saveFile('${tensors}', model.stateDict()) (PyTorch's torch.save and safetensors' save_file take them the other way round)`);
  }
  const file = filePath('saveFile', path);
  const raw: Record<string, SafetensorsInput> = {};
  for (const [name, t] of namedEntries('tensors', tensors, 'saveFile(path, model.stateDict())')) {
    if (!(t instanceof Tensor)) throw new TypeError(`saveFile: "${name}" is not a Tensor`);
    put(raw, name, safetensorsEntry(t));
  }
  // null is safetensors' metadata=None: no metadata, as left out.
  let meta: Record<string, string> | undefined;
  if (metadata !== undefined && metadata !== null) {
    meta = {};
    for (const [k, v] of namedEntries('metadata', metadata, "saveFile(path, tensors, { epoch: '3' })")) put(meta, k, v as string);
  }
  saveRaw(file, raw, meta);
}

/**
 * Reads a safetensors file into name → Tensor (float32; other dtypes are converted, and BOOL gives a mask, as
 * PyTorch's bool tensor) plus its metadata.
 *
 * @example
 * const { tensors } = loadFile('weights.safetensors');
 * model.loadStateDict(tensors);
 */
export function loadFile(path: string | URL): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const { tensors, metadata } = loadRaw(filePath('loadFile', path));
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) put(out, name, tensorOfEntry(t));
  return { tensors: out, metadata };
}

/** The file name of a path given as a string or a `file:` URL (as Node's fs takes one: `new URL('./w.safetensors', import.meta.url)`). */
function filePath(where: string, path: unknown): string {
  if (typeof path === 'string') return path;
  if (path instanceof URL) {
    if (path.protocol !== 'file:') throw new TypeError(`${where}: a URL path must be a file: URL, got ${path.protocol} (${path.href})`);
    return fileURLToPath(path);
  }
  throw new TypeError(`${where}: the path must be a file name (a string or a file: URL), got ${describeValue(path)}`);
}
