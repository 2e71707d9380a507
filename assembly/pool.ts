// Max pooling's two loops (src/ops/pool.ts): each window's maximum and where it is, and the backward pass's
// scatter of each output's gradient onto that element. The maximum is chosen as PyTorch's CPU kernel chooses it
// (the first largest value; a NaN wins, the last one seen), so the positions are the reference's.

/**
 * y[c, oy, ox] = the maximum of plane c's window (taps dh, dw apart from oy·sh − ph, ox·sw − pw; taps in the
 * padding are left out) and arg[…] = its flat position in x plus `offset` (where x starts in the whole input), for
 * `planes` planes of h×w. A window with no tap inside the input (possible with dilation and padding) gives −∞ and
 * position −1: its output depends on no input.
 */
export function maxPool2dForward(
  x: usize, planes: i32, h: i32, w: i32, ho: i32, wo: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, y: usize, arg: usize, offset: i32,
): void {
  let o: usize = 0;
  // MaxPool2d(2): whole 2×2 windows side by side, four outputs at a time.
  const pairs = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1 && 2 * ho <= h;
  for (let c = 0; c < planes; c++) {
    const plane = c * h * w;
    for (let oy = 0; oy < ho; oy++) {
      // PyTorch's bounds: the first tap inside the input, and taps up to the input's end.
      let h0 = oy * sh - ph;
      const h1 = min(h0 + (kh - 1) * dh + 1, h);
      while (h0 < 0) h0 += dh;
      let ox = 0;
      if (pairs) {
        for (; ox + 4 <= wo && 2 * ox + 8 <= w; ox += 4, o += 4) pool2x2(x, plane + h0 * w + 2 * ox, w, y + (o << 2), arg + (o << 2), offset);
      }
      for (; ox < wo; ox++, o++) {
        let w0 = ox * sw - pw;
        const w1 = min(w0 + (kw - 1) * dw + 1, w);
        while (w0 < 0) w0 += dw;
        let best: f32 = -Infinity;
        let at = plane + h0 * w + w0;
        for (let i = h0; i < h1; i += dh) {
          const row = plane + i * w;
          for (let j = w0; j < w1; j += dw) {
            const v = load<f32>(x + (<usize>(row + j) << 2));
            if (v > best || v != v) {
              best = v;
              at = row + j;
            }
          }
        }
        store<f32>(y + (o << 2), best);
        store<i32>(arg + (o << 2), h0 < h1 && w0 < w1 ? at + offset : -1);
      }
    }
  }
}

/**
 * Four outputs of MaxPool2d(2) from the 2×8 block at `at` (a flat position in x; rows w floats apart): the taps of
 * each window in the scalar loop's order (top left, top right, bottom left, bottom right), each taken when it is
 * larger than the maximum so far or NaN, lane by lane.
 */
// @ts-ignore: decorator
@inline function pool2x2(x: usize, at: i32, w: i32, y: usize, arg: usize, offset: i32): void {
  const top = x + (<usize>at << 2);
  const bottom = top + (<usize>w << 2);
  const t0 = v128.load(top), t1 = v128.load(top, 16);
  const b0 = v128.load(bottom), b1 = v128.load(bottom, 16);
  // Positions of the top-left taps: at, at + 2, at + 4, at + 6.
  const first = i32x4.add(i32x4.splat(at), i32x4(0, 2, 4, 6));
  let best = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
  let pos = first;
  let v = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
  let take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
  best = v128.bitselect(v, best, take);
  pos = v128.bitselect(i32x4.add(first, i32x4.splat(1)), pos, take);
  v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
  take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
  best = v128.bitselect(v, best, take);
  pos = v128.bitselect(i32x4.add(first, i32x4.splat(w)), pos, take);
  v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
  take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
  best = v128.bitselect(v, best, take);
  pos = v128.bitselect(i32x4.add(first, i32x4.splat(w + 1)), pos, take);
  v128.store(y, best);
  v128.store(arg, i32x4.add(pos, i32x4.splat(offset)));
}

/**
 * gx[arg[o] − offset] += g[o] for o < n, in increasing o (float32 additions), skipping the positions −1 of windows
 * with no tap inside the input.
 */
export function scatterAdd(g: usize, arg: usize, n: i32, gx: usize, offset: i32): void {
  for (let o = 0; o < n; o++) {
    const a = load<i32>(arg + (<usize>o << 2));
    if (a < 0) continue;
    const p = gx + (<usize>(a - offset) << 2);
    store<f32>(p, load<f32>(p) + load<f32>(g + (<usize>o << 2)));
  }
}

/**
 * Average pooling over `planes` planes of h×w, for n outputs a plane whose windows (clipped to the input) are the
 * rows [top, bottom) and columns [left, right) given per output (i32 arrays) with a float64 divisor each:
 * y = float32(the float64 sum of the window, in row-major order, / divisor).
 */
export function avgPool2dForward(
  x: usize, planes: i32, h: i32, w: i32, n: i32, top: usize, bottom: usize, left: usize, right: usize, divisor: usize, y: usize,
): void {
  for (let c = 0; c < planes; c++) {
    const plane = x + (<usize>c * <usize>h * <usize>w << 2);
    for (let i = 0; i < n; i++) {
      const q = <usize>i << 2;
      const a1 = load<i32>(bottom + q), b0 = load<i32>(left + q), b1 = load<i32>(right + q);
      let s: f64 = 0;
      for (let a = load<i32>(top + q); a < a1; a++) {
        const row = plane + (<usize>(a * w) << 2);
        for (let b = b0; b < b1; b++) s += <f64>load<f32>(row + (<usize>b << 2));
      }
      store<f32>(y + ((<usize>c * <usize>n + <usize>i) << 2), <f32>(s / load<f64>(divisor + (<usize>i << 3))));
    }
  }
}

/** Its backward pass: each output's float32(g / divisor) added (float32) to every element of its window, in order. */
export function avgPool2dBackward(
  g: usize, planes: i32, h: i32, w: i32, n: i32, top: usize, bottom: usize, left: usize, right: usize, divisor: usize, gx: usize,
): void {
  for (let c = 0; c < planes; c++) {
    const plane = gx + (<usize>c * <usize>h * <usize>w << 2);
    for (let i = 0; i < n; i++) {
      const q = <usize>i << 2;
      const share = <f32>(<f64>load<f32>(g + ((<usize>c * <usize>n + <usize>i) << 2)) / load<f64>(divisor + (<usize>i << 3)));
      const a1 = load<i32>(bottom + q), b0 = load<i32>(left + q), b1 = load<i32>(right + q);
      for (let a = load<i32>(top + q); a < a1; a++) {
        const row = plane + (<usize>(a * w) << 2);
        for (let b = b0; b < b1; b++) {
          const p = row + (<usize>b << 2);
          store<f32>(p, load<f32>(p) + share);
        }
      }
    }
  }
}
