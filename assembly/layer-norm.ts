// Layer normalisation over rows of `n` floats, forward and backward: the operations of src/ops/layer-norm.ts in the
// same order and precision, so both backends give the same bits. A row's sums run in float64, in order (scalar);
// the elementwise passes compute in float64 two elements at a time (f64x2), rounding to float32 exactly where the
// reference does (every float32 store, and its Math.fround). A pointer of 0 stands for an absent array.

/** Two float32 at p, as float64 lanes. */
// @ts-ignore: decorator
@inline function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Two float64 lanes rounded to float32 and stored at p. */
// @ts-ignore: decorator
@inline function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** Math.fround of two float64 lanes. */
// @ts-ignore: decorator
@inline function round2(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/**
 * y = (x − mean) · rstd · w + b per row (biased variance), with each row's mean and rstd = 1 / sqrt(var + eps)
 * (both rounded to float32) stored, and xhat = (x − mean) · rstd when `xhat` is not 0.
 */
export function layerNormForward(
  x: usize, rows: i32, n: i32, w: usize, b: usize, eps: f64, y: usize, xhat: usize, mean: usize, rstd: usize,
): void {
  const nf = <f64>n;
  const pairs = <usize>(n & ~1) << 2;
  const end = <usize>n << 2;
  const zero = f64x2.splat(0);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * <usize>n << 2;
    const xr = x + o;
    let m: f64 = 0;
    for (let i: usize = 0; i < end; i += 4) m += <f64>load<f32>(xr + i);
    m /= nf;
    let v: f64 = 0;
    for (let i: usize = 0; i < end; i += 4) {
      const d = <f64>load<f32>(xr + i) - m;
      v += d * d;
    }
    const rs = <f64><f32>(1.0 / Math.sqrt(v / nf + eps));
    const m32 = <f64><f32>m;
    store<f32>(mean + (<usize>r << 2), <f32>m32);
    store<f32>(rstd + (<usize>r << 2), <f32>rs);
    const vm = f64x2.splat(m32), vrs = f64x2.splat(rs);
    const yr = y + o, hr = xhat + o;
    let i: usize = 0;
    for (; i < pairs; i += 8) {
      const h = round2(f64x2.mul(f64x2.sub(load2(xr + i), vm), vrs));
      if (xhat != 0) store2(hr + i, h);
      let out = h;
      if (w != 0) out = f64x2.add(round2(f64x2.mul(h, load2(w + i))), b == 0 ? zero : load2(b + i));
      else if (b != 0) out = f64x2.add(h, load2(b + i));
      store2(yr + i, out);
    }
    for (; i < end; i += 4) {
      const h = <f64><f32>((<f64>load<f32>(xr + i) - m32) * rs);
      if (xhat != 0) store<f32>(hr + i, <f32>h);
      let out = h;
      if (w != 0) out = <f64><f32>(h * <f64>load<f32>(w + i)) + (b == 0 ? 0.0 : <f64>load<f32>(b + i));
      else if (b != 0) out = h + <f64>load<f32>(b + i);
      store<f32>(yr + i, <f32>out);
    }
  }
}

/**
 * The gradients from the output gradient `g`: gx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)) with
 * dxhat = g · w, gw = Σ_rows g · xhat and gb = Σ_rows g, each only when its pointer is not 0. With more than one
 * row the sums over rows are kept in float64 in `acc` (2n f64 of scratch, 16-byte aligned), row after row; over one
 * row they are 0 + that row's terms.
 */
export function layerNormBackward(
  g: usize, xhat: usize, rstd: usize, rows: i32, n: i32, w: usize, gx: usize, gw: usize, gb: usize, acc: usize,
): void {
  const nf = <f64>n;
  const pairs = <usize>(n & ~1) << 2;
  const end = <usize>n << 2;
  const many = rows > 1;
  const gwAcc = acc, gbAcc = acc + (<usize>n << 3);
  if (many) memory.fill(acc, 0, <usize>n << 4);
  const zero = f64x2.splat(0);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * <usize>n << 2;
    const gr = g + o, hr = xhat + o;
    // The row's two sums, in order.
    let s1: f64 = 0;
    let s2: f64 = 0;
    for (let i: usize = 0; i < end; i += 4) {
      const G = <f64>load<f32>(gr + i);
      const dh = w == 0 ? G : G * <f64>load<f32>(w + i);
      s1 += dh;
      s2 += dh * <f64>load<f32>(hr + i);
    }
    // The sums over rows: each element on its own, so two at a time.
    if (gw != 0 || gb != 0) {
      let i: usize = 0;
      for (; i < pairs; i += 8) {
        const G = load2(gr + i);
        if (gw != 0) {
          const t = f64x2.mul(G, load2(hr + i));
          if (many) v128.store(gwAcc + (i << 1), f64x2.add(v128.load(gwAcc + (i << 1)), t));
          else store2(gw + i, f64x2.add(zero, t));
        }
        if (gb != 0) {
          if (many) v128.store(gbAcc + (i << 1), f64x2.add(v128.load(gbAcc + (i << 1)), G));
          else store2(gb + i, f64x2.add(zero, G));
        }
      }
      for (; i < end; i += 4) {
        const G = <f64>load<f32>(gr + i);
        if (gw != 0) {
          const t = G * <f64>load<f32>(hr + i);
          if (many) store<f64>(gwAcc + (i << 1), load<f64>(gwAcc + (i << 1)) + t);
          else store<f32>(gw + i, <f32>(0.0 + t));
        }
        if (gb != 0) {
          if (many) store<f64>(gbAcc + (i << 1), load<f64>(gbAcc + (i << 1)) + G);
          else store<f32>(gb + i, <f32>(0.0 + G));
        }
      }
    }
    if (gx != 0) {
      const m1 = s1 / nf;
      const m2 = s2 / nf;
      const rs = <f64>load<f32>(rstd + (<usize>r << 2));
      const vm1 = f64x2.splat(m1), vm2 = f64x2.splat(m2), vrs = f64x2.splat(rs);
      const xr = gx + o;
      let i: usize = 0;
      for (; i < pairs; i += 8) {
        const G = load2(gr + i);
        const dh = w == 0 ? G : f64x2.mul(G, load2(w + i));
        store2(xr + i, f64x2.mul(vrs, f64x2.sub(f64x2.sub(dh, vm1), f64x2.mul(load2(hr + i), vm2))));
      }
      for (; i < end; i += 4) {
        const G = <f64>load<f32>(gr + i);
        const dh = w == 0 ? G : G * <f64>load<f32>(w + i);
        store<f32>(xr + i, <f32>(rs * (dh - m1 - <f64>load<f32>(hr + i) * m2)));
      }
    }
  }
  if (many) {
    for (let i: usize = 0; i < end; i += 4) {
      if (gw != 0) store<f32>(gw + i, <f32>load<f64>(gwAcc + (i << 1)));
      if (gb != 0) store<f32>(gb + i, <f32>load<f64>(gbAcc + (i << 1)));
    }
  }
}
