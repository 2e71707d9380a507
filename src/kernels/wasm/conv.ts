import type { ConvGrads, ConvPlan } from '../conv-plan.js';
import { panelBytes } from './gemm.js';
import type { Frame } from './frame.js';
import type { WasmKernels } from './load.js';

/**
 * 2-D convolution on the wasm kernels, the reference's arithmetic (../ref/conv.ts) bit for bit: the input, weight
 * and output gradient are copied into the kernels' memory once per call, and every sample's patches, products and
 * additions are made there. The products skip zeros of their first operand, which is exact for a finite second
 * one, so these paths take only finite operands: they return false otherwise, and the caller runs the reference.
 */

/** gemmRowB's scratch for an [M, K]·[K, N] product: idx, val (four rows' non-zeros), and panels (−1 for none). */
function planProduct(fr: Frame, M: number, N: number, K: number): [number, number, number] {
  const bytes = panelBytes(M, N, K);
  return [fr.space(16 * K), fr.space(16 * K), bytes > 0 ? fr.space(bytes) : -1];
}

function productPointers(fr: Frame, slots: [number, number, number]): [number, number, number] {
  return [fr.ptr(slots[0]), fr.ptr(slots[1]), slots[2] < 0 ? 0 : fr.ptr(slots[2])];
}

function finite(w: WasmKernels, ptr: number, n: number): boolean {
  return n === 0 || w.exports.allFinite(ptr, 1, n, n) === 1;
}

/** Y [N, O, L] = X [N, C, H·W] convolved with Wt [O, K] (+ bias [O]); false when X or Wt is not all finite. */
export function convForward(w: WasmKernels, p: ConvPlan, X: Float32Array, Wt: Float32Array, bias: Float32Array | null, Y: Float32Array): boolean {
  const { N, C, HW, O, groups, Cg, Og, K, L, sw } = p;
  const fr = w.frame.begin();
  const x = fr.in(X);
  const wt = fr.in(Wt);
  const y = fr.out(Y, false);
  const b = bias === null ? -1 : fr.in(bias);
  const rows = fr.in(p.rows);
  const cols = fr.space(K * L * 4);
  const prod = planProduct(fr, Og, L, K);
  fr.open();
  const e = w.exports;
  const [xp, wp, yp, rp, cp] = [fr.ptr(x), fr.ptr(wt), fr.ptr(y), fr.ptr(rows), fr.ptr(cols)];
  if (!finite(w, xp, X.length) || !finite(w, wp, Wt.length)) return false;
  const [ip, vp, pp] = productPointers(fr, prod);
  const nrows = p.rows.length >> 2;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < groups; g++) {
      e.im2col(xp + (n * C + g * Cg) * HW * 4, rp, nrows, sw, cp, K * L);
      // Y_ng [Og, L] = W_g [Og, K] · cols [K, L]
      e.gemmRowB(Og, L, K, wp + g * Og * K * 4, K, 1, cp, L, yp + (n * O + g * Og) * L * 4, L, 0, 0, ip, vp, pp);
    }
    if (b >= 0) e.addRowBias(yp + n * O * L * 4, O, L, fr.ptr(b));
  }
  fr.finish(y);
  return true;
}

/**
 * The gradients asked for (`into`'s arrays, written in place: the input's must hold zeros), from the output
 * gradient G [N, O, L]; false when X, Wt or G is not all finite.
 */
export function convBackward(w: WasmKernels, p: ConvPlan, X: Float32Array, Wt: Float32Array, G: Float32Array, into: ConvGrads): boolean {
  const { N, C, HW, O, groups, Cg, Og, K, L, sw } = p;
  const fr = w.frame.begin();
  const x = fr.in(X);
  const wt = fr.in(Wt);
  const gr = fr.in(G);
  const rows = fr.in(p.rows);
  const gx = into.input === null ? -1 : fr.out(into.input, false);
  const gw = into.weight === null ? -1 : fr.out(into.weight, false);
  const gb = into.bias === null ? -1 : fr.out(into.bias, false);
  const cols = fr.space(K * L * 4);
  // The patches (or their gradient) transposed, [L, K]: the products read and write rows of K floats.
  const colsT = fr.space(K * L * 4);
  const part = into.weight === null ? -1 : fr.space(Og * K * 4);
  const acc = into.weight === null ? -1 : fr.space(O * K * 8);
  // The input's gradient through colsᵀ [L, K] = G_ngᵀ [L, Og] · W_g [Og, K] (G's zeros skipped: ReLU's and
  // pooling's), transposed for col2im; the weight's as G_ng [Og, L] · colsᵀ [L, K].
  const inputProd = gx < 0 ? null : planProduct(fr, L, K, Og);
  const weightProd = gw < 0 ? null : planProduct(fr, Og, K, L);
  fr.open();
  const e = w.exports;
  const [xp, wp, gp, rp, cp, tp] = [fr.ptr(x), fr.ptr(wt), fr.ptr(gr), fr.ptr(rows), fr.ptr(cols), fr.ptr(colsT)];
  if (!finite(w, xp, X.length) || !finite(w, wp, Wt.length) || !finite(w, gp, G.length)) return false;
  const nrows = p.rows.length >> 2;
  if (gb >= 0) e.channelSums(gp, N, O, L, fr.ptr(gb));
  if (inputProd !== null) {
    const [ip, vp, pp] = productPointers(fr, inputProd);
    const gxp = fr.ptr(gx);
    e.fillFloats(gxp, N * C * HW, 0);
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < groups; g++) {
        e.gemmRowB(L, K, Og, gp + (n * O + g * Og) * L * 4, 1, L, wp + g * Og * K * 4, K, tp, K, 0, 0, ip, vp, pp);
        e.transpose(tp, L, K, cp);
        e.col2imAdd(cp, rp, nrows, sw, gxp + (n * C + g * Cg) * HW * 4);
      }
    }
    fr.finish(gx);
  }
  if (weightProd !== null) {
    const [ip, vp, pp] = productPointers(fr, weightProd);
    const [pa, ap] = [fr.ptr(part), fr.ptr(acc)];
    e.fillFloats(ap, 2 * O * K, 0);
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < groups; g++) {
        e.im2col(xp + (n * C + g * Cg) * HW * 4, rp, nrows, sw, cp, K * L);
        e.transpose(cp, K, L, tp);
        e.gemmRowB(Og, K, L, gp + (n * O + g * Og) * L * 4, L, 1, tp, K, pa, K, 0, 0, ip, vp, pp);
        e.addToF64(ap + g * Og * K * 8, pa, Og * K);
      }
    }
    e.f64ToF32(ap, O * K, fr.ptr(gw));
    fr.finish(gw);
  }
  if (gb >= 0) fr.finish(gb);
  return true;
}
