// Finite-difference checks (float64 reference, test/engine/gradcheck.ts) of hardtanh, relu6, hardshrink and
// softshrink, functional and module forms, with inputs kept away from the kinks.
import { test } from 'node:test';
import { F, nn } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(93);

test('gradcheck F.hardtanh, F.relu6, F.hardshrink, F.softshrink and their modules away from the kinks', () => {
  const x = leaf(rng, [4, 5], { lo: -8, hi: 8, avoid: [-2, -1, 0, 1, 3.5, 6, -0.5, 0.5] });
  const clamp = (lo: number, hi: number) => (v: number): number => Math.min(Math.max(v, lo), hi);
  const hard = (l: number) => (v: number): number => (Math.abs(v) <= l ? 0 : v);
  const soft = (l: number) => (v: number): number => (v > l ? v - l : v < -l ? v + l : 0);
  gradcheck('hardtanh', { leaves: [x], forward: () => F.hardtanh(x), reference: ([r]) => R.map(r!, clamp(-1, 1)) });
  gradcheck('hardtanh(-2, 3.5)', { leaves: [x], forward: () => new nn.Hardtanh(-2, 3.5).forward(x), reference: ([r]) => R.map(r!, clamp(-2, 3.5)) });
  gradcheck('relu6', { leaves: [x], forward: () => new nn.ReLU6().forward(x.mul(1.5)), reference: ([r]) => R.map(r!, (v) => clamp(0, 6)(1.5 * v)) });
  for (const l of [0.5, 1]) {
    gradcheck(`hardshrink(${l})`, { leaves: [x], forward: () => F.hardshrink(x, l), reference: ([r]) => R.map(r!, hard(l)) });
    gradcheck(`softshrink(${l})`, { leaves: [x], forward: () => new nn.Softshrink(l).forward(x), reference: ([r]) => R.map(r!, soft(l)) });
  }
});
