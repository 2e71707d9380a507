import type { Tensor } from '../tensor/tensor.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { pyFlag, type TorchFlags } from './torch-flags.js';
import { AdamFamily, type AdamFamilySpec } from './adam-family.js';
import { bufferLike, type LrTensorOr, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';
import { pyFloat, pyIntOr, pyTuple, type TorchGroup } from './optimizer-repr.js';

export interface RAdamOptions extends Pick<TorchFlags, 'foreach'> {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

const f = Math.fround;

const RADAM: AdamFamilySpec<RAdamOptions> = {
  name: 'RAdam',
  keys: ['lr', 'betas', 'eps', 'weightDecay', 'foreach'],
  defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, foreach: null },
  torchFlags: ['foreach'],
  example: 'new RAdam(params, 0.001, { weightDecay: 0.01 })',
  hints: { maximize: 'PyTorch 1.13\'s RAdam has no maximize option' },
  buffers: ['exp_avg', 'exp_avg_sq'],
};

/**
 * RAdam (rectified Adam) as PyTorch 1.13's single-tensor implementation (lr 1e-3, betas (0.9, 0.999), eps 1e-8,
 * `weightDecay`; no `maximize` in 1.13): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², m̂ = m/(1−β1ᵗ); with
 * ρ∞ = 2/(1−β2) − 1 and ρₜ = ρ∞ − 2t·β2ᵗ/(1−β2ᵗ), while ρₜ ≤ 5 p ← p − lr·m̂, after it
 * p ← p − m̂·lr·(√(1−β2ᵗ)/(√v + eps))·r with the rectification r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)).
 * State keys as PyTorch's: step, exp_avg, exp_avg_sq. PyTorch's float32 operations in its order and roundings
 * (its AVX2 kernels' fused adds included), so the same bits.
 *
 * @example
 * const opt = new optim.RAdam(model.parameters(), { lr: 0.01 });
 */
export class RAdam extends AdamFamily<RAdamOptions> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RAdamOptions>>, options?: LrTensorOr<RAdamOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RAdamOptions>>, lr: number | Tensor, options?: Omit<RAdamOptions, 'lr'>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RAdamOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<RAdamOptions>, options?: Omit<RAdamOptions, 'lr'>) {
    super(RADAM, params, lrOrOptions, options);
  }

  protected stepGroup(o: ParamGroup<Required<RAdamOptions>>): void {
    const [beta1, beta2] = o.betas;
    const fresh = (p: Tensor): ParamState => ({ step: 0, exp_avg: bufferLike(p), exp_avg_sq: bufferLike(p) });
    this.eachParam(o, fresh, (s, step, pd, gd) => {
      const bc1 = 1 - beta1 ** step;
      const bc2 = 1 - beta2 ** step;
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
      const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
      const m = (s['exp_avg'] as Tensor).settled();
      const v = (s['exp_avg_sq'] as Tensor).settled();
      const wd = f(o.weightDecay), b1 = f(beta1), b2 = f(beta2), c1 = f(1 - beta1), c2 = f(1 - beta2);
      const fbc1 = f(bc1), lr = f(o.lr), sbc2 = f(Math.sqrt(bc2)), fe = f(o.eps), fr = f(rect);
      for (let i = 0; i < pd.length; i++) {
        // grad.add(param, alpha=wd), exp_avg.mul_(β1).add_(grad, alpha=1−β1), exp_avg_sq.mul_(β2).addcmul_(grad, grad, value=1−β2): fused adds
        const gi = o.weightDecay !== 0 ? fmaf(pd[i]!, wd, gd[i]!) : gd[i]!;
        const mi = fmaf(gi, c1, f(m[i]! * b1));
        const vi = fmaf(f(c2 * gi), gi, f(v[i]! * b2));
        m[i] = mi;
        v[i] = vi;
        const corrected = f(mi / fbc1); // exp_avg / bias_correction1
        if (rhoT > 5) {
          // math.sqrt(bc2) / exp_avg_sq.sqrt().add_(eps): Tensor.__rtruediv__ is reciprocal() * scalar
          const adaptive = f(f(1 / f(f(Math.sqrt(vi)) + fe)) * sbc2);
          pd[i] = f(pd[i]! - f(f(f(corrected * lr) * adaptive) * fr));
        } else {
          pd[i] = f(pd[i]! - f(corrected * lr));
        }
      }
    });
  }

  /** PyTorch 1.13's RAdam group (weight_decay's default is the int 0). */
  protected torchGroup(g: ParamGroup<Required<RAdamOptions>>): TorchGroup {
    return { lr: pyFloat(g.lr), betas: pyTuple(g.betas.map(pyFloat)), eps: pyFloat(g.eps), weight_decay: pyIntOr(g.weightDecay), foreach: pyFlag(g.foreach) };
  }
}
