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
export function channelStats(X: Float32Array, N: number, C: number, S: number, mean: Float64Array, sq: Float64Array): void {
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
export function normalizeChannels(
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
export function channelGradSums(
  G: Float32Array, X: Float32Array, N: number, C: number, S: number, mean: Float64Array, sumG: Float64Array, dot: Float64Array,
): void {
  for (let c = 0; c < C; c++) {
    const m = mean[c]!;
    sumG[c] = laneSum(N, C, S, c, (at) => G[at]!);
    dot[c] = laneSum(N, C, S, c, (at) => (X[at]! - m) * G[at]!);
  }
}

/** GX = float32((g − gMean[c] − (x − mean[c])·k[c])·wr[c]) with `training`, else float32(g·wr[c]). */
export function normalizeBackward(
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
