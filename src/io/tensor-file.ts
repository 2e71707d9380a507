import { Tensor } from '../tensor/tensor.js';
import { loadFile as loadRaw, saveFile as saveRaw } from './safetensors-file.js';
import { put } from './safetensors.js';

/**
 * Saves a state dict (name → Tensor, e.g. `model.stateDict()`) as safetensors: F32, row-major whatever the
 * tensors' storage layout, written atomically. PyTorch reads it with `safetensors.torch.load_file`.
 *
 * @example
 * saveFile('weights.safetensors', model.stateDict(), { note: 'after epoch 3' });
 */
export function saveFile(path: string, tensors: Readonly<Record<string, Tensor>>, metadata?: Record<string, string>): void {
  if (typeof path !== 'string' && typeof tensors === 'string') {
    throw new TypeError(`saveFile: the path comes first, then the tensors: saveFile('${tensors}', model.stateDict()) (PyTorch's torch.save and safetensors' save_file take them the other way round)`);
  }
  const raw: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t instanceof Tensor)) throw new TypeError(`saveFile: "${name}" is not a Tensor`);
    put(raw, name, { shape: t.shape, data: t.toArray() });
  }
  saveRaw(path, raw, metadata);
}

/**
 * Reads a safetensors file into name → Tensor (float32; other dtypes are converted) plus its metadata.
 *
 * @example
 * const { tensors } = loadFile('weights.safetensors');
 * model.loadStateDict(tensors);
 */
export function loadFile(path: string): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const { tensors, metadata } = loadRaw(path);
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) put(out, name, new Tensor(t.data, t.shape));
  return { tensors: out, metadata };
}
