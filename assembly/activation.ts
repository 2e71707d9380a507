// ReLU and LeakyReLU, forward and backward, with the bits of the reference loops (src/kernels/ref/elementwise.ts):
// a comparison and a lane select per four elements. About half of a layer's inputs are negative in no order, so
// the reference's branch per element is mispredicted half the time; here there is none. Lanes are float32
// arithmetic, so the products are the reference's (a float64 product of two float32 is exact, then rounded once).

/** out[i] = x[i] > 0 ? x[i] : x[i]·slope over n floats (out may be x). */
export function leakyReluForward(x: usize, n: i32, slope: f32, out: usize): void {
  const s = f32x4.splat(slope), zero = f32x4.splat(0);
  const end = <usize>(n & ~3) << 2;
  for (let q: usize = 0; q < end; q += 16) {
    const X = v128.load(x + q);
    v128.store(out + q, v128.bitselect(X, f32x4.mul(X, s), f32x4.gt(X, zero)));
  }
  for (let q = end; q < <usize>n << 2; q += 4) {
    const v = load<f32>(x + q);
    store<f32>(out + q, v > 0 ? v : v * slope);
  }
}

/** out[i] = x[i] > 0 ? g[i] : g[i]·slope, x the forward pass's input. */
export function leakyReluBackward(x: usize, g: usize, n: i32, slope: f32, out: usize): void {
  const s = f32x4.splat(slope), zero = f32x4.splat(0);
  const end = <usize>(n & ~3) << 2;
  for (let q: usize = 0; q < end; q += 16) {
    const G = v128.load(g + q);
    v128.store(out + q, v128.bitselect(G, f32x4.mul(G, s), f32x4.gt(v128.load(x + q), zero)));
  }
  for (let q = end; q < <usize>n << 2; q += 4) {
    const v = load<f32>(g + q);
    store<f32>(out + q, load<f32>(x + q) > 0 ? v : v * slope);
  }
}

/**
 * out[i] = +0 where x[i] < 0, else x[i]: PyTorch's relu (clamp_min(x, 0), a max that keeps x on a tie), so a NaN
 * passes and −0 stays −0.
 */
export function reluForward(x: usize, n: i32, out: usize): void {
  const zero = f32x4.splat(0);
  const end = <usize>(n & ~3) << 2;
  for (let q: usize = 0; q < end; q += 16) {
    const X = v128.load(x + q);
    v128.store(out + q, v128.bitselect(zero, X, f32x4.lt(X, zero)));
  }
  for (let q = end; q < <usize>n << 2; q += 4) {
    const v = load<f32>(x + q);
    store<f32>(out + q, v < 0 ? 0 : v);
  }
}

/** out[i] = y[i] ≤ 0 ? +0 : g[i], y the forward pass's output (PyTorch's threshold_backward: a NaN y passes g). */
export function reluBackward(y: usize, g: usize, n: i32, out: usize): void {
  const zero = f32x4.splat(0);
  const end = <usize>(n & ~3) << 2;
  for (let q: usize = 0; q < end; q += 16) {
    v128.store(out + q, v128.bitselect(zero, v128.load(g + q), f32x4.le(v128.load(y + q), zero)));
  }
  for (let q = end; q < <usize>n << 2; q += 4) {
    store<f32>(out + q, load<f32>(y + q) <= 0 ? 0 : load<f32>(g + q));
  }
}
