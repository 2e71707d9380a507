// Finite-difference checks (float64 reference) of F.cosineSimilarity, F.pairwiseDistance (p 1, 2, 3, eps, broadcast)
// and F.marginRankingLoss (each reduction): every tensor operand's gradient. Points keep away from the kinks (equal
// elements for p = 1, a hinge at exactly zero).
import { test } from 'node:test';
import { F, tensor, type Tensor } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(5601);
const L = (shape: number[]): Tensor => leaf(rng, shape, { lo: -2, hi: 2 });

/** Σ over the last dimension of f(a, b) elementwise, a and b broadcast to `shape` ([rows, cols]). */
function rowSum(a: R.Ref, b: R.Ref, shape: [number, number], f: (x: number, y: number) => number): R.Ref {
  const ea = R.expand(a, shape).data;
  const eb = R.expand(b, shape).data;
  const [n, d] = shape;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += f(ea[i * d + j]!, eb[i * d + j]!);
    out.push(s);
  }
  return R.ref(out, [n]);
}

test('F.cosineSimilarity: gradients of both operands, over dim 1 and broadcast', () => {
  for (const [s1, s2] of [[[4, 5], [4, 5]], [[3, 6], [6]]] as [number[], number[]][]) {
    const a = L(s1);
    const b = L(s2);
    gradcheck(`cosineSimilarity ${s1} ${s2}`, {
      leaves: [a, b],
      forward: () => F.cosineSimilarity(a, b, { dim: -1 }),
      reference: ([x, y]) => {
        const shape: [number, number] = [s1[0]!, s1[1]!];
        const dot = rowSum(x!, y!, shape, (u, v) => u * v).data;
        const nx = rowSum(x!, x!, shape, (u) => u * u).data;
        const ny = rowSum(y!, y!, shape, (_u, v) => v * v).data;
        return R.ref(Array.from(dot, (d, i) => d / (Math.max(Math.sqrt(nx[i]!), 1e-8) * Math.max(Math.sqrt(ny[i]!), 1e-8))), [shape[0]]);
      },
    });
  }
});

test('F.pairwiseDistance: gradients of both operands for p 1, 2 and 3, with eps and broadcast', () => {
  for (const p of [1, 2, 3]) {
    const a = L([4, 5]);
    const b = tensor(Array.from(a.toArray(), (v, i) => v + (i % 2 === 0 ? 0.3 : -0.45) * (1 + (i % 3))), [4, 5], { requiresGrad: true });
    const c = L([5]);
    for (const [x1, x2, name] of [[a, b, 'same shape'], [a, c, 'broadcast']] as [Tensor, Tensor, string][]) {
      gradcheck(`pairwiseDistance p=${p} ${name}`, {
        leaves: [x1, x2],
        forward: () => F.pairwiseDistance(x1, x2, { p, eps: 1e-6 }),
        reference: ([x, y]) => {
          const s = rowSum(x!, y!, [4, 5], (u, v) => Math.abs(u - v + 1e-6) ** p);
          return R.map(s, (v) => v ** (1 / p));
        },
      });
    }
  }
});

test('F.marginRankingLoss: gradients of both inputs for each reduction and margin', () => {
  const target = tensor([1, -1, 1, -1, 1, -1], [6]);
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    for (const margin of [0, 0.5]) {
      // input1 − input2 kept away from the hinge: each pair's difference is ±(0.7 + margin·…) from the margin.
      const a = L([6]);
      const b = tensor(Array.from(a.toArray(), (v, i) => v - (i % 3 === 0 ? 1.3 : -0.9) - margin * (i % 2 === 0 ? 1 : -1)), [6], { requiresGrad: true });
      gradcheck(`marginRankingLoss ${reduction} margin ${margin}`, {
        leaves: [a, b],
        forward: () => F.marginRankingLoss(a, b, target, { margin, reduction }),
        reference: ([x, y]) => {
          const t = target.toArray();
          const l = R.ref(Array.from(x!.data, (u, i) => Math.max(0, -t[i]! * (u - y!.data[i]!) + margin)), [6]);
          return R.reduceLoss(l, reduction);
        },
      });
    }
  }
});
