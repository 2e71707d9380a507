/**
 * torch.sum of a contiguous float32 vector as PyTorch 1.13's CPU kernel computes it (SumKernel.cpp's `cascade_sum`
 * with this machine's AVX2, 8-lane vectors, on one thread): float32 accumulators throughout. Elements (single
 * values below 8, else 8-lane vectors, the leftover values added one by one at the end) are summed four streams at a
 * time, in a cascade of partial sums once there are 16 rows or more, and the streams and lanes folded last. Checked
 * bit for bit against torch.sum for lengths 1 to 69 and up to 100 000. Kindling's own sums (reduce.ts) accumulate in
 * float64 instead; LBFGS needs PyTorch's exact rounding to take PyTorch's branches.
 */
const LANES = 8;
const STREAMS = 4;
const LEVELS = 4;

/** ⌈log₂ x⌉, at least 1 (PyTorch's utils::CeilLog2). */
function ceilLog2(x: number): number {
  return x <= 2 ? 1 : 32 - Math.clz32(x - 1);
}

/** acc ← acc + src[at …] lane by lane, each sum rounded to float32 (by the Float32Array store). */
function addInto(acc: Float32Array, src: Float32Array, at: number): void {
  for (let l = 0; l < acc.length; l++) acc[l] = acc[l]! + src[at + l]!;
}

/** PyTorch's `multi_row_sum`: the four streams of `rows` rows (row r: elements 4r … 4r + 3, each `w` wide). */
function multiRowSum(x: Float32Array, w: number, rows: number): Float32Array[] {
  const power = Math.max(4, Math.floor(ceilLog2(rows) / LEVELS));
  const step = 2 ** power;
  const mask = step - 1;
  const acc = Array.from({ length: LEVELS }, () => Array.from({ length: STREAMS }, () => new Float32Array(w)));
  const addRow = (i: number): void => {
    for (let k = 0; k < STREAMS; k++) addInto(acc[0]![k]!, x, (STREAMS * i + k) * w);
  };
  let i = 0;
  while (i + step <= rows) {
    for (let j = 0; j < step; j++, i++) addRow(i);
    for (let j = 1; j < LEVELS; j++) {
      for (let k = 0; k < STREAMS; k++) {
        addInto(acc[j]![k]!, acc[j - 1]![k]!, 0);
        acc[j - 1]![k]!.fill(0);
      }
      if ((i & (mask << (j * power))) !== 0) break;
    }
  }
  for (; i < rows; i++) addRow(i);
  for (let j = 1; j < LEVELS; j++) for (let k = 0; k < STREAMS; k++) addInto(acc[0]![k]!, acc[j]![k]!, 0);
  return acc[0]!;
}

/** PyTorch's `row_sum` over `count` elements `w` wide: four streams, the leftover elements into the first, folded. */
function rowSum(x: Float32Array, w: number, count: number): Float32Array {
  const rows = Math.floor(count / STREAMS);
  const p = multiRowSum(x, w, rows);
  for (let i = rows * STREAMS; i < count; i++) addInto(p[0]!, x, i * w);
  for (let k = 1; k < STREAMS; k++) addInto(p[0]!, p[k]!, 0);
  return p[0]!;
}

/** Σ x in float32, rounded as PyTorch 1.13's CPU torch.sum rounds it (see above). */
export function torchSum(x: Float32Array): number {
  const n = x.length;
  if (n < LANES) return 0 + rowSum(x, 1, n)[0]!;
  const vectors = Math.floor(n / LANES);
  const lanes = rowSum(x, LANES, vectors);
  const acc = new Float32Array(1);
  for (let k = vectors * LANES; k < n; k++) acc[0] = acc[0]! + x[k]!;
  for (let l = 0; l < LANES; l++) acc[0] = acc[0]! + lanes[l]!;
  return 0 + acc[0]!;
}
