import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue, leadingOption } from '../options.js';
import { bufferLike, checkLr, checkStepLr, checkTypes, gradValues, groupHint, lrValue, Optimizer, paramValues, storeParam, type LrTensorOr, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';
import { checkFlags, flagDefaults, pyFlag, type TorchFlags } from './torch-flags.js';
import { pyBool, pyFloat, pyIntOr, pyTuple, type TorchGroup } from './optimizer-repr.js';

export interface RpropOptions extends Pick<TorchFlags, 'foreach'> {
  lr?: number;
  /** PyTorch's `etas`: the factors (η−, η+) a step size takes when the gradient's sign flips or stays. */
  etas?: readonly [number, number];
  /** PyTorch's `step_sizes`: the least and the greatest step size. */
  stepSizes?: readonly [number, number];
  maximize?: boolean;
}

/** PyTorch 1.13's Rprop switches (see torch-flags.ts). */
const RPROP_FLAGS = ['foreach'] as const;

const RPROP_OPTIONS = ['lr', 'etas', 'stepSizes', 'maximize', ...RPROP_FLAGS] as const;
const f = Math.fround;

function checkPair(where: string, key: string, v: unknown): void {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number')) {
    throw new TypeError(`${where}: ${key} must be a pair of numbers, got ${describeValue(v)}`);
  }
}

/** Options with PyTorch 1.13's defaults, validated with its messages, in its order (`where` names the caller). */
function rpropOptions(options: RpropOptions | undefined, where = 'Rprop'): Required<RpropOptions> {
  checkOptions(where, options, RPROP_OPTIONS);
  const o = { lr: 1e-2, etas: [0.5, 1.2] as const, stepSizes: [1e-6, 50] as const, maximize: false, ...flagDefaults(RPROP_FLAGS), ...options };
  checkLr(o.lr, where);
  checkPair(where, 'etas', o.etas);
  checkPair(where, 'stepSizes', o.stepSizes);
  checkTypes(where, o, [], ['maximize']);
  checkFlags(where, o, RPROP_FLAGS);
  const [minus, plus] = o.etas;
  if (!(minus > 0 && minus < 1 && plus > 1)) throw new RangeError(`${where}: Invalid eta values: ${minus}, ${plus}`);
  return { ...o, etas: [minus, plus] as const, stepSizes: [o.stepSizes[0], o.stepSizes[1]] as const };
}

/** torch.sign of a float32: 1, −1, or 0 (NaN too, as its `(0 < a) − (a < 0)`). */
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/**
 * Rprop as PyTorch 1.13's single-tensor implementation (lr 0.01, `etas` (0.5, 1.2), `stepSizes` (1e-6, 50),
 * `maximize`): per element, the step size (starting at lr) is multiplied by η+ where the gradient kept its sign, by η−
 * where it flipped (and that gradient is then taken as 0), clamped to `stepSizes`, and p ← p − sign(g)·step size.
 * State keys as PyTorch's: step, prev, step_size. PyTorch's float32 operations, so the same bits.
 *
 * @example
 * const opt = new optim.Rprop(model.parameters(), { etas: [0.5, 1.2], stepSizes: [1e-6, 50] });
 */
export class Rprop extends Optimizer<Required<RpropOptions>> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RpropOptions>>, options?: LrTensorOr<RpropOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RpropOptions>>, lr: number | Tensor, options?: Omit<RpropOptions, 'lr'>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RpropOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<RpropOptions>, options?: Omit<RpropOptions, 'lr'>) {
    const given = leadingOption<RpropOptions>('Rprop', 'lr', lrValue(lrOrOptions, 'Rprop'), options, 'new Rprop(params, 0.01, { etas: [0.5, 1.2] })');
    checkOptions('Rprop', given, RPROP_OPTIONS, { ...groupHint('Rprop'), step_sizes: 'Kindling\'s name is stepSizes' });
    super(params, 'Rprop', given, (raw, where) => rpropOptions(raw as RpropOptions, where));
  }

  protected update(): void {
    for (const o of this.paramGroups) this.stepGroup(o);
  }

  private stepGroup(o: ParamGroup<Required<RpropOptions>>): void {
    checkStepLr(o.lr, 'Rprop');
    for (const p of o.params) {
      const g = p.grad;
      if (g === null) continue;
      let s = this.state.get(p);
      if (!s) {
        // step_size: grad.new().resize_as_(grad).fill_(lr), the group's rate at the parameter's first step
        s = { step: 0, prev: bufferLike(p), step_size: bufferLike(p, new Float32Array(p.numel()).fill(o.lr)) } as ParamState;
        this.state.set(p, s);
      }
      p.versionCounter.value++;
      s['step'] = (s['step'] as number) + 1;
      const gd = gradValues(p, g);
      const pd = paramValues(p);
      const prev = (s['prev'] as Tensor).settled();
      const size = (s['step_size'] as Tensor).settled();
      const minus = f(o.etas[0]), plus = f(o.etas[1]), lo = f(o.stepSizes[0]), hi = f(o.stepSizes[1]);
      for (let i = 0; i < pd.length; i++) {
        let gi = o.maximize ? -gd[i]! : gd[i]!;
        const t = sign(f(gi * prev[i]!)); // grad.mul(prev).sign(): a product that underflows counts as 0
        const eta = t > 0 ? plus : t < 0 ? minus : 1;
        size[i] = Math.min(Math.max(f(size[i]! * eta), lo), hi); // step_size.mul_(sign).clamp_(min, max)
        if (eta === minus) gi = 0; // grad[sign.eq(etaminus)] = 0
        pd[i] = f(pd[i]! - sign(gi) * size[i]!); // param.addcmul_(grad.sign(), step_size, value=−1)
        prev[i] = gi;
      }
      storeParam(p, pd);
    }
  }

  protected stateKeys(): { counters: string[]; buffers: string[] } {
    return { counters: ['step'], buffers: ['prev', 'step_size'] };
  }

  protected allBuffers(): readonly string[] {
    return ['prev', 'step_size'];
  }

  protected hyper(group: ParamGroup<Required<RpropOptions>>): Record<string, unknown> {
    const { lr, etas, stepSizes, maximize, foreach } = group;
    return { lr, etas: [...etas], stepSizes: [...stepSizes], maximize, foreach };
  }

  /** PyTorch 1.13's Rprop group: etas and step_sizes are tuples, step_sizes' maximum the int 50 by default. */
  protected torchGroup(g: ParamGroup<Required<RpropOptions>>): TorchGroup {
    return {
      lr: pyFloat(g.lr), etas: pyTuple(g.etas.map(pyFloat)), step_sizes: pyTuple([pyFloat(g.stepSizes[0]), pyIntOr(g.stepSizes[1])]),
      foreach: pyFlag(g.foreach), maximize: pyBool(g.maximize),
    };
  }
}
