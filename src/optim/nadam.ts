import type { Tensor } from '../tensor/tensor.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { checkOptions, leadingOption } from '../options.js';
import { bufferLike, checkAdamFamily, checkLr, checkStepLr, checkTypes, gradValues, groupHint, Optimizer, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';

export interface NAdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
}

const NADAM_OPTIONS = ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay'] as const;
const f = Math.fround;

/** Options with PyTorch 1.13's defaults, validated with its messages, in its order (`where` names the caller). */
function nadamOptions(options: NAdamOptions | undefined, where = 'NAdam'): Required<NAdamOptions> {
  checkOptions(where, options, NADAM_OPTIONS);
  const o = { lr: 2e-3, betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, ...options };
  checkLr(o.lr, where);
  checkTypes(where, o, ['betas', 'eps', 'weightDecay', 'momentumDecay']);
  checkAdamFamily(where, o);
  if (!(o.momentumDecay >= 0)) throw new RangeError(`${where}: Invalid momentum_decay value: ${o.momentumDecay}`);
  return { ...o, betas: [o.betas[0], o.betas[1]] as const };
}

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
export class NAdam extends Optimizer<Required<NAdamOptions>> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<NAdamOptions>>, options?: NAdamOptions);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<NAdamOptions>>, lr: number, options?: Omit<NAdamOptions, 'lr'>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<NAdamOptions>>, lrOrOptions?: number | NAdamOptions, options?: Omit<NAdamOptions, 'lr'>) {
    const given = leadingOption<NAdamOptions>('NAdam', 'lr', lrOrOptions, options, 'new NAdam(params, 0.002, { momentumDecay: 0.004 })');
    checkOptions('NAdam', given, NADAM_OPTIONS, groupHint('NAdam'));
    super(params, 'NAdam', given, (raw, where) => nadamOptions(raw as NAdamOptions, where));
  }

  protected update(): void {
    for (const o of this.paramGroups) this.stepGroup(o);
  }

  private stepGroup(o: ParamGroup<Required<NAdamOptions>>): void {
    checkStepLr(o.lr, 'NAdam');
    const [beta1, beta2] = o.betas;
    for (const p of o.params) {
      const g = p.grad;
      if (g === null) continue;
      let s = this.state.get(p);
      if (!s) {
        s = { step: 0, mu_product: 1, exp_avg: bufferLike(p), exp_avg_sq: bufferLike(p) } as ParamState;
        this.state.set(p, s);
      }
      p.versionCounter.value++;
      const step = (s['step'] as number) + 1; // a float32 tensor in PyTorch, exact for these counts
      s['step'] = step;
      const bc2 = 1 - beta2 ** step;
      const mu = beta1 * (1 - 0.5 * 0.96 ** (step * o.momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * o.momentumDecay));
      const muProduct = f((s['mu_product'] as number) * f(mu)); // a float32 tensor times a Python float
      s['mu_product'] = muProduct;
      const muProductNext = f(f(muProduct * f(mu)) * f(muNext));
      const a1 = f((-o.lr * (1 - mu)) / (1 - muProduct));
      const a2 = f((-o.lr * muNext) / (1 - muProductNext));
      const gd = gradValues(p, g);
      const pd = p.settled();
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
    }
  }

  protected stateKeys(): { counters: string[]; buffers: string[] } {
    return { counters: ['step'], buffers: ['exp_avg', 'exp_avg_sq'] };
  }

  protected override scalarKeys(): readonly string[] {
    return ['mu_product'];
  }

  protected allBuffers(): readonly string[] {
    return ['exp_avg', 'exp_avg_sq'];
  }

  protected hyper(group: ParamGroup<Required<NAdamOptions>>): Record<string, unknown> {
    const { lr, betas, eps, weightDecay, momentumDecay } = group;
    return { lr, betas, eps, weightDecay, momentumDecay };
  }

  protected groupText(g: ParamGroup<Required<NAdamOptions>>): string {
    return `betas=(${g.betas[0]}, ${g.betas[1]}), eps=${g.eps}, lr=${g.lr}, momentum_decay=${g.momentumDecay}, weight_decay=${g.weightDecay}`;
  }
}
