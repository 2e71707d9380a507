// sin and cos gradients against float64 finite differences (gradcheck.ts), on a contiguous and a transposed input.
import { test } from 'node:test';
import { cos, sin } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

for (const [name, f, g] of [['sin', sin, Math.sin], ['cos', cos, Math.cos]] as const) {
  test(`${name}: gradients by finite differences, contiguous and transposed`, () => {
    const rng = new Rng(55);
    const x = leaf(rng, [3, 4]);
    gradcheck(`${name}(x)`, { leaves: [x], forward: () => f(x).mul(f(x)).sum(), reference: ([r]) => R.sum(R.map(r!, (v) => g(v) * g(v))) });
    gradcheck(`${name}(x.T)`, { leaves: [x], forward: () => f(x.t()), reference: ([r]) => R.map(R.transpose(r!, 0, 1), g) });
  });
}
