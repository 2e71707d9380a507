import type { ConvGrads, ConvPlan } from '../conv-plan.js';
import { panelBytes } from './gemm.js';
import type { Frame } from './frame.js';
import type { WasmKernels } from './load.js';

/**
 * 2-D convolution on the wasm kernels, the reference's arithmetic (../ref/conv.ts) bit for bit: the input, weight
 * and output gradient are copied into the kernels' memory once per call (per group of samples, for a batch larger
 * than callBytes), and every sample's patches, products and additions are made there. The products skip zeros of
 * their first operand, which is exact for a finite second one, so these paths take only finite operands: they
 * return false otherwise, and the caller runs the reference.
 */

/**
 * The most bytes of a batch's arrays one call copies into the kernels' memory; larger batches go in parts, which
 * give the same bits. The kernels' memory is an eighth of V8's heap limit (memory-size.ts), as little as 16 MiB, and
 * holds the parameters too: a call takes at most a quarter of it.
 */
let callBytes = 1 << 27;
const MEMORY_SHARE = 4;

/** The bytes one call takes before splitting (max pooling's too), for the kernels `w`. @internal */
export function callBytesLimit(w: WasmKernels): number {
  return Math.min(callBytes, Math.floor(w.heap.capacity / MEMORY_SHARE));
}

/** Sets the fixed part of that limit (tests split small batches with it); returns the previous one. @internal */
export function setCallBytesLimit(bytes: number): number {
  const before = callBytes;
  callBytes = bytes;
  return before;
}

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

/** Runs `part(n0, n1)` over consecutive groups of samples of at most callBytes (`perSample` bytes each); false if one is. */
function inParts(w: WasmKernels, N: number, perSample: number, part: (n0: number, n1: number) => boolean): boolean {
  const step = Math.max(1, Math.floor(callBytesLimit(w) / Math.max(1, perSample)));
  for (let n0 = 0; n0 < N; n0 += step) if (!part(n0, Math.min(N, n0 + step))) return false;
  return true;
}

/** Y [N, O, L] = X [N, C, H·W] convolved with Wt [O, K] (+ bias [O]); false when X or Wt is not all finite. */
export function convForward(w: WasmKernels, p: ConvPlan, X: Float32Array, Wt: Float32Array, bias: Float32Array | null, Y: Float32Array): boolean {
  const { C, HW, O, L } = p;
  return inParts(w, p.N, (C * HW + O * L) * 4, (n0, n1) =>
    forwardPart(w, p, n1 - n0, X.subarray(n0 * C * HW, n1 * C * HW), Wt, bias, Y.subarray(n0 * O * L, n1 * O * L)));
}

function forwardPart(w: WasmKernels, p: ConvPlan, N: number, X: Float32Array, Wt: Float32Array, bias: Float32Array | null, Y: Float32Array): boolean {
  const { C, HW, O, groups, Cg, Og, K, L, sw } = p;
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

/** The float64 sums the weight's and the bias's gradients carry from one group of samples to the next. */
interface Sums {
  readonly weight: Float64Array | null;
  readonly bias: Float64Array | null;
}

/**
 * The gradients asked for (`into`'s arrays, written in place: the input's must hold zeros), from the output
 * gradient G [N, O, L]; false when X, Wt or G is not all finite.
 */
export function convBackward(w: WasmKernels, p: ConvPlan, X: Float32Array, Wt: Float32Array, G: Float32Array, into: ConvGrads): boolean {
  const { C, HW, O, K, L } = p;
  const sums: Sums = {
    weight: into.weight === null ? null : new Float64Array(O * K),
    bias: into.bias === null ? null : new Float64Array(O),
  };
  const done = inParts(w, p.N, (2 * C * HW + O * L) * 4, (n0, n1) =>
    backwardPart(w, p, n1 - n0, X.subarray(n0 * C * HW, n1 * C * HW), Wt, G.subarray(n0 * O * L, n1 * O * L),
      into.input === null ? null : into.input.subarray(n0 * C * HW, n1 * C * HW), sums));
  if (!done) return false;
  // Rounded once, as the reference does.
  if (sums.weight !== null) into.weight!.set(sums.weight);
  if (sums.bias !== null) into.bias!.set(sums.bias);
  return true;
}

function backwardPart(
  w: WasmKernels, p: ConvPlan, N: number, X: Float32Array, Wt: Float32Array, G: Float32Array, GX: Float32Array | null, sums: Sums,
): boolean {
  const { C, HW, O, groups, Cg, Og, K, L, sw } = p;
  const fr = w.frame.begin();
  const x = fr.in(X);
  const wt = fr.in(Wt);
  const gr = fr.in(G);
  const rows = fr.in(p.rows);
  const gx = GX === null ? -1 : fr.out(GX, false);
  const cols = fr.space(K * L * 4);
  // The patches (or their gradient) transposed, [L, K]: the products read and write rows of K floats.
  const colsT = fr.space(K * L * 4);
  const part = sums.weight === null ? -1 : fr.space(Og * K * 4);
  const acc = sums.weight === null ? -1 : fr.space(O * K * 8);
  const bsum = sums.bias === null ? -1 : fr.space(O * 8);
  // The input's gradient through colsᵀ [L, K] = G_ngᵀ [L, Og] · W_g [Og, K] (G's zeros skipped: ReLU's and
  // pooling's), transposed for col2im; the weight's as G_ng [Og, L] · colsᵀ [L, K].
  const inputProd = gx < 0 ? null : planProduct(fr, L, K, Og);
  const weightProd = acc < 0 ? null : planProduct(fr, Og, K, L);
  fr.open();
  const e = w.exports;
  const f64 = w.heap.f64;
  const [xp, wp, gp, rp, cp, tp] = [fr.ptr(x), fr.ptr(wt), fr.ptr(gr), fr.ptr(rows), fr.ptr(cols), fr.ptr(colsT)];
  if (!finite(w, xp, X.length) || !finite(w, wp, Wt.length) || !finite(w, gp, G.length)) return false;
  const nrows = p.rows.length >> 2;
  if (bsum >= 0) {
    const bp = fr.ptr(bsum);
    f64.set(sums.bias!, bp >>> 3);
    e.channelSums(gp, N, O, L, bp);
    sums.bias!.set(f64.subarray(bp >>> 3, (bp >>> 3) + O));
  }
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
    f64.set(sums.weight!, ap >>> 3);
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < groups; g++) {
        e.im2col(xp + (n * C + g * Cg) * HW * 4, rp, nrows, sw, cp, K * L);
        e.transpose(cp, K, L, tp);
        e.gemmRowB(Og, K, L, gp + (n * O + g * Og) * L * 4, L, 1, tp, K, pa, K, 0, 0, ip, vp, pp);
        e.addToF64(ap + g * Og * K * 8, pa, Og * K);
      }
    }
    sums.weight!.set(f64.subarray(ap >>> 3, (ap >>> 3) + O * K));
  }
  return true;
}
