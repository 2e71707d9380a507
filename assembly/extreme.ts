// The max (or the min) over one dimension of a contiguous tensor viewed as [outer, n, inner], with its index, as the
// reference's loop finds them (src/kernels/ref/reduce.ts's maxDim): the first value to start, then each later value
// that is larger, or a NaN; from a NaN on, nothing changes, so ties keep the first index and the first NaN wins. The
// min is the max of −x, negated back (negation is exact, so these are the reference's bits). Each output keeps that
// order along k; only different outputs share a vector: four rows side by side for the last dimension, four
// neighbouring columns for any other.

/**
 * values[o·inner + i] (float32) and indices[o·inner + i] (int32) of the max over k of x[(o·n + k)·inner + i], or of the min
 * when `min` is 1. n ≥ 1; the outputs must not overlap x.
 */
export function extremeDim(x: usize, outer: i32, n: i32, inner: i32, min: i32, values: usize, indices: usize): void {
  const sign = v128.splat<i32>(min !== 0 ? 0x80000000 : 0);
  if (inner === 1) extremeRows(x, outer, n, sign, values, indices);
  else extremeColumns(x, outer, n, inner, sign, values, indices);
}

/** One step of the reference's rule on four lanes: v replaces best (and k its index) where best is not NaN and v is larger or NaN. */
// @ts-ignore: decorator
@inline
function better(v: v128, best: v128): v128 {
  return v128.and(v128.or(f32x4.gt(v, best), f32x4.ne(v, v)), f32x4.eq(best, best));
}

/** The result of four lanes (best in x's sign again) stored at values + at and indices + at. */
// @ts-ignore: decorator
@inline
function put(best: v128, arg: v128, sign: v128, values: usize, indices: usize, at: usize): void {
  v128.store(values + at, v128.xor(best, sign));
  v128.store(indices + at, arg);
}

function extremeRows(x: usize, outer: i32, n: i32, sign: v128, values: usize, indices: usize): void {
  const rowBytes = <usize>n << 2;
  let o = 0;
  for (; o + 4 <= outer; o += 4) {
    const r0 = x + <usize>o * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
    let best = v128.xor(v128.load32_lane(r3, v128.load32_lane(r2, v128.load32_lane(r1, v128.load32_zero(r0), 1), 2), 3), sign);
    let arg = i32x4.splat(0);
    let k = i32x4.splat(0);
    const one = i32x4.splat(1);
    for (let q: usize = 4; q < rowBytes; q += 4) {
      k = i32x4.add(k, one);
      const v = v128.xor(v128.load32_lane(r3 + q, v128.load32_lane(r2 + q, v128.load32_lane(r1 + q, v128.load32_zero(r0 + q), 1), 2), 3), sign);
      const up = better(v, best);
      best = v128.bitselect(v, best, up);
      arg = v128.bitselect(k, arg, up);
    }
    put(best, arg, sign, values, indices, <usize>o << 2);
  }
  const s = i32x4.extract_lane(sign, 0);
  for (; o < outer; o++) {
    const r = x + <usize>o * rowBytes;
    let best = reinterpret<f32>(reinterpret<i32>(load<f32>(r)) ^ s);
    let arg = 0;
    for (let k = 1; k < n; k++) {
      if (best != best) break;
      const v = reinterpret<f32>(reinterpret<i32>(load<f32>(r + (<usize>k << 2))) ^ s);
      if (v > best || v != v) {
        best = v;
        arg = k;
      }
    }
    store<f32>(values + (<usize>o << 2), reinterpret<f32>(reinterpret<i32>(best) ^ s));
    store<i32>(indices + (<usize>o << 2), arg);
  }
}

function extremeColumns(x: usize, outer: i32, n: i32, inner: i32, sign: v128, values: usize, indices: usize): void {
  const rowBytes = <usize>inner << 2;
  const body = <usize>(inner & ~3) << 2;
  const s = i32x4.extract_lane(sign, 0);
  for (let o = 0; o < outer; o++) {
    const block = x + <usize>o * <usize>n * rowBytes;
    const out = <usize>o * rowBytes;
    for (let c: usize = 0; c < body; c += 16) {
      let best = v128.xor(v128.load(block + c), sign);
      let arg = i32x4.splat(0);
      let k = i32x4.splat(0);
      const one = i32x4.splat(1);
      for (let j = 1; j < n; j++) {
        k = i32x4.add(k, one);
        const v = v128.xor(v128.load(block + <usize>j * rowBytes + c), sign);
        const up = better(v, best);
        best = v128.bitselect(v, best, up);
        arg = v128.bitselect(k, arg, up);
      }
      put(best, arg, sign, values, indices, out + c);
    }
    for (let c = body; c < rowBytes; c += 4) {
      let best = reinterpret<f32>(reinterpret<i32>(load<f32>(block + c)) ^ s);
      let arg = 0;
      for (let j = 1; j < n; j++) {
        if (best != best) break;
        const v = reinterpret<f32>(reinterpret<i32>(load<f32>(block + <usize>j * rowBytes + c)) ^ s);
        if (v > best || v != v) {
          best = v;
          arg = j;
        }
      }
      store<f32>(values + out + c, reinterpret<f32>(reinterpret<i32>(best) ^ s));
      store<i32>(indices + out + c, arg);
    }
  }
}
