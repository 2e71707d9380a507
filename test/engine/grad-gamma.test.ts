// Finite-difference checks of lgamma (its gradient ψ), digamma (ψ⁽¹⁾), polygamma (ψ⁽ⁿ⁺¹⁾) and mvlgamma (Σ ψ) against
// their float64 values (kernels/ref/gamma.ts), on positive and negative non-integer points.
import { test } from 'node:test';
import { digamma, lgamma, mvlgamma, polygamma, tensor } from '../../src/index.js';
import * as G from '../../src/kernels/ref/gamma.js';
import { gradcheck } from './gradcheck.js';
import * as R from './ref.js';

const points = (): ReturnType<typeof tensor> => tensor([0.3, 0.9, 1.7, 2.5, 4.2, 7.9, -0.4, -1.6], { requiresGrad: true });
const mapRef = (x: R.Ref, fn: (v: number) => number): R.Ref => R.ref(Array.from(x.data, fn), x.shape);

test('gradcheck lgamma, digamma and polygamma', () => {
  const x = points();
  gradcheck('lgamma', { leaves: [x], forward: () => lgamma(x), reference: ([v]) => mapRef(v!, G.lgamma) });
  gradcheck('digamma', { leaves: [x], forward: () => digamma(x), reference: ([v]) => mapRef(v!, G.digamma), rtol: 2e-4 });
  const y = tensor([0.6, 1.3, 2.2, 3.9, 6.1], { requiresGrad: true });
  for (const n of [1, 2, 3]) gradcheck(`polygamma ${n}`, { leaves: [y], forward: () => polygamma(n, y), reference: ([v]) => mapRef(v!, (e) => G.polygamma(n, e)), rtol: 2e-4 });
});

test('gradcheck mvlgamma', () => {
  const x = tensor([2.2, 3.1, 5.5], { requiresGrad: true });
  gradcheck('mvlgamma p 3', {
    leaves: [x], forward: () => mvlgamma(x, 3),
    reference: ([v]) => mapRef(v!, (e) => (3 * 2 / 4) * Math.log(Math.PI) + G.lgamma(e) + G.lgamma(e - 0.5) + G.lgamma(e - 1)),
  });
});
