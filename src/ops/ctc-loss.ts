// The connectionist temporal classification loss, as PyTorch 1.13's CPU kernel (aten/src/ATen/native/LossCTC.cpp):
// the α recursion over the target with blanks between and around its labels, in log space, every step in float32
// (exp and log correctly rounded), the negative log-likelihood per sample; the gradient from the β recursion, Σ α·β
// per label log-added in the kernel's order, then e^lp − e^(Σ + nll − lp), times the output gradient (CtcLossBackward0).
// Reductions as PyTorch's: 'mean' divides each loss by its target length (at least 1) and averages, 'sum' adds.
import { record } from '../autograd/record.js';
import { KindlingError } from '../errors.js';
import { checkOptions, describeValue } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor } from './util.js';
import type { Reduction } from './loss.js';

const f = Math.fround;
const NEG_INF = -Infinity;

export interface CtcLossOptions {
  blank?: number;
  reduction?: Reduction;
  /** Infinite losses (no alignment fits) and their gradients become 0. */
  zeroInfinity?: boolean;
}

type Lengths = Tensor | readonly number[] | number;

function lengthsOf(what: string, v: Lengths, n: number): number[] {
  const list = v instanceof Tensor ? Array.from(v.values()) : typeof v === 'number' ? [v] : Array.from(v);
  if (list.length !== n || list.some((x) => !Number.isInteger(x) || x < 0)) {
    throw new KindlingError(`ctc_loss: ${what} must hold ${n} whole numbers ≥ 0 (one per sample), got ${describeValue(v)}`);
  }
  return list;
}

/** log(e^a + e^b + e^c) as the kernel computes it in float32 (the largest taken out; all −∞ gives −∞). */
function logAdd3(a: number, b: number, c: number): number {
  let m = Math.max(a, b, c);
  if (m === NEG_INF) m = 0;
  return f(f(Math.log(f(f(f(Math.exp(f(a - m))) + f(Math.exp(f(b - m)))) + f(Math.exp(f(c - m)))))) + m);
}

/** The per-sample CTC losses of log-probabilities [T, N, C] (or [T, C]), with the targets padded [N, S] or concatenated. */
export function ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: Lengths, targetLengths: Lengths, options: CtcLossOptions = {}): Tensor {
  checkTensor(logProbs, 'ctc_loss', 'log_probs');
  checkTensor(targets, 'ctc_loss', 'targets');
  const { blank = 0, reduction = 'mean', zeroInfinity = false } = checkOptions('ctc_loss', options, ['blank', 'reduction', 'zeroInfinity']);
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') throw new KindlingError(`${String(reduction)} is not a valid value for reduction`);
  const unbatched = logProbs.ndim === 2;
  const lp3 = unbatched ? logProbs.unsqueeze(1) : logProbs;
  if (lp3.ndim !== 3) throw new KindlingError(`ctc_loss: log_probs must be [T, N, C] or [T, C], got shape [${logProbs.shape.join(', ')}]`);
  const [T, N, C] = lp3.shape as [number, number, number];
  if (!(Number.isInteger(blank) && blank >= 0 && blank < C)) throw new KindlingError('blank must be in label range');
  const il = lengthsOf('input_lengths', inputLengths, N);
  const tl = lengthsOf('target_lengths', targetLengths, N);
  for (const v of il) if (v > T) throw new KindlingError(`Expected input_lengths to have value at most ${T}, but got value ${v} (while checking arguments for ctc_loss_cpu)`);
  if (targets.ndim !== 1 && targets.ndim !== 2) {
    throw new KindlingError(`ctc_loss: targets must be padded [N, S] or concatenated [Σ target_lengths]: Expected 1 to 2 dimensions, but got ${targets.ndim}-dimensional tensor for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
  }
  const tv = targets.contiguous().values();
  // Padded targets [N, S] (an unbatched call's [1, S]), or all the targets concatenated [Σ lengths], as PyTorch reads them.
  const offsets: number[] = [];
  if (targets.ndim === 2) {
    const [rows, S] = targets.shape as [number, number];
    if (rows !== N) throw new KindlingError(`ctc_loss: padded targets need one row per sample: Expected tensor to have size ${N} at dimension 0, but got size ${rows} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
    const maxTl = Math.max(0, ...tl);
    if (S < maxTl) throw new KindlingError(`Expected tensor to have size at least ${maxTl} at dimension 1, but got size ${S} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
    for (let b = 0; b < N; b++) offsets.push(b * S);
  } else {
    let at = 0;
    for (let b = 0; b < N; b++) {
      offsets.push(at);
      at += tl[b]!;
    }
    if (tv.length !== at) throw new KindlingError(`ctc_loss: concatenated targets must hold exactly the ${at} labels target_lengths add up to: Expected tensor to have size ${at} at dimension 0, but got size ${tv.length} for argument #2 'targets' (while checking arguments for ctc_loss_cpu)`);
  }
  // PyTorch reads a label outside [0, C) from another class's or sample's memory; Kindling refuses it.
  for (let b = 0; b < N; b++) {
    for (let j = 0; j < tl[b]!; j++) {
      const label = tv[offsets[b]! + j]!;
      if (!(Number.isInteger(label) && label >= 0 && label < C)) {
        const where = targets.ndim === 2 ? `targets[${b}][${j}]` : `targets[${offsets[b]! + j}] (sample ${b}'s label ${j})`;
        throw new KindlingError(`ctc_loss: ${where} is ${describeValue(label)}, not a class index in [0, ${C}) (log_probs has ${C} classes)`);
      }
    }
  }
  const lp = lp3.contiguous().values();
  const at = (t: number, b: number, c: number): number => lp[(t * N + b) * C + c]!;
  const nll = new Float32Array(N);
  const alphas: Float32Array[] = [];
  for (let b = 0; b < N; b++) {
    const L = tl[b]!;
    const S2 = 2 * L + 1;
    const prime = (s: number): number => (s % 2 === 0 ? blank : tv[offsets[b]! + (s - 1) / 2]!);
    const alpha = new Float32Array(T * S2).fill(NEG_INF);
    const Tin = il[b]!;
    if (Tin > 0) {
      alpha[0] = at(0, b, blank);
      if (L > 0) alpha[1] = at(0, b, prime(1));
      for (let t = 1; t < Tin; t++) {
        for (let s = 0; s < S2; s++) {
          const la1 = alpha[(t - 1) * S2 + s]!;
          const la2 = s > 0 ? alpha[(t - 1) * S2 + s - 1]! : NEG_INF;
          const la3 = s > 1 && prime(s - 2) !== prime(s) ? alpha[(t - 1) * S2 + s - 2]! : NEG_INF;
          alpha[t * S2 + s] = f(logAdd3(la1, la2, la3) + at(t, b, prime(s)));
        }
      }
    }
    alphas.push(alpha);
    if (Tin === 0) nll[b] = L === 0 ? -0 : Infinity;
    else if (L === 0) nll[b] = -alpha[(Tin - 1) * S2]!;
    else {
      const l1 = alpha[(Tin - 1) * S2 + 2 * L]!;
      const l2 = alpha[(Tin - 1) * S2 + 2 * L - 1]!;
      let m = Math.max(l1, l2);
      if (m === NEG_INF) m = 0;
      nll[b] = -f(f(Math.log(f(f(Math.exp(f(l1 - m))) + f(Math.exp(f(l2 - m)))))) + m);
    }
  }
  const raw = Float32Array.from(nll);
  if (zeroInfinity) for (let b = 0; b < N; b++) if (nll[b] === Infinity) nll[b] = 0;
  const losses = record(new Tensor(nll, unbatched ? [] : [N]), 'ctcLoss', [logProbs], (g) => {
    const gv = g.values();
    const grad = new Float32Array(T * N * C);
    for (let b = 0; b < N; b++) {
      if (zeroInfinity && raw[b] === Infinity) continue;
      const L = tl[b]!;
      const S2 = 2 * L + 1;
      const Tin = il[b]!;
      const prime = (s: number): number => (s % 2 === 0 ? blank : tv[offsets[b]! + (s - 1) / 2]!);
      const alpha = alphas[b]!;
      const beta = new Float32Array(T * S2).fill(NEG_INF);
      const lcab = new Float32Array(T * C).fill(NEG_INF);
      if (Tin > 0) {
        const last = Tin - 1;
        beta[last * S2 + 2 * L] = at(last, b, blank);
        lcab[last * C + blank] = f(alpha[last * S2 + 2 * L]! + beta[last * S2 + 2 * L]!);
        if (L > 0) {
          const c = prime(2 * L - 1);
          beta[last * S2 + 2 * L - 1] = at(last, b, c);
          lcab[last * C + c] = f(alpha[last * S2 + 2 * L - 1]! + beta[last * S2 + 2 * L - 1]!);
        }
        for (let t = Tin - 2; t >= 0; t--) {
          for (let s = 2 * L; s >= 0; s--) {
            const lb1 = beta[(t + 1) * S2 + s]!;
            const lb2 = s < 2 * L ? beta[(t + 1) * S2 + s + 1]! : NEG_INF;
            const lb3 = s < 2 * L - 1 && prime(s + 2) !== prime(s) ? beta[(t + 1) * S2 + s + 2]! : NEG_INF;
            const c = prime(s);
            beta[t * S2 + s] = f(logAdd3(lb1, lb2, lb3) + at(t, b, c));
            const lab = f(alpha[t * S2 + s]! + beta[t * S2 + s]!);
            const cur = lcab[t * C + c]!;
            if (cur === NEG_INF) lcab[t * C + c] = lab;
            else {
              const m = Math.max(cur, lab);
              lcab[t * C + c] = f(f(Math.log(f(f(Math.exp(f(cur - m))) + f(Math.exp(f(lab - m)))))) + m);
            }
          }
        }
      }
      const gr = gv[unbatched ? 0 : b]!;
      for (let t = 0; t < Tin; t++) {
        for (let c = 0; c < C; c++) {
          const l = at(t, b, c);
          grad[(t * N + b) * C + c] = f(f(f(Math.exp(l)) - f(Math.exp(f(f(lcab[t * C + c]! + raw[b]!) - l)))) * gr);
        }
      }
    }
    return [new Tensor(grad, logProbs.shape)];
  }, [logProbs], 'CtcLossBackward0');
  if (reduction === 'none') return losses;
  if (reduction === 'sum') return losses.sum();
  const lengths = new Tensor(Float32Array.from(tl, (v) => Math.max(v, 1)), unbatched ? [] : [N]);
  return losses.div(lengths).mean();
}
