// Helpers for the decompositions: a tensor's matrices one by one in float64, and float64 matrices back to float32.

/** The matrices of `v` (row-major, each m × n), as float64 arrays. */
export function matricesOf(v: Float32Array, m: number, n: number): Float64Array[] {
  const count = m * n === 0 ? 0 : v.length / (m * n);
  const out: Float64Array[] = [];
  for (let b = 0; b < count; b++) out.push(Float64Array.from(v.subarray(b * m * n, (b + 1) * m * n)));
  return out;
}

/** float64 matrices joined into one float32 array (each rounded once). */
export function joined(parts: readonly Float64Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** C = A·B for row-major float64 matrices (A m × k, B k × n); `ta`/`tb` read A or B transposed. */
export function mul64(a: Float64Array, b: Float64Array, m: number, k: number, n: number, ta = false, tb = false): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}
