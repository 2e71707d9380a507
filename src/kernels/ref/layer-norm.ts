/**
 * Layer normalisation over rows of `n` floats, forward and backward, in plain TypeScript: the reference that the
 * wasm kernels (assembly/layer-norm*.ts) match bit for bit. Each row's sums run in float64, in order;
 * `Math.fround` marks where a value is rounded to float32, as is every store into a Float32Array.
 */

/**
 * Y = (X − mean) · rstd · w + b per row (biased variance; `w` and `b` may be null), with each row's mean and
 * rstd = 1 / sqrt(var + eps) stored, and xhat = (X − mean) · rstd when `xhat` is given (for the backward pass).
 */
export function layerNormForward(
  X: Float32Array, rows: number, n: number, w: Float32Array | null, b: Float32Array | null, eps: number,
  Y: Float32Array, xhat: Float32Array | null, mean: Float32Array, rstd: Float32Array,
): void {
  // Each row's mean and rstd, two rows at a time where there are two: every row's float64 sums run in the same
  // order (the same bits), but two independent sums wait on the adder half as long as one.
  for (let r = 0; r < rows; r += 2) {
    if (r + 1 < rows) rowStats2(X, r, n, eps, mean, rstd);
    else rowStats(X, r, n, eps, mean, rstd);
  }
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    const rs = rstd[r]!;
    const m32 = mean[r]!;
    for (let i = 0; i < n; i++) {
      const h = Math.fround((X[o + i]! - m32) * rs);
      if (xhat !== null) xhat[o + i] = h;
      Y[o + i] = w === null ? (b === null ? h : h + b[i]!) : Math.fround(h * w[i]!) + (b === null ? 0 : b[i]!);
    }
  }
}

/**
 * The gradients of layerNormForward for the output gradient G: GX = rstd · (dxhat − mean(dxhat) − xhat ·
 * mean(dxhat · xhat)) with dxhat = G · w, GW = Σ_rows G · xhat and GB = Σ_rows G, each only when its array is given.
 * With `into`, GW and GB are added to what their arrays hold (float32 additions of the float32 results), as a
 * parameter's gradient accumulates, instead of overwriting it.
 */
export function layerNormBackward(
  G: Float32Array, xhat: Float32Array, rstd: Float32Array, rows: number, n: number, w: Float32Array | null,
  GX: Float32Array | null, GW: Float32Array | null, GB: Float32Array | null, into = false,
): void {
  // The sums over rows are kept in float64 (a shared scratch: kernels never run nested); over one
  // row they are that row's terms, 0 + t (so −0 gives +0, as a sum does).
  const many = rows > 1;
  const gwAcc = GW !== null && many ? sums(0, n) : null;
  const gbAcc = GB !== null && many ? sums(n, n) : null;
  // dxhat = g · w ;  dx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)). Rows two at a time where there
  // are two, as in the forward pass: each row's float64 sums run in the same order, and the sums over rows still
  // add row r before row r + 1 (the same bits), while two independent sums share the adder's wait.
  const dx = (r: number, s1: number, s2: number): void => {
    if (!GX) return;
    const o = r * n;
    const m1 = s1 / n;
    const m2 = s2 / n;
    const rs = rstd[r]!;
    for (let i = 0; i < n; i++) {
      const dh = w === null ? G[o + i]! : G[o + i]! * w[i]!;
      GX[o + i] = rs * (dh - m1 - xhat[o + i]! * m2);
    }
  };
  for (let r = 0; r < rows; r += 2) {
    const o = r * n;
    let s1 = 0;
    let s2 = 0;
    if (r + 1 < rows) {
      const q = o + n;
      let t1 = 0;
      let t2 = 0;
      for (let i = 0; i < n; i++) {
        const ga = G[o + i]!;
        const gq = G[q + i]!;
        const ha = xhat[o + i]!;
        const hq = xhat[q + i]!;
        const da = w === null ? ga : ga * w[i]!;
        const dq = w === null ? gq : gq * w[i]!;
        s1 += da;
        s2 += da * ha;
        t1 += dq;
        t2 += dq * hq;
        if (gwAcc) gwAcc[i] = gwAcc[i]! + ga * ha + gq * hq;
        if (gbAcc) gbAcc[i] = gbAcc[i]! + ga + gq;
      }
      dx(r, s1, s2);
      dx(r + 1, t1, t2);
      continue;
    }
    for (let i = 0; i < n; i++) {
      const dh = w === null ? G[o + i]! : G[o + i]! * w[i]!;
      s1 += dh;
      s2 += dh * xhat[o + i]!;
      if (gwAcc) gwAcc[i] += G[o + i]! * xhat[o + i]!;
      else if (GW) GW[i] = (into ? GW[i]! : 0) + Math.fround(0 + G[o + i]! * xhat[o + i]!);
      if (gbAcc) gbAcc[i] += G[o + i]!;
      else if (GB) GB[i] = (into ? GB[i]! : 0) + Math.fround(0 + G[o + i]!);
    }
    dx(r, s1, s2);
  }
  if (GW && gwAcc) addOrSet(GW, gwAcc, into);
  if (GB && gbAcc) addOrSet(GB, gbAcc, into);
}

/** dst = sums rounded to float32, or with `into` dst + those (a float32 addition, as a gradient accumulates). */
function addOrSet(dst: Float32Array, sums: Float64Array, into: boolean): void {
  if (!into) {
    dst.set(sums);
    return;
  }
  for (let i = 0; i < dst.length; i++) dst[i] = dst[i]! + Math.fround(sums[i]!);
}

let scratch = new Float64Array(0);

/** `count` zeroed float64 sums at `offset` of the shared scratch (grown as needed). */
function sums(offset: number, count: number): Float64Array {
  if (scratch.length < offset + count) scratch = new Float64Array(Math.max(offset + count, 2 * scratch.length));
  const s = scratch.subarray(offset, offset + count);
  s.fill(0);
  return s;
}

/**
 * Row r's mean (rounded to float32) and rstd = 1 / sqrt(var + eps) (biased variance), with float64 sums in order.
 */
function rowStats(X: Float32Array, r: number, n: number, eps: number, mean: Float32Array, rstd: Float32Array): void {
  const o = r * n;
  let m = 0;
  for (let i = 0; i < n; i++) m += X[o + i]!;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = X[o + i]! - m;
    v += d * d;
  }
  mean[r] = m;
  rstd[r] = 1 / Math.sqrt(v / n + eps);
}

/** rowStats of rows r and r + 1 at once, each with its own sums in the same order (the same bits). */
function rowStats2(X: Float32Array, r: number, n: number, eps: number, mean: Float32Array, rstd: Float32Array): void {
  const o = r * n;
  const p = o + n;
  let m = 0;
  let mm = 0;
  for (let i = 0; i < n; i++) {
    m += X[o + i]!;
    mm += X[p + i]!;
  }
  m /= n;
  mm /= n;
  let v = 0;
  let vv = 0;
  for (let i = 0; i < n; i++) {
    const d = X[o + i]! - m;
    const dd = X[p + i]! - mm;
    v += d * d;
    vv += dd * dd;
  }
  mean[r] = m;
  mean[r + 1] = mm;
  rstd[r] = 1 / Math.sqrt(v / n + eps);
  rstd[r + 1] = 1 / Math.sqrt(vv / n + eps);
}
