// Shared by the optimizer tests: a small parameter, steps on a quadratic, and a closeness check.
import assert from 'node:assert/strict';
import { tensor, type optim, type Tensor } from '../../src/index.js';

export const P0 = [1, -2, 3];

/** A fresh leaf holding P0. */
export const param = (): Tensor => tensor(P0, undefined, { requiresGrad: true });

/** Runs `steps` optimizer steps with the gradient of ½Σp² (that is, g = p). */
export function quadratic(opt: optim.Optimizer, p: Tensor, steps: number): number[] {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    p.mul(p).sum().mul(0.5).backward();
    opt.step();
  }
  return [...p.toArray()];
}

/** Asserts each element within `rtol` of the wanted value (relative, or absolute below 1). */
export function close(got: readonly number[], want: readonly number[], rtol = 2e-6): void {
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= rtol * Math.max(1, Math.abs(want[i]!)), `element ${i}: ${g} vs ${want[i]}`));
}
