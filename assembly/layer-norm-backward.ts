// Layer normalisation's backward pass: the operations of src/kernels/ref/layer-norm.ts in the same order and
// precision (float64 sums, each row's in order; elementwise passes in float64 two elements at a time, rounding to
// float32 exactly where the reference does), so both backends give the same bits. A pointer of 0 stands for an
// absent array.
import { gather4, load2, promoteHigh, store2 } from './layer-norm-lanes';

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
  const quads = <usize>(n & ~3) << 2;
  const many = rows > 1;
  const gwAcc = acc, gbAcc = acc + (<usize>n << 3);
  if (many) memory.fill(acc, 0, <usize>n << 4);
  const rowBytes = end;
  let r = 0;
  // The rows' two sums, in order, four rows at a time (one float64 lane each: the same bits as row by row, with
  // four independent sums in flight); then the four rows' gradients in one pass over their elements (rowGrads4).
  // The last rows one at a time.
  for (; r + 4 <= rows; r += 4) {
    const gr = g + <usize>r * rowBytes, hr = xhat + <usize>r * rowBytes;
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), q0 = f64x2.splat(0), q1 = f64x2.splat(0);
    let i: usize = 0;
    // Four elements of each row at once, dealt out to the lanes (rows r, r + 1 and rows r + 2, r + 3) by shuffles.
    for (; i < quads; i += 16) {
      const Ga = v128.load(gr + i), Gb = v128.load(gr + rowBytes + i);
      const Gc = v128.load(gr + (rowBytes << 1) + i), Gd = v128.load(gr + rowBytes * 3 + i);
      const Ha = v128.load(hr + i), Hb = v128.load(hr + rowBytes + i);
      const Hc = v128.load(hr + (rowBytes << 1) + i), Hd = v128.load(hr + rowBytes * 3 + i);
      const gl = v128.shuffle<f32>(Ga, Gb, 0, 4, 1, 5), gh = v128.shuffle<f32>(Ga, Gb, 2, 6, 3, 7);
      const kl = v128.shuffle<f32>(Gc, Gd, 0, 4, 1, 5), kh = v128.shuffle<f32>(Gc, Gd, 2, 6, 3, 7);
      const hl = v128.shuffle<f32>(Ha, Hb, 0, 4, 1, 5), hh = v128.shuffle<f32>(Ha, Hb, 2, 6, 3, 7);
      const jl = v128.shuffle<f32>(Hc, Hd, 0, 4, 1, 5), jh = v128.shuffle<f32>(Hc, Hd, 2, 6, 3, 7);
      // dh of elements i … i + 3 (d, e, f, g), for rows r, r + 1 (…0) and r + 2, r + 3 (…1).
      const d0 = weighted(w, i, f64x2.promote_low_f32x4(gl)), d1 = weighted(w, i, f64x2.promote_low_f32x4(kl));
      const e0 = weighted(w, i + 4, promoteHigh(gl)), e1 = weighted(w, i + 4, promoteHigh(kl));
      const f0 = weighted(w, i + 8, f64x2.promote_low_f32x4(gh)), f1 = weighted(w, i + 8, f64x2.promote_low_f32x4(kh));
      const g0 = weighted(w, i + 12, promoteHigh(gh)), g1 = weighted(w, i + 12, promoteHigh(kh));
      a0 = f64x2.add(f64x2.add(f64x2.add(f64x2.add(a0, d0), e0), f0), g0);
      a1 = f64x2.add(f64x2.add(f64x2.add(f64x2.add(a1, d1), e1), f1), g1);
      q0 = dot4(q0, d0, e0, f0, g0, hl, hh);
      q1 = dot4(q1, d1, e1, f1, g1, jl, jh);
    }
    for (; i < end; i += 4) {
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
    rowGrads4(g, xhat, rstd, r, n, w, gx, gw, gb, gwAcc, gbAcc, a0, a1, q0, q1);
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

/** Two float64 lanes of g, times the weight at w + at (float32, the same for both) when there is a weight. */
// @ts-ignore: decorator
@inline function weighted(w: usize, at: usize, g: v128): v128 {
  return w == 0 ? g : f64x2.mul(g, f64x2.splat(<f64>load<f32>(w + at)));
}

/** s + d·xhat[0] + e·xhat[1] + f·xhat[2] + g·xhat[3], in order, with xhat's pairs from lanes 0–1 and 2–3 of lo, hi. */
// @ts-ignore: decorator
@inline function dot4(s: v128, d: v128, e: v128, f: v128, g: v128, lo: v128, hi: v128): v128 {
  s = f64x2.add(s, f64x2.mul(d, f64x2.promote_low_f32x4(lo)));
  s = f64x2.add(s, f64x2.mul(e, promoteHigh(lo)));
  s = f64x2.add(s, f64x2.mul(f, f64x2.promote_low_f32x4(hi)));
  return f64x2.add(s, f64x2.mul(g, promoteHigh(hi)));
}

/**
 * rowGrads of rows r … r + 3 (with more than one row: the sums over rows in gwAcc and gbAcc) in one pass over the
 * elements: each element's sums over rows still add row r, r + 1, r + 2, r + 3 in turn (the same bits), loaded and
 * stored once instead of four times. s1 = Σ dh of the four rows in the lanes of a0 and a1, s2 = Σ dh·xhat in q0, q1.
 */
function rowGrads4(
  g: usize, xhat: usize, rstd: usize, r: i32, n: i32, w: usize, gx: usize, gw: usize, gb: usize,
  gwAcc: usize, gbAcc: usize, a0: v128, a1: v128, q0: v128, q1: v128,
): void {
  const nf = <f64>n;
  const pairs = <usize>(n & ~1) << 2;
  const end = <usize>n << 2;
  const rb = end;
  const o = <usize>r * <usize>n << 2;
  const g0 = g + o, h0 = xhat + o, x0 = gx + o;
  const rp = rstd + (<usize>r << 2);
  const s10 = f64x2.extract_lane(a0, 0) / nf, s11 = f64x2.extract_lane(a0, 1) / nf;
  const s12 = f64x2.extract_lane(a1, 0) / nf, s13 = f64x2.extract_lane(a1, 1) / nf;
  const s20 = f64x2.extract_lane(q0, 0) / nf, s21 = f64x2.extract_lane(q0, 1) / nf;
  const s22 = f64x2.extract_lane(q1, 0) / nf, s23 = f64x2.extract_lane(q1, 1) / nf;
  const r0 = <f64>load<f32>(rp), r1 = <f64>load<f32>(rp, 4), r2 = <f64>load<f32>(rp, 8), r3 = <f64>load<f32>(rp, 12);
  const v10 = f64x2.splat(s10), v11 = f64x2.splat(s11), v12 = f64x2.splat(s12), v13 = f64x2.splat(s13);
  const v20 = f64x2.splat(s20), v21 = f64x2.splat(s21), v22 = f64x2.splat(s22), v23 = f64x2.splat(s23);
  const vr0 = f64x2.splat(r0), vr1 = f64x2.splat(r1), vr2 = f64x2.splat(r2), vr3 = f64x2.splat(r3);
  let i: usize = 0;
  for (; i < pairs; i += 8) {
    const G0 = load2(g0 + i), G1 = load2(g0 + rb + i), G2 = load2(g0 + (rb << 1) + i), G3 = load2(g0 + rb * 3 + i);
    const H0 = load2(h0 + i), H1 = load2(h0 + rb + i), H2 = load2(h0 + (rb << 1) + i), H3 = load2(h0 + rb * 3 + i);
    if (gw != 0) {
      const a = gwAcc + (i << 1);
      let t = f64x2.add(v128.load(a), f64x2.mul(G0, H0));
      t = f64x2.add(t, f64x2.mul(G1, H1));
      t = f64x2.add(t, f64x2.mul(G2, H2));
      v128.store(a, f64x2.add(t, f64x2.mul(G3, H3)));
    }
    if (gb != 0) {
      const a = gbAcc + (i << 1);
      v128.store(a, f64x2.add(f64x2.add(f64x2.add(f64x2.add(v128.load(a), G0), G1), G2), G3));
    }
    if (gx != 0) {
      const W = w == 0 ? G0 : load2(w + i);
      gxPair(x0 + i, w == 0 ? G0 : f64x2.mul(G0, W), H0, v10, v20, vr0);
      gxPair(x0 + rb + i, w == 0 ? G1 : f64x2.mul(G1, W), H1, v11, v21, vr1);
      gxPair(x0 + (rb << 1) + i, w == 0 ? G2 : f64x2.mul(G2, W), H2, v12, v22, vr2);
      gxPair(x0 + rb * 3 + i, w == 0 ? G3 : f64x2.mul(G3, W), H3, v13, v23, vr3);
    }
  }
  for (; i < end; i += 4) {
    for (let k = 0; k < 4; k++) {
      const q = <usize>k * rb + i;
      const G = <f64>load<f32>(g0 + q);
      const H = <f64>load<f32>(h0 + q);
      if (gw != 0) store<f64>(gwAcc + (i << 1), load<f64>(gwAcc + (i << 1)) + G * H);
      if (gb != 0) store<f64>(gbAcc + (i << 1), load<f64>(gbAcc + (i << 1)) + G);
      if (gx != 0) {
        const m1 = k == 0 ? s10 : k == 1 ? s11 : k == 2 ? s12 : s13;
        const m2 = k == 0 ? s20 : k == 1 ? s21 : k == 2 ? s22 : s23;
        const rs = k == 0 ? r0 : k == 1 ? r1 : k == 2 ? r2 : r3;
        const dh = w == 0 ? G : G * <f64>load<f32>(w + i);
        store<f32>(x0 + q, <f32>(rs * (dh - m1 - H * m2)));
      }
    }
  }
}

/** Two elements of gx = rstd · (dh − m1 − xhat · m2), stored at p; m1, m2 and rs splatted into both lanes. */
// @ts-ignore: decorator
@inline function gxPair(p: usize, dh: v128, H: v128, m1: v128, m2: v128, rs: v128): void {
  store2(p, f64x2.mul(rs, f64x2.sub(f64x2.sub(dh, m1), f64x2.mul(H, m2))));
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
      gxPair(xr + i, w == 0 ? G : f64x2.mul(G, load2(w + i)), load2(hr + i), vm1, vm2, vrs);
    }
    for (; i < end; i += 4) {
      const G = <f64>load<f32>(gr + i);
      const dh = w == 0 ? G : G * <f64>load<f32>(w + i);
      store<f32>(xr + i, <f32>(rs * (dh - m1 - <f64>load<f32>(hr + i) * m2)));
    }
  }
}
