/**
 * Group normalisation's float32 arithmetic. The forward pass is PyTorch 1.13's CPU kernel (AVX2: eight float32
 * lanes; aten/src/ATen/native/cpu/group_norm_kernel.cpp and moments_utils.h) bit for bit, as checked against the
 * fixtures: `Math.fround` marks each float32 rounding, and no multiply-add is fused but the output's
 * y = scale·x + shift. The backward pass uses PyTorch's formulas in float64 (see groupNormBackward).
 */
import { fmaf } from './fmaf.js';

const f = Math.fround;
const LANES = 8;
const CHUNK = 16;

/** AddMoments: merges the moments (m0Add, m1Add, m2Add) into the running ones in `st`. */
function addMoments(m0Add: number, m1Add: number, m2Add: number, st: { m0: number; m1: number; m2: number }): void {
  const n = st.m0 + m0Add;
  const c = n === 0 ? 0 : f(m0Add / n);
  const delta = f(m1Add - st.m1);
  st.m1 = f(st.m1 + f(c * delta));
  st.m2 = f(st.m2 + f(m2Add + f(f(f(delta * delta) * c) * st.m0)));
  st.m0 = n;
}

/** AddMomentsVec, lane by lane: merges (m0Add, m1Add, m2Add) into level k of the stacks. */
function addMomentsVec(m0Add: number, m1Add: Float32Array, m2Add: Float32Array, m0: number[], m1: Float32Array[], m2: Float32Array[], k: number): void {
  const n = m0[k]! + m0Add;
  const c = n === 0 ? 0 : f(m0Add / n);
  const count = m0[k]!;
  const [a, b] = [m1[k]!, m2[k]!];
  for (let l = 0; l < LANES; l++) {
    const delta = f(m1Add[l]! - a[l]!);
    a[l] = a[l]! + f(c * delta);
    b[l] = b[l]! + f(m2Add[l]! + f(f(f(delta * delta) * c) * count));
  }
  m0[k] = n;
}

/**
 * PyTorch's RowwiseMoments of X[at, at + N): the mean and the biased variance, by Welford's updates in eight lanes
 * over chunks of 16 vectors, merged pairwise up a stack, then the N mod 8 left-over values one by one and the lanes
 * merged into them in order.
 */
export function rowwiseMoments(X: Float32Array, at: number, N: number): [number, number] {
  const n = Math.floor(N / LANES);
  const m = Math.ceil(n / CHUNK);
  const depth = m <= 1 ? 0 : Math.ceil(Math.log2(m));
  const size = Math.max(depth, 1);
  const m0s = new Array<number>(size).fill(0);
  const m1s = Array.from({ length: size }, () => new Float32Array(LANES));
  const m2s = Array.from({ length: size }, () => new Float32Array(LANES));
  const m1v = new Float32Array(LANES);
  const m2v = new Float32Array(LANES);
  for (let i = 0; i < m; i++) {
    const m0 = Math.min(CHUNK, n - i * CHUNK);
    m1v.fill(0);
    m2v.fill(0);
    for (let j = 0; j < m0; j++) {
      const c = f(1 / (j + 1));
      const base = at + (i * CHUNK + j) * LANES;
      for (let l = 0; l < LANES; l++) {
        const x = X[base + l]!;
        const delta = f(x - m1v[l]!);
        m1v[l] = m1v[l]! + f(delta * c);
        m2v[l] = m2v[l]! + f(delta * f(x - m1v[l]!));
      }
    }
    addMomentsVec(m0, m1v, m2v, m0s, m1s, m2s, 0);
    let mask = i + 1;
    for (let j = 1; j < depth && (mask & 1) === 0; j++) {
      addMomentsVec(m0s[j - 1]!, m1s[j - 1]!, m2s[j - 1]!, m0s, m1s, m2s, j);
      m0s[j - 1] = 0;
      m1s[j - 1]!.fill(0);
      m2s[j - 1]!.fill(0);
      mask >>= 1;
    }
  }
  for (let i = 1; i < depth; i++) addMomentsVec(m0s[i]!, m1s[i]!, m2s[i]!, m0s, m1s, m2s, 0);
  const st = { m0: 0, m1: 0, m2: 0 };
  for (let i = n * LANES; i < N; i++) {
    const x = X[at + i]!;
    const delta = f(x - st.m1);
    st.m0++;
    st.m1 = f(st.m1 + f(delta / st.m0));
    st.m2 = f(st.m2 + f(delta * f(x - st.m1)));
  }
  for (let l = 0; l < LANES; l++) addMoments(n, m1s[0]![l]!, m2s[0]![l]!, st);
  return [st.m1, f(st.m2 / N)];
}

/**
 * The forward pass over X [N, C, S] in groups of D = C / G channels: each (sample, group)'s mean and rstd =
 * 1/√(max(var, 0) + eps) (float32) into mean and rstd, and Y = (x − mean)·rstd without weight and bias, else
 * fma(scale, x, shift) with scale = rstd·w_c and shift = −scale·mean + b_c.
 */
export function groupNormForward(
  X: Float32Array, N: number, C: number, S: number, G: number, w: Float32Array | null, b: Float32Array | null, eps: number,
  Y: Float32Array, mean: Float32Array, rstd: Float32Array,
): void {
  const D = C / G;
  const n = D * S;
  const e = f(eps);
  for (let i = 0; i < N * G; i++) {
    const at = i * n;
    const [m, v] = rowwiseMoments(X, at, n);
    const r = f(1 / f(Math.sqrt(f(Math.max(v, 0) + e))));
    mean[i] = m;
    rstd[i] = r;
    if (w === null && b === null) {
      for (let k = 0; k < n; k++) Y[at + k] = f(X[at + k]! - m) * r;
      continue;
    }
    const g = i % G;
    for (let j = 0; j < D; j++) {
      const c = g * D + j;
      const scale = f(r * (w === null ? 1 : w[c]!));
      const shift = f(f(-scale * m) + (b === null ? 0 : b[c]!));
      const base = at + j * S;
      for (let k = 0; k < S; k++) Y[base + k] = fmaf(scale, X[base + k]!, shift);
    }
  }
}

/**
 * The backward pass, with PyTorch's formulas (GroupNormBackwardKernelImplInternal) over the float32 mean and rstd of
 * the forward pass, but summed in float64 and rounded once (PyTorch's float32 sums, vectorised, are not reproduced:
 * results agree to float32 rounding of the terms): ds = Σ dy·x and db = Σ dy per sample and channel; per group
 * c2 = (Σ db·w · mean − Σ ds·w)·rstd³/(D·S) and c3 = −c2·mean − Σ db·w · rstd/(D·S), dx = rstd·w_c·dy + c2·x + c3;
 * dweight_c = Σ_samples (ds − db·mean)·rstd and dbias_c = Σ_samples db. Each array only when given.
 */
export function groupNormBackward(
  dY: Float32Array, X: Float32Array, N: number, C: number, S: number, G: number, mean: Float32Array, rstd: Float32Array,
  w: Float32Array | null, dX: Float32Array | null, dW: Float32Array | null, dB: Float32Array | null,
): void {
  const D = C / G;
  const n = D * S;
  const ds = new Float64Array(C);
  const db = new Float64Array(C);
  const gw = new Float64Array(C);
  const gb = new Float64Array(C);
  for (let s = 0; s < N; s++) {
    for (let c = 0; c < C; c++) {
      const base = (s * C + c) * S;
      let a = 0;
      let z = 0;
      for (let k = 0; k < S; k++) {
        a += dY[base + k]! * X[base + k]!;
        z += dY[base + k]!;
      }
      ds[c] = a;
      db[c] = z;
    }
    for (let g = 0; g < G; g++) {
      const i = s * G + g;
      const [m, r] = [mean[i]!, rstd[i]!];
      let dsw = 0;
      let dbw = 0;
      for (let j = 0; j < D; j++) {
        const c = g * D + j;
        const wc = w === null ? 1 : w[c]!;
        dsw += ds[c]! * wc;
        dbw += db[c]! * wc;
        gw[c] = gw[c]! + (ds[c]! - db[c]! * m) * r;
        gb[c] = gb[c]! + db[c]!;
      }
      if (dX === null) continue;
      const c2 = ((dbw * m - dsw) * r * r * r) / n;
      const c3 = -c2 * m - (dbw * r) / n;
      for (let j = 0; j < D; j++) {
        const c = g * D + j;
        const c1 = (w === null ? 1 : w[c]!) * r;
        const base = (s * C + c) * S;
        for (let k = 0; k < S; k++) dX[base + k] = c1 * dY[base + k]! + c2 * X[base + k]! + c3;
      }
    }
  }
  if (dW !== null) dW.set(gw);
  if (dB !== null) dB.set(gb);
}
