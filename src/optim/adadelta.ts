import type { Tensor } from '../tensor/tensor.js';
import { fmaf } from '../kernels/ref/fmaf.js';
import { checkOptions, leadingOption } from '../options.js';
import { bufferLike, checkLr, checkStepLr, checkTypes, gradValues, groupHint, lrValue, Optimizer, paramValues, storeParam, type LrTensorOr, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';
import { checkFlags, flagDefaults, pyFlag, type TorchFlags } from './torch-flags.js';
import { pyBool, pyFloat, pyIntOr, type TorchGroup } from './optimizer-repr.js';

export interface AdadeltaOptions extends Pick<TorchFlags, 'foreach'> {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/** PyTorch 1.13's Adadelta switches (see torch-flags.ts). */
const ADADELTA_FLAGS = ['foreach'] as const;

const ADADELTA_OPTIONS = ['lr', 'rho', 'eps', 'weightDecay', 'maximize', ...ADADELTA_FLAGS] as const;
const f = Math.fround;

/** Options with PyTorch 1.13's defaults, validated with its messages, in its order (`where` names the caller). */
function adadeltaOptions(options: AdadeltaOptions | undefined, where = 'Adadelta'): Required<AdadeltaOptions> {
  checkOptions(where, options, ADADELTA_OPTIONS);
  const o = { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false, ...flagDefaults(ADADELTA_FLAGS), ...options };
  checkLr(o.lr, where);
  checkTypes(where, o, ['rho', 'eps', 'weightDecay'], ['maximize']);
  checkFlags(where, o, ADADELTA_FLAGS);
  if (!(o.rho >= 0 && o.rho <= 1)) throw new RangeError(`${where}: Invalid rho value: ${o.rho}`);
  if (!(o.eps >= 0)) throw new RangeError(`${where}: Invalid epsilon value: ${o.eps}`);
  if (!(o.weightDecay >= 0)) throw new RangeError(`${where}: Invalid weight_decay value: ${o.weightDecay}`);
  return o;
}

/**
 * Adadelta as PyTorch 1.13's single-tensor implementation (lr 1.0, rho 0.9, eps 1e-6, `weightDecay`, `maximize`):
 * v ← ρ·v + (1−ρ)·g², δ = √(u + eps)/√(v + eps)·g, u ← ρ·u + (1−ρ)·δ², p ← p − lr·δ. State keys as PyTorch's:
 * step, square_avg, acc_delta. PyTorch's float32 operations in its order and roundings (its AVX2 kernels' fused
 * adds included), so the same bits.
 *
 * @example
 * const opt = new optim.Adadelta(model.parameters(), { rho: 0.95 });
 */
export class Adadelta extends Optimizer<Required<AdadeltaOptions>> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdadeltaOptions>>, options?: LrTensorOr<AdadeltaOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdadeltaOptions>>, lr: number | Tensor, options?: Omit<AdadeltaOptions, 'lr'>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdadeltaOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<AdadeltaOptions>, options?: Omit<AdadeltaOptions, 'lr'>) {
    const given = leadingOption<AdadeltaOptions>('Adadelta', 'lr', lrValue(lrOrOptions, 'Adadelta'), options, 'new Adadelta(params, 1.0, { rho: 0.95 })');
    checkOptions('Adadelta', given, ADADELTA_OPTIONS, groupHint('Adadelta'));
    super(params, 'Adadelta', given, (raw, where) => adadeltaOptions(raw as AdadeltaOptions, where));
  }

  protected update(): void {
    for (const o of this.paramGroups) this.stepGroup(o);
  }

  private stepGroup(o: ParamGroup<Required<AdadeltaOptions>>): void {
    checkStepLr(o.lr, 'Adadelta');
    for (const p of o.params) {
      const g = p.grad;
      if (g === null) continue;
      let s = this.state.get(p);
      if (!s) {
        s = { step: 0, square_avg: bufferLike(p), acc_delta: bufferLike(p) } as ParamState;
        this.state.set(p, s);
      }
      p.versionCounter.value++;
      s['step'] = (s['step'] as number) + 1;
      const gd = gradValues(p, g);
      const pd = paramValues(p);
      const v = (s['square_avg'] as Tensor).settled();
      const u = (s['acc_delta'] as Tensor).settled();
      const wd = f(o.weightDecay), rho = f(o.rho), rest = f(1 - o.rho), eps = f(o.eps), a = f(-o.lr);
      for (let i = 0; i < pd.length; i++) {
        let gi = o.maximize ? -gd[i]! : gd[i]!;
        if (o.weightDecay !== 0) gi = fmaf(pd[i]!, wd, gi); // grad.add(param, alpha=wd): fused
        const vi = fmaf(f(rest * gi), gi, f(v[i]! * rho)); // square_avg.mul_(rho).addcmul_(grad, grad, value=1−rho)
        v[i] = vi;
        const std = f(Math.sqrt(f(vi + eps)));
        const delta = f(f(f(Math.sqrt(f(u[i]! + eps))) / std) * gi); // acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
        u[i] = fmaf(f(rest * delta), delta, f(u[i]! * rho));
        pd[i] = fmaf(delta, a, pd[i]!); // param.add_(delta, alpha=−lr)
      }
      storeParam(p, pd);
    }
  }

  protected stateKeys(): { counters: string[]; buffers: string[] } {
    return { counters: ['step'], buffers: ['square_avg', 'acc_delta'] };
  }

  protected allBuffers(): readonly string[] {
    return ['square_avg', 'acc_delta'];
  }

  protected hyper(group: ParamGroup<Required<AdadeltaOptions>>): Record<string, unknown> {
    const { lr, rho, eps, weightDecay, maximize, foreach } = group;
    return { lr, rho, eps, weightDecay, maximize, foreach };
  }

  /** PyTorch 1.13's Adadelta group (weight_decay's default is the int 0). */
  protected torchGroup(g: ParamGroup<Required<AdadeltaOptions>>): TorchGroup {
    return { lr: pyFloat(g.lr), rho: pyFloat(g.rho), eps: pyFloat(g.eps), weight_decay: pyIntOr(g.weightDecay), maximize: pyBool(g.maximize), foreach: pyFlag(g.foreach) };
  }
}
