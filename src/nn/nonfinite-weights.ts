import type { Module } from './module.js';

/**
 * Why a loaded model's outputs would mean nothing: its first parameter or buffer (BatchNorm's running statistics
 * too) holding NaN or ±∞, named with how many such values, as `${path}: …`; null when every value is finite.
 * (Zero pixels skip their weight rows exactly only for finite weights; a model like this gives NaN in PyTorch.)
 */
export function nonFiniteWeights(model: Module, path: string): string | null {
  for (const [name, p] of [...model.namedParameters(), ...model.namedBuffers()]) {
    const bad = p.toArray().reduce((n, v) => (Number.isFinite(v) ? n : n + 1), 0);
    if (bad > 0) return `${path}: ${name} holds ${bad.toLocaleString('en-US')} NaN or infinite value${bad === 1 ? '' : 's'}; such a model's outputs mean nothing (was it saved after its loss became NaN?)`;
  }
  return null;
}
