// Sums over one dimension of a contiguous tensor viewed as [outer, n, inner], with the reference's bits
// (src/kernels/ref/reduce.ts's sumDim): each output is a float64 sum of its n values in order from the first, rounded
// once to float32. The order is kept; only different outputs share a vector: rows side by side for the last
// dimension, neighbouring columns for any other.

/**
 * out[o·inner + i] = float32(Σ_k x[(o·n + k)·inner + i]), each sum in float64 in k order. `acc` is scratch for `inner`
 * float64 values (unused when inner is 1). out must not overlap x.
 */
export function sumDim(x: usize, outer: i32, n: i32, inner: i32, acc: usize, out: usize): void {
  if (inner === 1) sumRows(x, outer, n, out);
  else sumColumns(x, outer, n, inner, acc, out);
}

/** Each of `outer` rows of n values summed, four rows side by side (two float64 pairs), then the rows left one by one. */
function sumRows(x: usize, outer: i32, n: i32, out: usize): void {
  const rowBytes = <usize>n << 2;
  const end = <usize>n << 2;
  let o = 0;
  for (; o + 4 <= outer; o += 4) {
    const r0 = x + <usize>o * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
    let s01 = f64x2.splat(0), s23 = f64x2.splat(0);
    for (let q: usize = 0; q < end; q += 4) {
      s01 = f64x2.add(s01, f64x2.promote_low_f32x4(v128.load32_lane(r1 + q, v128.load32_zero(r0 + q), 1)));
      s23 = f64x2.add(s23, f64x2.promote_low_f32x4(v128.load32_lane(r3 + q, v128.load32_zero(r2 + q), 1)));
    }
    const at = out + (<usize>o << 2);
    store<f32>(at, <f32>f64x2.extract_lane(s01, 0));
    store<f32>(at + 4, <f32>f64x2.extract_lane(s01, 1));
    store<f32>(at + 8, <f32>f64x2.extract_lane(s23, 0));
    store<f32>(at + 12, <f32>f64x2.extract_lane(s23, 1));
  }
  for (; o < outer; o++) {
    const r = x + <usize>o * rowBytes;
    let s: f64 = 0;
    for (let q: usize = 0; q < end; q += 4) s += <f64>load<f32>(r + q);
    store<f32>(out + (<usize>o << 2), <f32>s);
  }
}

/** For each o, n rows of `inner` values added into `inner` float64 sums, four columns at a time. */
function sumColumns(x: usize, outer: i32, n: i32, inner: i32, acc: usize, out: usize): void {
  const rowBytes = <usize>inner << 2;
  const body = <usize>(inner & ~3) << 2;
  for (let o = 0; o < outer; o++) {
    memory.fill(acc, 0, <usize>inner << 3);
    const block = x + <usize>o * <usize>n * rowBytes;
    for (let k = 0; k < n; k++) {
      const row = block + <usize>k * rowBytes;
      for (let q: usize = 0; q < body; q += 16) {
        const v = v128.load(row + q);
        const a = acc + (q << 1);
        v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v)));
        v128.store(a + 16, f64x2.add(v128.load(a + 16), f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 2, 3))));
      }
      for (let q = body; q < rowBytes; q += 4) {
        const a = acc + (q << 1);
        store<f64>(a, load<f64>(a) + <f64>load<f32>(row + q));
      }
    }
    const dst = out + <usize>o * rowBytes;
    for (let q: usize = 0; q < rowBytes; q += 4) store<f32>(dst + q, <f32>load<f64>(acc + (q << 1)));
  }
}

/**
 * For a float32 array of n values, in float64 and in lanes (the order differs from the reference's running sum, which
 * the caller bounds from these), in blocks of `block` values (a multiple of 8): out[0] = the sum of the values, block
 * after block; out[1] = the sum of their magnitudes; out[2] = the largest over blocks of |the sum before the block| +
 * the block's sum of magnitudes (no running sum inside the block exceeds it by more than the roundings). Each value
 * goes through at most block/8 + 10 additions to its block's sum, then one per later block.
 */
export function sumBlocks(x: usize, n: i32, block: i32, out: usize): void {
  const end = x + (<usize>n << 2);
  const body = x + (<usize>(n & ~7) << 2);
  let prefix: f64 = 0;
  let total: f64 = 0;
  let most: f64 = 0;
  let p = x;
  while (p < end) {
    const stop = min(p + (<usize>block << 2), body);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    for (; p < stop; p += 32) {
      const l0 = f64x2.promote_low_f32x4(v128.load64_zero(p));
      const l1 = f64x2.promote_low_f32x4(v128.load64_zero(p, 8));
      const l2 = f64x2.promote_low_f32x4(v128.load64_zero(p, 16));
      const l3 = f64x2.promote_low_f32x4(v128.load64_zero(p, 24));
      s0 = f64x2.add(s0, l0);
      s1 = f64x2.add(s1, l1);
      s2 = f64x2.add(s2, l2);
      s3 = f64x2.add(s3, l3);
      a0 = f64x2.add(a0, f64x2.abs(l0));
      a1 = f64x2.add(a1, f64x2.abs(l1));
      a2 = f64x2.add(a2, f64x2.abs(l2));
      a3 = f64x2.add(a3, f64x2.abs(l3));
    }
    const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
    const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    let blockSum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    let blockAbs = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    if (p >= body) {
      // The last values, fewer than eight, join the last block.
      for (; p < end; p += 4) {
        const v = <f64>load<f32>(p);
        blockSum += v;
        blockAbs += abs(v);
      }
    }
    most = max(most, abs(prefix) + blockAbs);
    prefix += blockSum;
    total += blockAbs;
  }
  store<f64>(out, prefix);
  store<f64>(out, total, 8);
  store<f64>(out, most, 16);
}
