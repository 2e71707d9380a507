import type { Tensor } from '../tensor/tensor.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { pyFlag, type TorchFlags } from './torch-flags.js';
import { AdamFamily, type AdamFamilySpec } from './adam-family.js';
import { bufferLike, type LrTensorOr, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';
import { pyFloat, pyIntOr, pyTuple, type TorchGroup } from './optimizer-repr.js';

export interface NAdamOptions extends Pick<TorchFlags, 'foreach'> {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
}

const f = Math.fround;

const NADAM: AdamFamilySpec<NAdamOptions> = {
  name: 'NAdam',
  keys: ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay', 'foreach'],
  defaults: { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, foreach: null },
  torchFlags: ['foreach'],
  numbers: ['momentumDecay'],
  check: (o, where) => {
    if (!(o.momentumDecay >= 0)) throw new RangeError(`${where}: Invalid momentum_decay value: ${o.momentumDecay}`);
  },
  example: 'new NAdam(params, 0.002, { momentumDecay: 0.004 })',
  buffers: ['exp_avg', 'exp_avg_sq'],
};

/**
 * NAdam as PyTorch 1.13's single-tensor implementation (lr 2e-3, betas (0.9, 0.999), eps 1e-8, momentumDecay 4e-3):
 * μₜ = β1·(1 − ½·0.96^(t·ψ)), Adam's moments, and p ← p − lr·(1−μₜ)/(1−Πμ)·g/d − lr·μₜ₊₁/(1−Πμ·μₜ·μₜ₊₁)·m/d with
 * d = √(v/(1−β2ᵗ)) + eps (1.13's formula, μₜ counted twice in the second product, kept as PyTorch has it).
 * State keys as PyTorch's: step, mu_product, exp_avg, exp_avg_sq. PyTorch's float32 operations in its order and
 * roundings (its AVX2 kernels' fused adds included), so the same bits.
 *
 * @example
 * const opt = new optim.NAdam(model.parameters(), { lr: 0.01, momentumDecay: 0.004 });
 */
export class NAdam extends AdamFamily<NAdamOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<NAdamOptions>>, options?: LrTensorOr<NAdamOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<NAdamOptions>>, lr: number | Tensor, options?: Omit<NAdamOptions, 'lr'>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<NAdamOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<NAdamOptions>, options?: Omit<NAdamOptions, 'lr'>) {
    super(NADAM, params, lrOrOptions, options);
  }

  protected stepGroup(o: ParamGroup<Required<NAdamOptions>>): void {
    const [beta1, beta2] = o.betas;
    const fresh = (p: Tensor): ParamState => ({ step: 0, mu_product: 1, exp_avg: bufferLike(p), exp_avg_sq: bufferLike(p) });
    this.eachParam(o, fresh, (s, step, pd, gd) => {
      const bc2 = 1 - beta2 ** step;
      const mu = beta1 * (1 - 0.5 * 0.96 ** (step * o.momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * o.momentumDecay));
      const muProduct = f((s['mu_product'] as number) * f(mu)); // a float32 tensor times a Python float
      s['mu_product'] = muProduct;
      const muProductNext = f(f(muProduct * f(mu)) * f(muNext));
      const a1 = f((-o.lr * (1 - mu)) / (1 - muProduct));
      const a2 = f((-o.lr * muNext) / (1 - muProductNext));
      const m = (s['exp_avg'] as Tensor).settled();
      const v = (s['exp_avg_sq'] as Tensor).settled();
      const wd = f(o.weightDecay), b1 = f(beta1), b2 = f(beta2), c1 = f(1 - beta1), c2 = f(1 - beta2), fb = f(bc2), fe = f(o.eps);
      for (let i = 0; i < pd.length; i++) {
        // grad.add(param, alpha=wd), exp_avg.mul_(β1).add_(grad, alpha=1−β1), exp_avg_sq.mul_(β2).addcmul_(grad,
        // grad, value=1−β2): each add one rounding, as PyTorch's AVX2 kernels fuse them
        const gi = o.weightDecay !== 0 ? fmaf(pd[i]!, wd, gd[i]!) : gd[i]!;
        const mi = fmaf(gi, c1, f(m[i]! * b1));
        const vi = fmaf(f(c2 * gi), gi, f(v[i]! * b2));
        m[i] = mi;
        v[i] = vi;
        const d = f(f(Math.sqrt(f(vi / fb))) + fe);
        const p1 = f(pd[i]! + f(f(a1 * gi) / d));
        pd[i] = f(p1 + f(f(a2 * mi) / d));
      }
    });
  }

  protected override scalarKeys(): readonly string[] {
    return ['mu_product'];
  }

  /** PyTorch 1.13's NAdam group (weight_decay's default is the int 0). */
  protected torchGroup(g: ParamGroup<Required<NAdamOptions>>): TorchGroup {
    return {
      lr: pyFloat(g.lr), betas: pyTuple(g.betas.map(pyFloat)), eps: pyFloat(g.eps), weight_decay: pyIntOr(g.weightDecay),
      momentum_decay: pyFloat(g.momentumDecay), foreach: pyFlag(g.foreach),
    };
  }
}
