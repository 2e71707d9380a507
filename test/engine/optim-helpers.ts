// Shared by the optimizer tests: a small parameter, steps on a quadratic, and a closeness check.
import assert from 'node:assert/strict';
import { nn, tensor, type optim, type Tensor } from '../../src/index.js';

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

/** Trains a tiny model (a combined-variant network; Linear weights are stored transposed) for `steps` steps on fixed data. */
export function trainSteps(model: nn.Module, opt: optim.Optimizer, steps: number): void {
  const x = tensor([[0.1, 0.9, 0.3, 0.0], [0.5, 0.2, 0.8, 1.0], [0.0, 0.0, 0.7, 0.4]]);
  const y = tensor([[1, 0], [0, 1], [1, 1]]);
  const loss = new nn.BCELoss();
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    loss.forward(model.forward(x), y).backward();
    opt.step();
  }
}

/** The tiny model trainSteps trains: Linear → LeakyReLU → LayerNorm → Linear → Sigmoid. */
export const tiny = (): nn.Sequential => new nn.Sequential(new nn.Linear(4, 3), new nn.LeakyReLU(0.02), new nn.LayerNorm(3), new nn.Linear(3, 2), new nn.Sigmoid());
