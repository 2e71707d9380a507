/**
 * C[M,N] (+)= A[M,K] · B[K,N], each operand read through (row stride, column stride) so transposed views need no
 * copy. Accumulates each dot product in float64 and rounds once.
 */
export function gemm(
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, aRs: number, aCs: number,
  B: Float32Array, bOff: number, bRs: number, bCs: number,
  C: Float32Array, cOff: number,
  accumulate: boolean,
): void {
  if (bCs === 1) {
    // i-k-j order: the inner loop walks a contiguous row of B and of C.
    const acc = new Float64Array(N);
    for (let i = 0; i < M; i++) {
      acc.fill(0);
      for (let k = 0; k < K; k++) {
        const a = A[aOff + i * aRs + k * aCs]!;
        if (a === 0) continue;
        const bRow = bOff + k * bRs;
        for (let j = 0; j < N; j++) acc[j] += a * B[bRow + j]!;
      }
      const cRow = cOff + i * N;
      for (let j = 0; j < N; j++) C[cRow + j] = accumulate ? C[cRow + j]! + acc[j]! : acc[j]!;
    }
    return;
  }
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let pa = aOff + i * aRs;
      let pb = bOff + j * bCs;
      for (let k = 0; k < K; k++, pa += aCs, pb += bRs) s += A[pa]! * B[pb]!;
      const c = cOff + i * N + j;
      C[c] = accumulate ? C[c]! + s : s;
    }
  }
}
