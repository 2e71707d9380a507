// Finite-difference checks (float64 reference) of einsum and tensordot: every operand of contractions, batch labels,
// traces and diagonals, outer products, three operands, ellipses with broadcasting, and tensordot's two forms. The
// reference is a plain float64 Einstein sum over every assignment of the labels, written independently of the op.
import { test } from 'node:test';
import { einsum, tensordot } from '../../src/index.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(57);

/** Σ over the labels not in `out` of Π operands, in float64; one letter per dimension (no ellipsis). */
function einsumRef(equation: string, xs: readonly R.Ref[]): R.Ref {
  const [lhs, out] = equation.split('->') as [string, string];
  const terms = lhs.split(',');
  const size = new Map<string, number>();
  terms.forEach((t, i) => [...t].forEach((l, d) => size.set(l, xs[i]!.shape[d]!)));
  const labels = [...size.keys()];
  const outShape = [...out].map((l) => size.get(l)!);
  const result = new Array<number>(outShape.reduce((a, b) => a * b, 1)).fill(0);
  const value = new Map<string, number>();
  const flat = (t: string, shape: readonly number[]): number => [...t].reduce((k, l, d) => k * shape[d]! + value.get(l)!, 0);
  const visit = (k: number): void => {
    if (k === labels.length) {
      let p = 1;
      terms.forEach((t, i) => { p *= xs[i]!.data[flat(t, xs[i]!.shape)]!; });
      result[flat(out, outShape)]! += p;
      return;
    }
    for (let v = 0; v < size.get(labels[k]!)!; v++) {
      value.set(labels[k]!, v);
      visit(k + 1);
    }
  };
  visit(0);
  return R.ref(result, outShape);
}

for (const [equation, shapes] of [
  ['ij,jk->ik', [[3, 4], [4, 2]]],
  ['bij,bjk->bik', [[2, 3, 2], [2, 2, 3]]],
  ['ii->i', [[3, 3]]],
  ['ii->', [[3, 3]]],
  ['iij->j', [[2, 2, 3]]],
  ['i,j->ij', [[3], [2]]],
  ['ij,ij->i', [[2, 3], [2, 3]]],
  ['ij,jk,kl->il', [[2, 3], [3, 2], [2, 2]]],
  ['ij,ik,il->jkl', [[3, 2], [3, 2], [3, 2]]],
  ['ii,ij->j', [[3, 3], [3, 2]]],
  ['bhqd,bhkd->bhqk', [[1, 2, 3, 2], [1, 2, 2, 2]]],
] as const) {
  test(`gradcheck einsum('${equation}')`, () => {
    const leaves = shapes.map((s) => leaf(rng, s));
    gradcheck(`einsum ${equation}`, { leaves, forward: () => einsum(equation, ...leaves), reference: (xs) => einsumRef(equation, xs) });
  });
}

test('gradcheck einsum with an ellipsis that broadcasts, and an implicit output', () => {
  const a = leaf(rng, [2, 3, 2]);
  const b = leaf(rng, [1, 2, 3]);
  // '...ij,...jk' on [2, 3, 2] and [1, 2, 3]: the ellipsis [2] against [1] broadcasts; the implicit output is ...ik.
  gradcheck('einsum ...ij,...jk', {
    leaves: [a, b], forward: () => einsum('...ij,...jk', a, b),
    reference: ([x, y]) => einsumRef('bij,jk->bik', [x!, R.reshape(y!, [2, 3])]),
  });
});

test('gradcheck tensordot: an int and two lists of dims', () => {
  const a = leaf(rng, [2, 3, 2]);
  const b = leaf(rng, [3, 2, 2]);
  gradcheck('tensordot 2', { leaves: [a, b], forward: () => tensordot(a, b, 2), reference: ([x, y]) => einsumRef('ijk,jkl->il', [x!, y!]) });
  gradcheck('tensordot lists', {
    leaves: [a, b], forward: () => tensordot(a, b, [[0, 1], [2, 0]]),
    // a's dims 0 and 1 meet b's 2 and 0: labels x, y; the result has a's dim 2 (k), then b's dim 1 (l).
    reference: ([x, y]) => einsumRef('xyk,ylx->kl', [x!, y!]),
  });
});
