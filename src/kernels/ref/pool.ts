/**
 * Max pooling's loops in plain TypeScript, which the WebAssembly kernels (assembly/pool.ts) reproduce: each
 * window's maximum chosen as PyTorch's CPU kernel chooses it (the first largest value; a NaN wins, the last one
 * seen), and the backward pass's scatter of each output's gradient onto that element.
 */
import type { AvgPoolPlan, MaxPoolPlan } from '../pool-plan.js';

/**
 * Y [planes, Ho, Wo] = each window's maximum of X [planes, H, W], and `arg` its flat position in X (−1 for a window
 * with no tap inside the input: its maximum is −∞).
 */
export function maxPoolForward(p: MaxPoolPlan, X: Float32Array, Y: Float32Array, arg: Int32Array): void {
  const { planes, H, W, Ho, Wo, kh, kw, sh, sw, ph, pw, dh, dw } = p;
  for (let c = 0, o = 0; c < planes; c++) {
    const plane = c * H * W;
    for (let y = 0; y < Ho; y++) {
      // PyTorch's bounds: the first tap inside the input, and taps up to the input's end.
      let h0 = y * sh - ph;
      const h1 = Math.min(h0 + (kh - 1) * dh + 1, H);
      while (h0 < 0) h0 += dh;
      for (let x = 0; x < Wo; x++, o++) {
        let w0 = x * sw - pw;
        const w1 = Math.min(w0 + (kw - 1) * dw + 1, W);
        while (w0 < 0) w0 += dw;
        let best = -Infinity;
        let at = plane + h0 * W + w0;
        for (let i = h0; i < h1; i += dh) {
          for (let j = w0; j < w1; j += dw) {
            const v = X[plane + i * W + j]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              at = plane + i * W + j;
            }
          }
        }
        Y[o] = best;
        // A window with no tap inside the input (dilation and padding allow it) depends on no input: −∞, position −1.
        arg[o] = h0 < h1 && w0 < w1 ? at : -1;
      }
    }
  }
}

/** GX[arg[o]] += G[o] for every o with arg[o] ≥ 0, in increasing o (float32 additions). */
export function scatterAdd(G: Float32Array, arg: Int32Array, GX: Float32Array): void {
  for (let o = 0; o < G.length; o++) {
    const a = arg[o]!;
    if (a >= 0) GX[a] = Math.fround(GX[a]! + G[o]!);
  }
}

/** Y [planes, n] = float32(each window's float64 sum, in row-major order, / its divisor). */
export function avgPoolForward(p: AvgPoolPlan, X: Float32Array, Y: Float32Array): void {
  const { planes, H, W, n, top, bottom, left, right, divisor } = p;
  for (let c = 0; c < planes; c++) {
    const plane = c * H * W;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = top[i]!; a < bottom[i]!; a++) for (let b = left[i]!; b < right[i]!; b++) s += X[plane + a * W + b]!;
      Y[c * n + i] = s / divisor[i]!;
    }
  }
}

/** GX += each output's float32(G / divisor) on every element of its window, in order (float32 additions). */
export function avgPoolBackward(p: AvgPoolPlan, G: Float32Array, GX: Float32Array): void {
  const { planes, H, W, n, top, bottom, left, right, divisor } = p;
  for (let c = 0; c < planes; c++) {
    const plane = c * H * W;
    for (let i = 0; i < n; i++) {
      const share = Math.fround(G[c * n + i]! / divisor[i]!);
      for (let a = top[i]!; a < bottom[i]!; a++) {
        for (let b = left[i]!; b < right[i]!; b++) GX[plane + a * W + b] = Math.fround(GX[plane + a * W + b]! + share);
      }
    }
  }
}
