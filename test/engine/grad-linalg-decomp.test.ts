// Finite-difference checks (float64 reference) of the decompositions' own backward formulas: cholesky (lower and
// upper) of X·Xᵀ + nI, solveTriangular (left and right), eigvalsh and eigh of X + Xᵀ (eigenvectors squared: their
// signs are arbitrary), svdvals and svd (vectors squared) of tall and wide matrices. The references are the float64
// kernels the forward passes round (their values are checked against PyTorch in linalg-decomp.test.ts); these tests
// check the gradients against the derivatives of those functions.
import { test } from 'node:test';
import { eye, linalg, type Tensor } from '../../src/index.js';
import { cholesky64 } from '../../src/linalg/cholesky.js';
import { jacobiEigen } from '../../src/linalg/eigh.js';
import { svd64 } from '../../src/linalg/svd.js';
import { gradcheck, leaf, Rng } from './gradcheck.js';
import * as R from './ref.js';

const rng = new Rng(5813);

/** X·Xᵀ + nI in float64. */
function gram(x: R.Ref): Float64Array {
  const n = x.shape[0]!;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? n : 0;
    for (let k = 0; k < x.shape[1]!; k++) s += x.data[i * x.shape[1]! + k]! * x.data[j * x.shape[1]! + k]!;
    out[i * n + j] = s;
  }
  return out;
}

const plusT = (x: R.Ref): Float64Array => {
  const n = x.shape[0]!;
  return Float64Array.from({ length: n * n }, (_, k) => x.data[k]! + x.data[(k % n) * n + Math.floor(k / n)]!);
};

test('gradcheck cholesky of X·Xᵀ + nI, lower and upper', () => {
  const x = leaf(rng, [3, 3]);
  for (const upper of [false, true]) {
    gradcheck(`cholesky upper ${upper}`, {
      leaves: [x], forward: (): Tensor => linalg.cholesky(x.matmul(x.t()).add(eye(3).mul(3)), { upper }),
      reference: ([a]) => {
        const l = cholesky64(gram(a!), 3).l;
        return R.ref(upper ? Array.from({ length: 9 }, (_, k) => l[(k % 3) * 3 + Math.floor(k / 3)]!) : Array.from(l), [3, 3]);
      },
    });
  }
});

test('gradcheck solveTriangular, from the left and from the right', () => {
  const a = leaf(rng, [3, 3]);
  const b = leaf(rng, [3, 2]);
  const lowerOf = (t: Tensor): Tensor => t.tril().add(eye(3).mul(3));
  const solveRef = (am: R.Ref, bm: R.Ref, k: number): number[] => {
    const A = Array.from({ length: 9 }, (_, i) => (i % 3 <= Math.floor(i / 3) ? am.data[i]! + (i % 4 === 0 ? 3 : 0) : 0));
    const out: number[] = new Array(3 * k).fill(0);
    for (let c = 0; c < k; c++) for (let i = 0; i < 3; i++) {
      let s = bm.data[i * k + c]!;
      for (let j = 0; j < i; j++) s -= A[i * 3 + j]! * out[j * k + c]!;
      out[i * k + c] = s / A[i * 3 + i]!;
    }
    return out;
  };
  gradcheck('solveTriangular left', { leaves: [a, b], forward: () => linalg.solveTriangular(lowerOf(a), b, { upper: false }), reference: ([am, bm]) => R.ref(solveRef(am!, bm!, 2), [3, 2]) });
  const c = leaf(rng, [2, 3]);
  gradcheck('solveTriangular right', {
    leaves: [a, c], forward: () => linalg.solveTriangular(lowerOf(a).t(), c, { upper: true, left: false }),
    // X·Lᵀ = C is L·Xᵀ = Cᵀ.
    reference: ([am, cm]) => {
      const ct = R.ref([0, 1, 2].flatMap((i) => [cm!.data[i]!, cm!.data[3 + i]!]), [3, 2]);
      const xt = solveRef(am!, ct, 2);
      return R.ref([0, 1].flatMap((r) => [0, 1, 2].map((i) => xt[i * 2 + r]!)), [2, 3]);
    },
  });
});

test('gradcheck eigvalsh and eigh of X + Xᵀ (eigenvectors squared)', () => {
  const x = leaf(rng, [3, 3]);
  gradcheck('eigvalsh', { leaves: [x], forward: () => linalg.eigvalsh(x.add(x.t())), reference: ([a]) => R.ref(Array.from(jacobiEigen(plusT(a!), 3).values), [3]) });
  gradcheck('eigh vectors squared', {
    leaves: [x], forward: () => { const [, v] = linalg.eigh(x.add(x.t())); return v.mul(v); },
    reference: ([a]) => R.ref(Array.from(jacobiEigen(plusT(a!), 3).vectors, (v) => v * v), [3, 3]),
  });
});

test('gradcheck svdvals and svd (vectors squared) of tall and wide matrices', () => {
  for (const [m, n] of [[4, 3], [2, 4]] as const) {
    const x = leaf(rng, [m, n]);
    const k = Math.min(m, n);
    gradcheck(`svdvals ${m}x${n}`, { leaves: [x], forward: () => linalg.svdvals(x), reference: ([a]) => R.ref(Array.from(svd64(Float64Array.from(a!.data), m, n).s), [k]) });
    gradcheck(`svd U squared ${m}x${n}`, {
      leaves: [x], forward: () => { const { U } = linalg.svd(x, { fullMatrices: false }); return U.mul(U); },
      reference: ([a]) => R.ref(Array.from(svd64(Float64Array.from(a!.data), m, n).u, (v) => v * v), [m, k]),
    });
    gradcheck(`svd Vh squared ${m}x${n}`, {
      leaves: [x], forward: () => { const { Vh } = linalg.svd(x, { fullMatrices: false }); return Vh.mul(Vh); },
      reference: ([a]) => {
        const v = svd64(Float64Array.from(a!.data), m, n).v;
        return R.ref(Array.from({ length: k * n }, (_, i) => v[(i % n) * k + Math.floor(i / n)]! ** 2), [k, n]);
      },
    });
  }
});
