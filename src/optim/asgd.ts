import type { Tensor } from '../tensor/tensor.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { checkOptions, leadingOption } from '../options.js';
import { bufferLike, checkLr, checkStepLr, checkTypes, gradValues, groupHint, lrValue, Optimizer, paramValues, storeParam, type LrTensorOr, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';
import { checkFlags, flagDefaults, pyFlag, type TorchFlags } from './torch-flags.js';
import { pyBool, pyFloat, pyIntOr, type TorchGroup } from './optimizer-repr.js';

export interface ASGDOptions extends Pick<TorchFlags, 'foreach'> {
  lr?: number;
  /** Decay term. */
  lambd?: number;
  /** Power for the update of eta. */
  alpha?: number;
  /** The step at which averaging starts. */
  t0?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/** PyTorch 1.13's ASGD switches (see torch-flags.ts). */
const ASGD_FLAGS = ['foreach'] as const;

const ASGD_OPTIONS = ['lr', 'lambd', 'alpha', 't0', 'weightDecay', 'maximize', ...ASGD_FLAGS] as const;
const f = Math.fround;

/** Options with PyTorch 1.13's defaults, validated with its messages, in its order (`where` names the caller). */
function asgdOptions(options: ASGDOptions | undefined, where = 'ASGD'): Required<ASGDOptions> {
  checkOptions(where, options, ASGD_OPTIONS);
  const o = { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false, ...flagDefaults(ASGD_FLAGS), ...options };
  checkLr(o.lr, where);
  checkTypes(where, o, ['lambd', 'alpha', 't0', 'weightDecay'], ['maximize']);
  checkFlags(where, o, ASGD_FLAGS);
  if (!(o.weightDecay >= 0)) throw new RangeError(`${where}: Invalid weight_decay value: ${o.weightDecay}`);
  return o;
}

/**
 * ASGD (averaged SGD) as PyTorch 1.13's single-tensor implementation (lr 0.01, `lambd` 1e-4, `alpha` 0.75, `t0` 1e6,
 * `weightDecay`, `maximize`): p ← p·(1 − λ·η) − η·g, then the average ax ← ax + μ·(p − ax) (ax ← p while μ = 1),
 * η ← lr/(1 + λ·lr·t)^α and μ ← 1/max(1, t − t0). State keys as PyTorch's: step, eta, mu (float32 scalars, as
 * PyTorch's 0-dim tensors), ax. PyTorch's float32 operations in its order and roundings, so the same bits.
 *
 * @example
 * const opt = new optim.ASGD(model.parameters(), { lr: 0.01, t0: 100 });
 */
export class ASGD extends Optimizer<Required<ASGDOptions>> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<ASGDOptions>>, options?: LrTensorOr<ASGDOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<ASGDOptions>>, lr: number | Tensor, options?: Omit<ASGDOptions, 'lr'>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<ASGDOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<ASGDOptions>, options?: Omit<ASGDOptions, 'lr'>) {
    const given = leadingOption<ASGDOptions>('ASGD', 'lr', lrValue(lrOrOptions, 'ASGD'), options, 'new ASGD(params, 0.01, { t0: 100 })');
    checkOptions('ASGD', given, ASGD_OPTIONS, { ...groupHint('ASGD'), lambda: 'PyTorch\'s name is lambd' });
    super(params, 'ASGD', given, (raw, where) => asgdOptions(raw as ASGDOptions, where));
  }

  protected update(): void {
    for (const o of this.paramGroups) this.stepGroup(o);
  }

  private stepGroup(o: ParamGroup<Required<ASGDOptions>>): void {
    checkStepLr(o.lr, 'ASGD');
    for (const p of o.params) {
      const g = p.grad;
      if (g === null) continue;
      let s = this.state.get(p);
      if (!s) {
        s = { step: 0, eta: f(o.lr), mu: 1, ax: bufferLike(p) } as ParamState;
        this.state.set(p, s);
      }
      p.versionCounter.value++;
      const step = (s['step'] as number) + 1; // a float32 tensor in PyTorch, exact for these counts
      s['step'] = step;
      const eta = s['eta'] as number;
      const mu = s['mu'] as number;
      const gd = gradValues(p, g);
      const pd = paramValues(p);
      const ax = (s['ax'] as Tensor).settled();
      const wd = f(o.weightDecay), decay = f(1 - o.lambd * eta), a = f(-eta);
      for (let i = 0; i < pd.length; i++) {
        let gi = o.maximize ? -gd[i]! : gd[i]!;
        if (o.weightDecay !== 0) gi = fmaf(pd[i]!, wd, gi); // grad.add(param, alpha=wd): fused
        const pi = fmaf(gi, a, f(pd[i]! * decay)); // param.mul_(1 − λ·η), param.add_(grad, alpha=−η)
        pd[i] = pi;
        ax[i] = mu !== 1 ? f(ax[i]! + f(f(pi - ax[i]!) * mu)) : pi; // ax.add_(param.sub(ax).mul(mu)), or ax.copy_(param)
      }
      storeParam(p, pd);
      // torch.tensor(…) of the Python floats: float32
      s['eta'] = f(o.lr / Math.pow(1 + o.lambd * o.lr * step, o.alpha));
      s['mu'] = f(1 / Math.max(1, step - o.t0));
    }
  }

  protected stateKeys(): { counters: string[]; buffers: string[] } {
    return { counters: ['step'], buffers: ['ax'] };
  }

  protected override scalarKeys(): readonly string[] {
    return ['eta', 'mu'];
  }

  protected allBuffers(): readonly string[] {
    return ['ax'];
  }

  protected hyper(group: ParamGroup<Required<ASGDOptions>>): Record<string, unknown> {
    const { lr, lambd, alpha, t0, weightDecay, maximize, foreach } = group;
    return { lr, lambd, alpha, t0, weightDecay, maximize, foreach };
  }

  /** PyTorch 1.13's ASGD group (t0 a float, 1000000.0; weight_decay the int 0). */
  protected torchGroup(g: ParamGroup<Required<ASGDOptions>>): TorchGroup {
    return {
      lr: pyFloat(g.lr), lambd: pyFloat(g.lambd), alpha: pyFloat(g.alpha), t0: pyFloat(g.t0), weight_decay: pyIntOr(g.weightDecay),
      foreach: pyFlag(g.foreach), maximize: pyBool(g.maximize),
    };
  }
}
