/**
 * Batch normalisation's passes over an input [N, C, S], in plain TypeScript: the arithmetic assembly/batch-norm.ts
 * reproduces bit for bit. A channel's sums are float64 in four lanes (value s of each sample's run of S values into
 * lane s mod 4), added as (l0 + l2) + (l1 + l3); the elementwise passes are float64, rounded once to float32.
 */

/** Lane sums of channel c of [N, C, S]: `term(x, at)` for each element, at its flat position. */
function laneSum(N: number, C: number, S: number, c: number, term: (at: number) => number): number {
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  for (let i = 0; i < N; i++) {
    const run = (i * C + c) * S;
    let s = 0;
    for (; s + 4 <= S; s += 4) {
      l0 += term(run + s);
      l1 += term(run + s + 1);
      l2 += term(run + s + 2);
      l3 += term(run + s + 3);
    }
    if (s < S) l0 += term(run + s++);
    if (s < S) l1 += term(run + s++);
    if (s < S) l2 += term(run + s);
  }
  return (l0 + l2) + (l1 + l3);
}

/** mean[c] = channel c's lane sum / (N·S), sq[c] = the lane sum of (x − mean[c])². */
function channelStats(X: Float32Array, N: number, C: number, S: number, mean: Float64Array, sq: Float64Array): void {
  const n = N * S;
  for (let c = 0; c < C; c++) {
    const m = laneSum(N, C, S, c, (at) => X[at]!) / n;
    mean[c] = m;
    sq[c] = laneSum(N, C, S, c, (at) => {
      const d = X[at]! - m;
      return d * d;
    });
  }
}

/** Y = float32((x − mean[c])·scale[c] + shift[c]). */
function normalizeChannels(
  X: Float32Array, N: number, C: number, S: number, mean: Float64Array, scale: Float64Array, shift: Float64Array, Y: Float32Array,
): void {
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < C; c++) {
      const [m, k, h] = [mean[c]!, scale[c]!, shift[c]!];
      for (let s = 0, at = (i * C + c) * S; s < S; s++) Y[at + s] = (X[at + s]! - m) * k + h;
    }
  }
}

/** sumG[c] = the lane sum of G, dot[c] = the lane sum of (x − mean[c])·g, over channel c. */
function channelGradSums(
  G: Float32Array, X: Float32Array, N: number, C: number, S: number, mean: Float64Array, sumG: Float64Array, dot: Float64Array,
): void {
  for (let c = 0; c < C; c++) {
    const m = mean[c]!;
    sumG[c] = laneSum(N, C, S, c, (at) => G[at]!);
    dot[c] = laneSum(N, C, S, c, (at) => (X[at]! - m) * G[at]!);
  }
}

/** GX = float32((g − gMean[c] − (x − mean[c])·k[c])·wr[c]) with `training`, else float32(g·wr[c]). */
function normalizeBackward(
  G: Float32Array, X: Float32Array, N: number, C: number, S: number,
  mean: Float64Array, gMean: Float64Array, k: Float64Array, wr: Float64Array, training: boolean, GX: Float32Array,
): void {
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < C; c++) {
      const at = (i * C + c) * S;
      const w = wr[c]!;
      if (training) {
        const [m, gm, kc] = [mean[c]!, gMean[c]!, k[c]!];
        for (let s = 0; s < S; s++) GX[at + s] = (G[at + s]! - gm - (X[at + s]! - m) * kc) * w;
      } else {
        for (let s = 0; s < S; s++) GX[at + s] = G[at + s]! * w;
      }
    }
  }
}

/** What the forward pass needs and gives: float64 per channel; w and b float32 per channel, or null. */
export interface BatchNormStats {
  readonly mean: Float64Array;
  readonly sq: Float64Array;
  readonly invstd: Float64Array;
}

/**
 * The forward pass over X [N, C, S] (N·S > 0): with `training`, each channel's mean and sum of squared deviations and
 * invstd = 1/√(sq/n + eps) (0 for a variance and eps of 0, as PyTorch's InvStd); otherwise mean and invstd are given.
 * Then Y = float32((x − mean)·invstd·w + b).
 */
export function batchNormForward(
  X: Float32Array, N: number, C: number, S: number, training: boolean, eps: number,
  w: Float32Array | null, b: Float32Array | null, st: BatchNormStats, Y: Float32Array,
): void {
  if (training) {
    channelStats(X, N, C, S, st.mean, st.sq);
    for (let c = 0; c < C; c++) {
      const v = st.sq[c]! / (N * S);
      st.invstd[c] = v === 0 && eps === 0 ? 0 : 1 / Math.sqrt(v + eps);
    }
  }
  const scale = new Float64Array(C);
  const shift = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    scale[c] = st.invstd[c]! * (w === null ? 1 : w[c]!);
    shift[c] = b === null ? 0 : b[c]!;
  }
  normalizeChannels(X, N, C, S, st.mean, scale, shift, Y);
}

/**
 * The backward pass: each channel's sums of G and of (x − mean)·g into sumG and dot, and, with GX, the input's
 * gradient: float32((g − sumG/n − (x − mean)·k)·wr) with `training` (k = dot·r·r/n), else float32(g·wr), for r =
 * invstd and wr = r·w.
 */
export function batchNormBackward(
  G: Float32Array, X: Float32Array, N: number, C: number, S: number, mean: Float64Array, invstd: Float64Array,
  w: Float32Array | null, training: boolean, sumG: Float64Array, dot: Float64Array, GX: Float32Array | null,
): void {
  channelGradSums(G, X, N, C, S, mean, sumG, dot);
  if (GX === null) return;
  const n = N * S;
  const [gMean, k, wr] = [new Float64Array(C), new Float64Array(C), new Float64Array(C)];
  for (let c = 0; c < C; c++) {
    const r = invstd[c]!;
    wr[c] = r * (w === null ? 1 : w[c]!);
    k[c] = (dot[c]! * r * r) / n;
    gMean[c] = sumG[c]! / n;
  }
  normalizeBackward(G, X, N, C, S, mean, gMean, k, wr, training, GX);
}
