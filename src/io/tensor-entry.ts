// Tensors to and from safetensors entries, masks as BOOL (PyTorch's bool tensors), everything else as F32. No Node
// imports: the browser's model files (web/client) go through here too.
import { isMask, markMask } from '../tensor/mask-mark.js';
import { Tensor } from '../tensor/tensor.js';
import type { SafetensorsInput, SafetensorsTensor } from './safetensors.js';

/** A tensor as safetensors writes it: row-major values, BOOL for a mask (PyTorch's bool tensor), else F32. */
export function safetensorsEntry(t: Tensor): SafetensorsInput {
  return { dtype: isMask(t) ? 'BOOL' : 'F32', shape: [...t.shape], data: t.toArray() };
}

/** A tensor read from a file: a BOOL one comes back a mask, as PyTorch's bool tensor. */
export function tensorOfEntry(t: SafetensorsTensor): Tensor {
  const out = new Tensor(t.data, t.shape);
  return t.dtype === 'BOOL' ? markMask(out) : out;
}
