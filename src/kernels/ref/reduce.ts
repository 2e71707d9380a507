/**
 * Reductions over one dimension of a contiguous tensor viewed as [outer, n, inner]. Sums accumulate in float64
 * and round once, which is within float32 rounding of PyTorch's pairwise float32 sums.
 */
export function sumDim(x: Float32Array, outer: number, n: number, inner: number, out: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let k = 0, p = base + i; k < n; k++, p += inner) s += x[p]!;
      out[o * inner + i] = s;
    }
  }
}

export function sumAll(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

/** Max over the middle dimension; NaN wins, ties take the first index (as PyTorch's CPU kernel). */
export function maxDim(x: Float32Array, outer: number, n: number, inner: number, values: Float32Array, indices: Int32Array): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let best = x[base + i]!;
      let arg = 0;
      for (let k = 1, p = base + i + inner; k < n; k++, p += inner) {
        const v = x[p]!;
        if (Number.isNaN(best)) break;
        if (v > best || Number.isNaN(v)) {
          best = v;
          arg = k;
        }
      }
      values[o * inner + i] = best;
      indices[o * inner + i] = arg;
    }
  }
}

/** Softmax over the middle dimension, max-shifted for stability. */
export function softmax(x: Float32Array, outer: number, n: number, inner: number, out: Float32Array, log: boolean): void {
  // Each e^(x − m) once, kept in float64 for the division (Math.exp is most of the time).
  const e = log ? null : new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let m = -Infinity;
      for (let k = 0, p = base + i; k < n; k++, p += inner) if (x[p]! > m) m = x[p]!;
      let s = 0;
      if (e === null) {
        for (let k = 0, p = base + i; k < n; k++, p += inner) s += Math.exp(x[p]! - m);
        const ls = Math.log(s);
        for (let k = 0, p = base + i; k < n; k++, p += inner) out[p] = x[p]! - m - ls;
      } else {
        for (let k = 0, p = base + i; k < n; k++, p += inner) {
          const v = Math.exp(x[p]! - m);
          e[k] = v;
          s += v;
        }
        for (let k = 0, p = base + i; k < n; k++, p += inner) out[p] = e[k]! / s;
      }
    }
  }
}

/** Log-softmax's backward over the middle dimension: gx = g − e^y · Σ g, each Σ g in float64 in order. */
export function logSoftmaxBackward(y: Float32Array, g: Float32Array, outer: number, n: number, inner: number, gx: Float32Array): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let s = 0;
      for (let j = 0, p = base; j < n; j++, p += inner) s += g[p]!;
      for (let j = 0, p = base; j < n; j++, p += inner) gx[p] = g[p]! - Math.exp(y[p]!) * s;
    }
  }
}
