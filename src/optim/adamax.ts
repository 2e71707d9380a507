import type { Tensor } from '../tensor/tensor.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { pyFlag, type TorchFlags } from './torch-flags.js';
import { AdamFamily, type AdamFamilySpec } from './adam-family.js';
import { bufferLike, type LrTensorOr, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';
import { pyBool, pyFloat, pyIntOr, pyTuple, type TorchGroup } from './optimizer-repr.js';

export interface AdamaxOptions extends Pick<TorchFlags, 'foreach'> {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

const f = Math.fround;

const ADAMAX: AdamFamilySpec<AdamaxOptions> = {
  name: 'Adamax',
  keys: ['lr', 'betas', 'eps', 'weightDecay', 'maximize', 'foreach'],
  defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false, foreach: null },
  torchFlags: ['foreach'],
  flags: ['maximize'],
  example: 'new Adamax(params, 0.002, { weightDecay: 0.01 })',
  buffers: ['exp_avg', 'exp_inf'],
};

/**
 * Adamax as PyTorch 1.13's single-tensor implementation (lr 2e-3, betas (0.9, 0.999), eps 1e-8, `weightDecay`,
 * `maximize`): m ← β1·m + (1−β1)·g, u ← max(β2·u, |g| + eps), p ← p − lr/(1−β1ᵗ)·m/u. State keys as PyTorch's:
 * step, exp_avg, exp_inf. PyTorch's float32 operations in its order and
 * roundings (its AVX2 kernels' fused adds included), so the same bits.
 *
 * @example
 * const opt = new optim.Adamax(model.parameters(), { lr: 0.01 });
 */
export class Adamax extends AdamFamily<AdamaxOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamaxOptions>>, options?: LrTensorOr<AdamaxOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamaxOptions>>, lr: number | Tensor, options?: Omit<AdamaxOptions, 'lr'>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamaxOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<AdamaxOptions>, options?: Omit<AdamaxOptions, 'lr'>) {
    super(ADAMAX, params, lrOrOptions, options);
  }

  protected stepGroup(o: ParamGroup<Required<AdamaxOptions>>): void {
    const [beta1, beta2] = o.betas;
    const fresh = (p: Tensor): ParamState => ({ step: 0, exp_avg: bufferLike(p), exp_inf: bufferLike(p) });
    this.eachParam(o, fresh, (s, step, pd, gd) => {
      const clr = o.lr / (1 - beta1 ** step);
      const a = f(-clr);
      const m = (s['exp_avg'] as Tensor).settled();
      const u = (s['exp_inf'] as Tensor).settled();
      const wd = f(o.weightDecay), b1 = f(beta1), b2 = f(beta2), c1 = f(1 - beta1), fe = f(o.eps);
      for (let i = 0; i < pd.length; i++) {
        let gi = o.maximize ? -gd[i]! : gd[i]!;
        // grad.add(param, alpha=wd), exp_avg.mul_(β1).add_(grad, alpha=1−β1): each one rounding, as PyTorch's AVX2
        // kernels fuse them
        if (o.weightDecay !== 0) gi = fmaf(pd[i]!, wd, gi);
        const mi = fmaf(gi, c1, f(m[i]! * b1));
        m[i] = mi;
        const x = f(u[i]! * b2), y = f(Math.abs(gi) + fe);
        const ui = Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y);
        u[i] = ui;
        pd[i] = f(pd[i]! + f(f(a * mi) / ui));
      }
    });
  }

  /** PyTorch 1.13's Adamax group (weight_decay's default is the int 0). */
  protected torchGroup(g: ParamGroup<Required<AdamaxOptions>>): TorchGroup {
    return { lr: pyFloat(g.lr), betas: pyTuple(g.betas.map(pyFloat)), eps: pyFloat(g.eps), weight_decay: pyIntOr(g.weightDecay), foreach: pyFlag(g.foreach), maximize: pyBool(g.maximize) };
  }
}
