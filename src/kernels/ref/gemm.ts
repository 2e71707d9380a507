/**
 * Matrix products, in plain TypeScript. They define the arithmetic the WebAssembly kernels reproduce bit for bit:
 * every output is a float32 sum that starts at +0 and adds the float32-rounded products in increasing k, each
 * addition rounded to float32 (as a float32 BLAS without FMA would); the sum is then added to C when accumulating,
 * or to the bias. Zero values of A may be skipped: with finite B that changes nothing.
 */
const f = Math.fround;

/**
 * C[M,N] = A[M,K]·B[K,N] (+ bias[N]), or C += A·B when `accumulate`, each operand read through (row stride,
 * column stride) so transposed views need no copy. C is row-major with row length N, from `cOff`.
 */
export function gemm(
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, aRs: number, aCs: number,
  B: Float32Array, bOff: number, bRs: number, bCs: number,
  C: Float32Array, cOff: number,
  accumulate: boolean,
  bias: Float32Array | null = null,
): void {
  if (bCs === 1) {
    // i-k-j order: the inner loop walks a contiguous row of B; the Float32Array rounds each partial sum.
    const acc = new Float32Array(N);
    for (let i = 0; i < M; i++) {
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        const a = A[aOff + i * aRs + k * aCs]!;
        if (a === 0) continue;
        const bRow = bOff + k * bRs;
        for (let j = 0; j < N; j++) acc[j] += f(a * B[bRow + j]!);
      }
      store(C, cOff + i * N, acc, N, accumulate, bias);
    }
    return;
  }
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let pa = aOff + i * aRs;
      let pb = bOff + j * bCs;
      for (let k = 0; k < K; k++, pa += aCs, pb += bRs) s = f(s + f(A[pa]! * B[pb]!));
      const c = cOff + i * N + j;
      C[c] = accumulate ? C[c]! + s : bias === null ? s : s + bias[j]!;
    }
  }
}

function store(C: Float32Array, o: number, acc: Float32Array, N: number, accumulate: boolean, bias: Float32Array | null): void {
  if (accumulate) for (let j = 0; j < N; j++) C[o + j] = C[o + j]! + acc[j]!;
  else if (bias !== null) for (let j = 0; j < N; j++) C[o + j] = acc[j]! + bias[j]!;
  else C.set(acc, o);
}

/**
 * For each listed row j of C (row length `ldc`): C[j, 0..N) += Σ_k A[j,k]·B[k, 0..N), A read through (aRs, aCs),
 * B row-major with row stride `bRs`. The weight gradient of a linear layer stored [in, out], touching only the
 * rows of inputs that were non-zero.
 */
export function accumulateRows(
  C: Float32Array, ldc: number, rows: Int32Array, N: number, K: number,
  A: Float32Array, aRs: number, aCs: number,
  B: Float32Array, bRs: number,
): void {
  const acc = new Float32Array(N);
  for (let t = 0; t < rows.length; t++) {
    const j = rows[t]!;
    acc.fill(0);
    for (let k = 0; k < K; k++) {
      const a = A[j * aRs + k * aCs]!;
      if (a === 0) continue;
      const bRow = k * bRs;
      for (let n = 0; n < N; n++) acc[n] += f(a * B[bRow + n]!);
    }
    const o = j * ldc;
    for (let n = 0; n < N; n++) C[o + n] = C[o + n]! + acc[n]!;
  }
}

/** The positions and values of the non-zeros of `x` (NaN counts as non-zero), in increasing order. */
export function sparseVector(x: Float32Array): { rows: Int32Array; vals: Float32Array } {
  let count = 0;
  for (let j = 0; j < x.length; j++) if (x[j] !== 0) count++;
  const rows = new Int32Array(count);
  const vals = new Float32Array(count);
  for (let j = 0, t = 0; j < x.length; j++) {
    if (x[j] === 0) continue;
    rows[t] = j;
    vals[t++] = x[j]!;
  }
  return { rows, vals };
}

/**
 * grad[rows[t], 0..width) ← 0 + vals[t]·G, for rows known to hold +0: the weight gradient of one sample (what
 * accumulateRows adds into cleared rows).
 */
export function setOuterRows(grad: Float32Array, width: number, rows: Int32Array, vals: Float32Array, G: Float32Array): void {
  for (let t = 0; t < rows.length; t++) {
    const o = rows[t]! * width;
    const x = vals[t]!;
    for (let j = 0; j < width; j++) grad[o + j] = f(0 + f(x * G[j]!));
  }
}

/** The columns of a row-major [rows, cols] block that hold a non-zero in some row, in increasing order. */
export function nonzeroColumns(A: Float32Array, rows: number, cols: number): Int32Array {
  const mark = new Uint8Array(cols);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) {
      if (A[o + j] !== 0 && mark[j] === 0) {
        mark[j] = 1;
        count++;
      }
    }
  }
  const out = new Int32Array(count);
  for (let j = 0, t = 0; j < cols; j++) if (mark[j] !== 0) out[t++] = j;
  return out;
}

/** dst[j] += Σ_r G[r, j] (the sum starts at +0): a bias gradient accumulated in place. */
export function addColumnSums(dst: Float32Array, G: Float32Array, rows: number, N: number): void {
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s = f(s + G[r * N + j]!);
    dst[j] = dst[j]! + s;
  }
}

/** Whether every float of the K×N block B (read through its strides from bOff) is finite. */
export function allFinite(B: Float32Array, bOff: number, K: number, N: number, bRs: number, bCs: number): boolean {
  for (let k = 0; k < K; k++) {
    for (let j = 0, at = bOff + k * bRs; j < N; j++, at += bCs) {
      const v = B[at]!;
      // v − v is 0 exactly when v is finite (NaN for NaN and ±∞).
      if (v - v !== 0) return false;
    }
  }
  return true;
}
