// Layer normalisation over rows of `n` floats, forward and backward: the operations of src/ops/layer-norm.ts in the
// same order and precision, so both backends give the same bits. A row's sums run in float64, in order (four rows
// at a time, a lane each, where there are four; the last rows one at a time);
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

/** Two float64 lanes rounded to float32 and added (in float32) to the two float32 at p: p[0..1] += v. */
// @ts-ignore: decorator
@inline function addInto2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.add(v128.load64_zero(p), f32x4.demote_f64x2_zero(v)), 0);
}

/** x, or with `into` the float32 at p plus x. */
// @ts-ignore: decorator
@inline function addedTo(p: usize, x: f32, into: bool): f32 {
  return into ? load<f32>(p) + x : x;
}

/** Math.fround of two float64 lanes. */
// @ts-ignore: decorator
@inline function round2(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/** The float32 at p in each of four rows `rowBytes` apart, as lanes 0–3. */
// @ts-ignore: decorator
@inline function gather4(p: usize, rowBytes: usize): v128 {
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + rowBytes, v, 1);
  v = v128.load32_lane(p + (rowBytes << 1), v, 2);
  return v128.load32_lane(p + rowBytes * 3, v, 3);
}

/** Lanes 2 and 3 of a float32 vector as float64 lanes. */
// @ts-ignore: decorator
@inline function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/**
 * y = (x − mean) · rstd · w + b per row (biased variance), with each row's mean and rstd = 1 / sqrt(var + eps)
 * (both rounded to float32) stored, and xhat = (x − mean) · rstd when `xhat` is not 0.
 */
export function layerNormForward(
  x: usize, rows: i32, n: i32, w: usize, b: usize, eps: f64, y: usize, xhat: usize, mean: usize, rstd: usize,
): void {
  const nf = <f64>n;
  const end = <usize>n << 2;
  const rowBytes = end;
  let r = 0;
  // Four rows at a time, one float64 lane each: every row's sums are still in order (the same bits), but four
  // independent sums wait on the adder a quarter as long as one.
  for (; r + 4 <= rows; r += 4) {
    const xr = x + <usize>r * rowBytes;
    const vn = f64x2.splat(nf);
    let m0 = f64x2.splat(0), m1 = f64x2.splat(0);
    for (let i: usize = 0; i < end; i += 4) {
      const v = gather4(xr + i, rowBytes);
      m0 = f64x2.add(m0, f64x2.promote_low_f32x4(v));
      m1 = f64x2.add(m1, promoteHigh(v));
    }
    m0 = f64x2.div(m0, vn);
    m1 = f64x2.div(m1, vn);
    let v0 = f64x2.splat(0), v1 = f64x2.splat(0);
    for (let i: usize = 0; i < end; i += 4) {
      const v = gather4(xr + i, rowBytes);
      const d0 = f64x2.sub(f64x2.promote_low_f32x4(v), m0), d1 = f64x2.sub(promoteHigh(v), m1);
      v0 = f64x2.add(v0, f64x2.mul(d0, d0));
      v1 = f64x2.add(v1, f64x2.mul(d1, d1));
    }
    const one = f64x2.splat(1), ve = f64x2.splat(eps);
    const mr = mean + (<usize>r << 2), rr = rstd + (<usize>r << 2);
    store2(mr, m0);
    store2(mr + 8, m1);
    store2(rr, f64x2.div(one, f64x2.sqrt(f64x2.add(f64x2.div(v0, vn), ve))));
    store2(rr + 8, f64x2.div(one, f64x2.sqrt(f64x2.add(f64x2.div(v1, vn), ve))));
    for (let k = r; k < r + 4; k++) normalizeRow(x, k, n, w, b, y, xhat, mean, rstd);
  }
  for (; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    let m: f64 = 0;
    for (let i: usize = 0; i < end; i += 4) m += <f64>load<f32>(xr + i);
    m /= nf;
    let v: f64 = 0;
    for (let i: usize = 0; i < end; i += 4) {
      const d = <f64>load<f32>(xr + i) - m;
      v += d * d;
    }
    store<f32>(mean + (<usize>r << 2), <f32>m);
    store<f32>(rstd + (<usize>r << 2), <f32>(1.0 / Math.sqrt(v / nf + eps)));
    normalizeRow(x, r, n, w, b, y, xhat, mean, rstd);
  }
}

/** Row r's outputs (and xhat) from its stored float32 mean and rstd. */
function normalizeRow(x: usize, r: i32, n: i32, w: usize, b: usize, y: usize, xhat: usize, mean: usize, rstd: usize): void {
  const pairs = <usize>(n & ~1) << 2;
  const end = <usize>n << 2;
  const zero = f64x2.splat(0);
  const o = <usize>r * <usize>n << 2;
  const xr = x + o;
  const m32 = <f64>load<f32>(mean + (<usize>r << 2));
  const rs = <f64>load<f32>(rstd + (<usize>r << 2));
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

/**
 * The gradients from the output gradient `g`: gx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)) with
 * dxhat = g · w, gw = Σ_rows g · xhat and gb = Σ_rows g, each only when its pointer is not 0. With more than one
 * row the sums over rows are kept in float64 in `acc` (2n f64 of scratch, 16-byte aligned), row after row; over one
 * row they are 0 + that row's terms. With `into`, gw and gb are added (in float32) to what their arrays hold, as a
 * parameter's gradient accumulates, instead of stored.
 */
export function layerNormBackward(
  g: usize, xhat: usize, rstd: usize, rows: i32, n: i32, w: usize, gx: usize, gw: usize, gb: usize, acc: usize, into: bool,
): void {
  const end = <usize>n << 2;
  const many = rows > 1;
  const gwAcc = acc, gbAcc = acc + (<usize>n << 3);
  if (many) memory.fill(acc, 0, <usize>n << 4);
  const rowBytes = end;
  let r = 0;
  // The rows' two sums, in order, four rows at a time (one float64 lane each: the same bits as row by row, with
  // four independent sums in flight); then each row's passes over its elements.
  for (; r + 4 <= rows; r += 4) {
    const gr = g + <usize>r * rowBytes, hr = xhat + <usize>r * rowBytes;
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), q0 = f64x2.splat(0), q1 = f64x2.splat(0);
    for (let i: usize = 0; i < end; i += 4) {
      const G = gather4(gr + i, rowBytes), H = gather4(hr + i, rowBytes);
      let d0 = f64x2.promote_low_f32x4(G), d1 = promoteHigh(G);
      if (w != 0) {
        const wv = f64x2.splat(<f64>load<f32>(w + i));
        d0 = f64x2.mul(d0, wv);
        d1 = f64x2.mul(d1, wv);
      }
      a0 = f64x2.add(a0, d0);
      a1 = f64x2.add(a1, d1);
      q0 = f64x2.add(q0, f64x2.mul(d0, f64x2.promote_low_f32x4(H)));
      q1 = f64x2.add(q1, f64x2.mul(d1, promoteHigh(H)));
    }
    rowGrads(g, xhat, rstd, r, n, w, gx, gw, gb, gwAcc, gbAcc, many, into, f64x2.extract_lane(a0, 0), f64x2.extract_lane(q0, 0));
    rowGrads(g, xhat, rstd, r + 1, n, w, gx, gw, gb, gwAcc, gbAcc, many, into, f64x2.extract_lane(a0, 1), f64x2.extract_lane(q0, 1));
    rowGrads(g, xhat, rstd, r + 2, n, w, gx, gw, gb, gwAcc, gbAcc, many, into, f64x2.extract_lane(a1, 0), f64x2.extract_lane(q1, 0));
    rowGrads(g, xhat, rstd, r + 3, n, w, gx, gw, gb, gwAcc, gbAcc, many, into, f64x2.extract_lane(a1, 1), f64x2.extract_lane(q1, 1));
  }
  for (; r < rows; r++) {
    const gr = g + <usize>r * rowBytes, hr = xhat + <usize>r * rowBytes;
    let s1: f64 = 0;
    let s2: f64 = 0;
    for (let i: usize = 0; i < end; i += 4) {
      const G = <f64>load<f32>(gr + i);
      const dh = w == 0 ? G : G * <f64>load<f32>(w + i);
      s1 += dh;
      s2 += dh * <f64>load<f32>(hr + i);
    }
    rowGrads(g, xhat, rstd, r, n, w, gx, gw, gb, gwAcc, gbAcc, many, into, s1, s2);
  }
  if (many) {
    for (let i: usize = 0; i < end; i += 4) {
      if (gw != 0) store<f32>(gw + i, addedTo(gw + i, <f32>load<f64>(gwAcc + (i << 1)), into));
      if (gb != 0) store<f32>(gb + i, addedTo(gb + i, <f32>load<f64>(gbAcc + (i << 1)), into));
    }
  }
}

/** Row r's share of the gradients, from its sums s1 = Σ dh and s2 = Σ dh·xhat. */
function rowGrads(
  g: usize, xhat: usize, rstd: usize, r: i32, n: i32, w: usize, gx: usize, gw: usize, gb: usize,
  gwAcc: usize, gbAcc: usize, many: bool, into: bool, s1: f64, s2: f64,
): void {
  const nf = <f64>n;
  const pairs = <usize>(n & ~1) << 2;
  const end = <usize>n << 2;
  const zero = f64x2.splat(0);
  const o = <usize>r * <usize>n << 2;
  const gr = g + o, hr = xhat + o;
  // The sums over rows: each element on its own, so two at a time.
  if (gw != 0 || gb != 0) {
    let i: usize = 0;
    for (; i < pairs; i += 8) {
      const G = load2(gr + i);
      if (gw != 0) {
        const t = f64x2.mul(G, load2(hr + i));
        if (many) v128.store(gwAcc + (i << 1), f64x2.add(v128.load(gwAcc + (i << 1)), t));
        else if (into) addInto2(gw + i, f64x2.add(zero, t));
        else store2(gw + i, f64x2.add(zero, t));
      }
      if (gb != 0) {
        if (many) v128.store(gbAcc + (i << 1), f64x2.add(v128.load(gbAcc + (i << 1)), G));
        else if (into) addInto2(gb + i, f64x2.add(zero, G));
        else store2(gb + i, f64x2.add(zero, G));
      }
    }
    for (; i < end; i += 4) {
      const G = <f64>load<f32>(gr + i);
      if (gw != 0) {
        const t = G * <f64>load<f32>(hr + i);
        if (many) store<f64>(gwAcc + (i << 1), load<f64>(gwAcc + (i << 1)) + t);
        else store<f32>(gw + i, addedTo(gw + i, <f32>(0.0 + t), into));
      }
      if (gb != 0) {
        if (many) store<f64>(gbAcc + (i << 1), load<f64>(gbAcc + (i << 1)) + G);
        else store<f32>(gb + i, addedTo(gb + i, <f32>(0.0 + G), into));
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
