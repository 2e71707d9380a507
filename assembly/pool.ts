// Max pooling's two loops (src/ops/pool.ts): each window's maximum and where it is, and the backward pass's
// scatter of each output's gradient onto that element. The maximum is chosen as PyTorch's CPU kernel chooses it
// (the first largest value; a NaN wins, the last one seen), so the positions are the reference's.

/**
 * y[c, oy, ox] = the maximum of plane c's window (taps dh, dw apart from oy·sh − ph, ox·sw − pw; taps in the
 * padding are left out) and arg[…] = its flat position in x, for `planes` planes of h×w.
 */
export function maxPool2dForward(
  x: usize, planes: i32, h: i32, w: i32, ho: i32, wo: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, y: usize, arg: usize,
): void {
  let o: usize = 0;
  for (let c = 0; c < planes; c++) {
    const plane = c * h * w;
    for (let oy = 0; oy < ho; oy++) {
      // PyTorch's bounds: the first tap inside the input, and taps up to the input's end.
      let h0 = oy * sh - ph;
      const h1 = min(h0 + (kh - 1) * dh + 1, h);
      while (h0 < 0) h0 += dh;
      for (let ox = 0; ox < wo; ox++, o++) {
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
        store<i32>(arg + (o << 2), at);
      }
    }
  }
}

/** gx[arg[o]] += g[o] for o < n, in increasing o: float32 additions. */
export function scatterAdd(g: usize, arg: usize, n: i32, gx: usize): void {
  for (let o = 0; o < n; o++) {
    const p = gx + (<usize>load<i32>(arg + (<usize>o << 2)) << 2);
    store<f32>(p, load<f32>(p) + load<f32>(g + (<usize>o << 2)));
  }
}
