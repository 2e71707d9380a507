import { KindlingError } from '../errors.js';
import { enableGrad } from '../autograd/grad-mode.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { torchSum } from '../kernels/ref/torch-sum.js';
import { checkOptions, describeValue, leadingOption } from '../options.js';
import { Tensor } from '../tensor/tensor.js';
import { checkLr, gradValues, lrValue, Optimizer, paramValues, storeParam, type LrTensorOr, type OptimizerStateDict, type ParamGroup, type ParamGroupInput } from './optimizer.js';
import { pyFloat, pyIntOr, type TorchGroup } from './optimizer-repr.js';

export interface LBFGSOptions {
  lr?: number;
  /** Iterations per `step()` (PyTorch's max_iter). */
  maxIter?: number;
  /** Closure calls per `step()` (PyTorch's max_eval; default maxIter·5/4, rounded down). */
  maxEval?: number;
  /** Stop when every gradient value is within this of 0 (tolerance_grad). */
  toleranceGrad?: number;
  /** Stop when the step or the loss changes by less than this (tolerance_change). */
  toleranceChange?: number;
  /** How many past updates the curvature estimate keeps (history_size). */
  historySize?: number;
  /** null (a fixed step of lr) or 'strong_wolfe' (a line search), PyTorch's line_search_fn. */
  lineSearchFn?: 'strong_wolfe' | null;
}

type Resolved = Required<LBFGSOptions>;

const LBFGS_OPTIONS = ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'] as const;
const f = Math.fround;

function positiveInt(where: string, key: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new RangeError(`${where}: ${key} must be a whole number ≥ 1, got ${describeValue(v)}`);
}

function lbfgsOptions(options: LBFGSOptions | undefined, where = 'LBFGS'): Resolved {
  checkOptions(where, options, LBFGS_OPTIONS);
  const maxIter = options?.maxIter ?? 20;
  const o = { lr: 1, maxIter, maxEval: Math.floor((maxIter * 5) / 4), toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null, ...options };
  checkLr(o.lr, where);
  for (const k of ['maxIter', 'maxEval', 'historySize'] as const) positiveInt(where, k, o[k]);
  for (const k of ['toleranceGrad', 'toleranceChange'] as const) {
    if (typeof o[k] !== 'number' || !(o[k] >= 0)) throw new RangeError(`${where}: ${k} must be a number ≥ 0, got ${describeValue(o[k])}`);
  }
  if (o.lineSearchFn !== null && o.lineSearchFn !== 'strong_wolfe') throw new RangeError(`${where}: only 'strong_wolfe' is supported (lineSearchFn: null or 'strong_wolfe'), got ${describeValue(o.lineSearchFn)}`);
  return o;
}

/**
 * torch.dot of float32 vectors as the OpenBLAS PyTorch 1.13 calls here computes it below 32 elements: each product
 * rounded to float32, the sum accumulated in float64 and rounded once (its SIMD kernel, from 32 elements on, sums
 * in another order).
 */
function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += f(a[i]! * b[i]!);
  return f(s);
}

/** flat_grad.abs().max() <= tolerance_grad: a float32 tensor against a Python float, compared in float32. */
function gradWithin(g: Float32Array, tol: number): boolean {
  return absMax(g) <= f(tol);
}

function absMax(a: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]!);
    if (v > m || Number.isNaN(v)) m = v;
  }
  return m;
}

/**
 * A number as PyTorch's line search holds it: a Python float (float64) or a 0-d float32 tensor (`f32`). Which one it
 * is decides how it rounds, and PyTorch's `_strong_wolfe` mixes both (the loss is a float, the slopes `gtd` are
 * tensors, the step `t` is either), so Kindling follows each value's kind as Python's operators do.
 */
interface Num {
  v: number;
  f32: boolean;
}

const num = (v: number): Num => ({ v, f32: false });
const t32 = (v: number): Num => ({ v: f(v), f32: true });

/** a ∘ b: in float64 for two Python floats; else in float32, a Python float first rounded to it (type promotion). */
function arith(a: Num, b: Num, op: (x: number, y: number) => number): Num {
  return a.f32 || b.f32 ? t32(op(f(a.v), f(b.v))) : num(op(a.v, b.v));
}

const add = (a: Num, b: Num): Num => arith(a, b, (x, y) => x + y);
const sub = (a: Num, b: Num): Num => arith(a, b, (x, y) => x - y);
const mul = (a: Num, b: Num): Num => arith(a, b, (x, y) => x * y);
/** a / b; a Python float over a tensor is `b.reciprocal() * a` (Tensor.__rtruediv__), rounded twice. */
const div = (a: Num, b: Num): Num => (!a.f32 && b.f32 ? t32(f(1 / b.v) * f(a.v)) : arith(a, b, (x, y) => x / y));
const abs = (a: Num): Num => ({ v: Math.abs(a.v), f32: a.f32 });
/** Comparisons: a tensor against a Python float compares in float32. */
const cmp = (a: Num, b: Num): [number, number] => (a.f32 || b.f32 ? [f(a.v), f(b.v)] : [a.v, b.v]);
const lt = (a: Num, b: Num): boolean => { const [x, y] = cmp(a, b); return x < y; };
const le = (a: Num, b: Num): boolean => { const [x, y] = cmp(a, b); return x <= y; };
const gt = (a: Num, b: Num): boolean => { const [x, y] = cmp(a, b); return x > y; };
const ge = (a: Num, b: Num): boolean => { const [x, y] = cmp(a, b); return x >= y; };
/** Python's max(a, b) and min(a, b): b only if it compares strictly beyond a. */
const max = (a: Num, b: Num): Num => (gt(b, a) ? b : a);
const min = (a: Num, b: Num): Num => (lt(b, a) ? b : a);

/** PyTorch's `_cubic_interpolate`: the minimiser of the cubic through two points and slopes, within bounds. */
function cubicInterpolate(x1: Num, f1: number, g1: Num, x2: Num, f2: number, g2: Num, bounds?: [Num, Num]): Num {
  const [lo, hi] = bounds ?? (le(x1, x2) ? [x1, x2] : [x2, x1]);
  const d1 = sub(add(g1, g2), div(num(3 * (f1 - f2)), sub(x1, x2)));
  const d2Square = sub(mul(d1, d1), mul(g1, g2));
  if (ge(d2Square, num(0))) {
    const d2 = d2Square.f32 ? t32(Math.sqrt(d2Square.v)) : num(Math.sqrt(d2Square.v));
    const two = mul(num(2), d2);
    const minPos = le(x1, x2)
      ? sub(x2, mul(sub(x2, x1), div(sub(add(g2, d2), d1), add(sub(g2, g1), two))))
      : sub(x1, mul(sub(x1, x2), div(sub(add(g1, d2), d1), add(sub(g1, g2), two))));
    return min(max(minPos, lo), hi);
  }
  return div(add(lo, hi), num(2));
}

interface History {
  d: Float32Array | null;
  t: number;
  oldDirs: Float32Array[];
  oldStps: Float32Array[];
  ro: number[];
  hDiag: number;
  prevFlatGrad: Float32Array | null;
  prevLoss: number;
}

/**
 * L-BFGS as PyTorch 1.13's (lr 1, `maxIter` 20, `maxEval` maxIter·5/4, `toleranceGrad` 1e-7, `toleranceChange` 1e-9,
 * `historySize` 100, `lineSearchFn` null or 'strong_wolfe'): each `step(closure)` runs up to maxIter quasi-Newton
 * iterations, calling the closure (which clears the gradients, computes the loss, calls backward() and returns
 * the loss) to re-evaluate; it returns the first loss. One parameter group only, as in PyTorch. Its history (the
 * direction, the last updates, the previous gradient) carries over from step to step, as PyTorch's state does.
 *
 * @example
 * const opt = new optim.LBFGS(model.parameters(), { lineSearchFn: 'strong_wolfe' });
 * for (let i = 0; i < 10; i++) opt.step(() => { opt.zeroGrad(); const l = lossFn.forward(model.forward(x), y); l.backward(); return l; });
 */
export class LBFGS extends Optimizer<Resolved> {
  #funcEvals = 0;
  #nIter = 0;
  #h: History = { d: null, t: 0, oldDirs: [], oldStps: [], ro: [], hDiag: 1, prevFlatGrad: null, prevLoss: 0 };

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<LBFGSOptions>>, options?: LrTensorOr<LBFGSOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<LBFGSOptions>>, lr: number | Tensor, options?: Omit<LBFGSOptions, 'lr'>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<LBFGSOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<LBFGSOptions>, options?: Omit<LBFGSOptions, 'lr'>) {
    // As every optimizer's: options follow the rate only when it comes by position, and the rate comes once
    // (PyTorch's LBFGS(params, 1, 5) binds 5 to max_iter; a number here is refused rather than dropped).
    const given = leadingOption<LBFGSOptions>('LBFGS', 'lr', lrValue(lrOrOptions, 'LBFGS'), options, 'new LBFGS(params, 1, { maxIter: 5 })');
    checkOptions('LBFGS', given, LBFGS_OPTIONS, { params: 'LBFGS doesn\'t support per-parameter options (parameter groups)' });
    super(params, 'LBFGS', given, (raw, where) => lbfgsOptions(raw as LBFGSOptions, where));
    if (this.paramGroups.length !== 1) throw new RangeError('LBFGS doesn\'t support per-parameter options (parameter groups)');
  }

  override addParamGroup(_group?: unknown): never {
    throw new RangeError('LBFGS doesn\'t support per-parameter options (parameter groups)');
  }

  /** Unused: LBFGS's step needs its closure. */
  protected update(): void {
    throw new KindlingError('LBFGS.step needs a closure that re-evaluates the loss');
  }

  override step(): never;
  override step<L>(closure: () => L): L;
  override step<L>(closure?: () => L): L {
    if (typeof closure !== 'function') {
      throw new TypeError(`LBFGS.step: missing the closure that clears the gradients, computes the loss, calls backward() and returns the loss (PyTorch: step() missing 1 required positional argument: 'closure'); got ${describeValue(closure)}`);
    }
    this.countStep();
    const o = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = o;
    const evaluate = (): { out: L; loss: number } => {
      const out = enableGrad(closure);
      return { out, loss: lossValue(out) };
    };
    const first = evaluate();
    const origLoss = first.out;
    let loss = first.loss;
    let currentEvals = 1;
    this.#funcEvals += 1;
    let flatGrad = this.#gatherFlatGrad();
    let optCond = gradWithin(flatGrad, toleranceGrad);
    if (optCond) return origLoss;
    this.refuseSharedElements(false); // every parameter is updated from here on, as PyTorch's _add_grad does
    const h = this.#h;
    let { d, t } = h;
    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      this.#nIter++;
      if (this.#nIter === 1) {
        d = flatGrad.map((v) => -v);
        h.oldDirs = [];
        h.oldStps = [];
        h.ro = [];
        h.hDiag = 1;
      } else {
        const y = flatGrad.map((v, i) => f(v - h.prevFlatGrad![i]!));
        const s = d!.map((v) => f(v * f(t)));
        const ys = dot(y, s);
        if (ys > f(1e-10)) { // a float32 tensor against a Python float: compared in float32
          if (h.oldDirs.length === historySize) {
            h.oldDirs.shift();
            h.oldStps.shift();
            h.ro.shift();
          }
          h.oldDirs.push(y);
          h.oldStps.push(s);
          h.ro.push(f(1 / ys));
          h.hDiag = f(ys / dot(y, y));
        }
        // The two-loop recursion: q ← −g, through the history back, then forward.
        const n = h.oldDirs.length;
        const al: number[] = new Array<number>(n);
        const q = flatGrad.map((v) => -v);
        for (let i = n - 1; i >= 0; i--) {
          al[i] = f(dot(h.oldStps[i]!, q) * h.ro[i]!);
          const yi = h.oldDirs[i]!, a = -al[i]!;
          for (let k = 0; k < q.length; k++) q[k] = fmaf(yi[k]!, a, q[k]!); // q.add_(old_dirs[i], alpha=−al[i])
        }
        const hd = f(h.hDiag);
        const r = q.map((v) => f(v * hd));
        for (let i = 0; i < n; i++) {
          const be = f(dot(h.oldDirs[i]!, r) * h.ro[i]!);
          const si = h.oldStps[i]!, a = f(al[i]! - be);
          for (let k = 0; k < r.length; k++) r[k] = fmaf(si[k]!, a, r[k]!); // r.add_(old_stps[i], alpha=al[i] − be_i)
        }
        d = r;
      }
      h.prevFlatGrad = flatGrad.slice();
      h.prevLoss = loss;
      // t: min(1., 1. / flat_grad.abs().sum()) * lr (a float32 tensor unless min picks 1.), later lr (a Python float).
      let t0 = num(lr);
      if (this.#nIter === 1) {
        const inv = t32(1 / torchSum(flatGrad.map(Math.abs)));
        t0 = mul(lt(inv, num(1)) ? inv : num(1), num(lr));
      }
      t = t0.v;
      const gtd = t32(dot(flatGrad, d!));
      if (gt(gtd, num(-toleranceChange))) break;
      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        const xInit = this.paramGroups[0]!.params.map((p) => paramValues(p).slice());
        const dir = d!;
        const obj = (x: Float32Array[], step: number): [number, Float32Array] => {
          this.#addGrad(step, dir);
          const value = evaluate().loss;
          const g = this.#gatherFlatGrad();
          for (const [i, p] of this.paramGroups[0]!.params.entries()) {
            const values = paramValues(p);
            values.set(x[i]!);
            storeParam(p, values);
          }
          return [value, g];
        };
        const [fFound, gFound, tFound, evals] = strongWolfe(obj, xInit, t0, dir, loss, flatGrad, gtd);
        [loss, flatGrad, t, lsFuncEvals] = [fFound, gFound, tFound.v, evals];
        this.#addGrad(t, dir);
        optCond = gradWithin(flatGrad, toleranceGrad);
      } else {
        this.#addGrad(t, d!);
        if (nIter !== maxIter) {
          loss = evaluate().loss;
          flatGrad = this.#gatherFlatGrad();
          optCond = gradWithin(flatGrad, toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      this.#funcEvals += lsFuncEvals;
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      const tf = f(t);
      if (absMax(d!.map((v) => f(v * tf))) <= f(toleranceChange)) break; // a float32 max against a Python float
      if (Math.abs(loss - h.prevLoss) < toleranceChange) break;
    }
    h.d = d;
    h.t = t;
    return origLoss;
  }

  /** Every gradient, in the parameters' order, flat (zeros for a parameter without one). */
  #gatherFlatGrad(): Float32Array {
    const ps = this.paramGroups[0]!.params;
    const out = new Float32Array(ps.reduce((n, p) => n + p.numel(), 0));
    let at = 0;
    for (const p of ps) {
      if (p.grad !== null) out.set(gradValues(p, p.grad), at);
      at += p.numel();
    }
    return out;
  }

  /** p ← p + step·update, each parameter its slice (PyTorch's `_add_grad`: add_ with alpha, one rounding). */
  #addGrad(step: number, update: Float32Array): void {
    const a = f(step);
    let at = 0;
    for (const p of this.paramGroups[0]!.params) {
      p.versionCounter.value++;
      const pd = paramValues(p);
      for (let i = 0; i < pd.length; i++) pd[i] = fmaf(update[at + i]!, a, pd[i]!);
      storeParam(p, pd);
      at += pd.length;
    }
  }

  /** The iteration counters PyTorch's state holds, `func_evals` and `n_iter`, under the first parameter. */
  override stateDict(): OptimizerStateDict {
    const sd = super.stateDict();
    if (this.#funcEvals > 0) sd.state[0] = { func_evals: this.#funcEvals, n_iter: this.#nIter };
    return sd;
  }

  override loadStateDict(): never {
    throw new KindlingError('LBFGS.loadStateDict: not supported; its state (the direction, the update history, the previous gradient) is not saved by stateDict(), which holds only its counters');
  }

  protected stateKeys(): { counters: string[]; buffers: string[] } {
    return { counters: ['func_evals', 'n_iter'], buffers: [] };
  }

  protected allBuffers(): readonly string[] {
    return [];
  }

  protected hyper(g: ParamGroup<Resolved>): Record<string, unknown> {
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn } = g;
    return { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn };
  }

  /** PyTorch 1.13's LBFGS group: lr defaults to the int 1; max_iter, max_eval and history_size are ints. */
  protected torchGroup(g: ParamGroup<Resolved>): TorchGroup {
    return {
      lr: pyIntOr(g.lr), max_iter: pyIntOr(g.maxIter), max_eval: pyIntOr(g.maxEval), tolerance_grad: pyFloat(g.toleranceGrad),
      tolerance_change: pyFloat(g.toleranceChange), history_size: pyIntOr(g.historySize), line_search_fn: g.lineSearchFn ?? 'None',
    };
  }
}

/** The closure's loss as a number: a one-value tensor's value, or a number itself. */
function lossValue(v: unknown): number {
  if (v instanceof Tensor) {
    if (v.numel() !== 1) throw new TypeError(`LBFGS.step: the closure must return the loss, one value; got a tensor of shape [${v.shape.join(', ')}]`);
    return v.item();
  }
  if (typeof v === 'number') return v;
  throw new TypeError(`LBFGS.step: the closure must return the loss (a one-value tensor or a number), got ${describeValue(v)}`);
}

/**
 * PyTorch's `_strong_wolfe` line search along `d` from step `t`: returns the loss and gradient at the step found,
 * the step, and how many times it evaluated. The losses are Python floats; `gtd`, the slopes, `d_norm` and every
 * step computed from them are float32 tensors, each operation rounded as PyTorch rounds it (see `Num`).
 */
function strongWolfe(
  obj: (x: Float32Array[], t: number) => [number, Float32Array], x: Float32Array[], t0: Num, d: Float32Array, f0: number, g0: Float32Array, gtd: Num,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25,
): [number, Float32Array, Num, number] {
  let t = t0;
  const dNorm = t32(absMax(d));
  const g = g0.slice();
  let [fNew, gNew] = obj(x, t.v);
  let lsFuncEvals = 1;
  let gtdNew = t32(dot(gNew, d));
  let tPrev = num(0), fPrev = f0, gPrev = g, gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Num[] = [], bracketF: number[] = [], bracketG: Float32Array[] = [], bracketGtd: Num[] = [];
  /** f_new > f + c1·t·gtd: the sufficient decrease fails at step t. */
  const noDecrease = (step: Num): boolean => gt(num(fNew), add(num(f0), mul(mul(num(c1), step), gtd)));
  /** abs(gtd_new) <= −c2·gtd: the curvature condition holds. */
  const curved = (): boolean => le(abs(gtdNew), mul(num(-c2), gtd));
  while (lsIter < maxLs) {
    if (noDecrease(t) || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.slice()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (curved()) {
      bracket = [t]; bracketF = [fNew]; bracketG = [gNew];
      done = true;
      break;
    }
    if (ge(gtdNew, num(0))) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.slice()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    const minStep = add(t, mul(num(0.01), sub(t, tPrev)));
    const maxStep = mul(t, num(10));
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp; fPrev = fNew; gPrev = gNew.slice(); gtdPrev = gtdNew;
    [fNew, gNew] = obj(x, t.v);
    lsFuncEvals++;
    gtdNew = t32(dot(gNew, d));
    lsIter++;
  }
  if (lsIter === maxLs) {
    bracket = [num(0), t]; bracketF = [f0, fNew]; bracketG = [g, gNew];
  }
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (lt(mul(abs(sub(bracket[1]!, bracket[0]!)), dNorm), num(toleranceChange))) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
    const hi = max(bracket[0]!, bracket[1]!), lo = min(bracket[0]!, bracket[1]!);
    const eps = mul(num(0.1), sub(hi, lo));
    if (lt(min(sub(hi, t), sub(t, lo)), eps)) {
      if (insufProgress || ge(t, hi) || le(t, lo)) {
        t = lt(abs(sub(t, hi)), abs(sub(t, lo))) ? sub(hi, eps) : add(lo, eps);
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = obj(x, t.v);
    lsFuncEvals++;
    gtdNew = t32(dot(gNew, d));
    lsIter++;
    if (noDecrease(t) || fNew >= bracketF[lowPos]!) {
      bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = gNew.slice(); bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (curved()) {
        done = true;
      } else if (ge(mul(gtdNew, sub(bracket[highPos]!, bracket[lowPos]!)), num(0))) {
        bracket[highPos] = bracket[lowPos]!; bracketF[highPos] = bracketF[lowPos]!; bracketG[highPos] = bracketG[lowPos]!; bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = gNew.slice(); bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos]!, bracketG[lowPos]!, bracket[lowPos]!, lsFuncEvals];
}
