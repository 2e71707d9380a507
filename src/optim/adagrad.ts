import * as k from '../kernels/optim-more.js';
import { isRowLayout, rowWidth } from '../autograd/accumulate.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, leadingOption } from '../options.js';
import { bufferLike, checkLr, checkStepLr, checkTypes, gradValues, groupHint, lrValue, Optimizer, paramValues, storeParam, type LrTensorOr, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';
import { checkFlags, flagDefaults, pyFlag, type TorchFlags } from './torch-flags.js';
import { pyBool, pyFloat, pyIntOr, type TorchGroup } from './optimizer-repr.js';

export interface AdagradOptions extends Pick<TorchFlags, 'foreach'> {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

/** PyTorch 1.13's Adagrad switches (see torch-flags.ts). */
const ADAGRAD_FLAGS = ['foreach'] as const;

const ADAGRAD_OPTIONS = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize', ...ADAGRAD_FLAGS] as const;

/** Options with PyTorch's defaults filled in, validated with PyTorch's messages, in its order (`where` names the caller). */
function adagradOptions(options: AdagradOptions | undefined, where = 'Adagrad'): Required<AdagradOptions> {
  checkOptions(where, options, ADAGRAD_OPTIONS);
  const o = { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false, ...flagDefaults(ADAGRAD_FLAGS), ...options };
  checkLr(o.lr, where);
  checkTypes(where, o, ['lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'], ['maximize']);
  checkFlags(where, o, ADAGRAD_FLAGS);
  if (!(o.lrDecay >= 0)) throw new RangeError(`${where}: Invalid lr_decay value: ${o.lrDecay}`);
  if (!(o.weightDecay >= 0)) throw new RangeError(`${where}: Invalid weight_decay value: ${o.weightDecay}`);
  if (!(o.initialAccumulatorValue >= 0)) throw new RangeError(`${where}: Invalid initial_accumulator_value value: ${o.initialAccumulatorValue}`);
  if (!(o.eps >= 0)) throw new RangeError(`${where}: Invalid epsilon value: ${o.eps}`);
  return o;
}

/**
 * Adagrad with PyTorch's defaults (lr 0.01, eps 1e-10) and rule: sum ← sum + g², then
 * p ← p − clr·g / (√sum + eps), where clr = lr / (1 + (t − 1)·lrDecay) at the parameter's t-th step. `weightDecay`
 * adds wd·p to the gradient first; `maximize` ascends. PyTorch's order of float32 operations, so the same bits as
 * its CPU kernels (see kernels/ref/optim-more.ts).
 *
 * As in PyTorch, every parameter's state (`step` 0, and `sum` filled with `initialAccumulatorValue`) is made with
 * the optimizer, so `stateDict()` holds it before the first step. As in PyTorch (1.13 and later), every group's sums
 * start from the constructor's `initialAccumulatorValue`, a group's own is kept in its options but not used; a group
 * added later with `addParamGroup` gets its state too, from its own value (PyTorch's makes none, and its step() then
 * fails).
 *
 * The learning rate can also come first, as PyTorch allows: `new optim.Adagrad(params, 0.1, { lrDecay: 0.01 })`.
 *
 * @example
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.1, initialAccumulatorValue: 0.1 });
 */
export class Adagrad extends Optimizer<Required<AdagradOptions>> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdagradOptions>>, options?: LrTensorOr<AdagradOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdagradOptions>>, lr: number | Tensor, options?: Omit<AdagradOptions, 'lr'>);
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<AdagradOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<AdagradOptions>, options?: Omit<AdagradOptions, 'lr'>,
  ) {
    const given = leadingOption<AdagradOptions>('Adagrad', 'lr', lrValue(lrOrOptions, 'Adagrad'), options, 'new Adagrad(params, 0.01, { lrDecay: 0.01 })');
    checkOptions('Adagrad', given, ADAGRAD_OPTIONS, groupHint('Adagrad'));
    super(params, 'Adagrad', given, (raw, where) => adagradOptions(raw as AdagradOptions, where));
    // The constructor's value for every group, a group's own ignored, as PyTorch 1.13's constructor (and later ones) fill them.
    const initial = (given as AdagradOptions | undefined)?.initialAccumulatorValue ?? 0;
    for (const group of this.paramGroups) this.initState(group, initial);
  }

  override addParamGroup(group: ParamGroupInput<AdagradOptions>): void {
    super.addParamGroup(group);
    const added = this.paramGroups[this.paramGroups.length - 1]!;
    this.initState(added, added.initialAccumulatorValue);
  }

  /** Each parameter's state as PyTorch's constructor makes it: no steps, the sum at `initial`. */
  private initState(group: ParamGroup<Required<AdagradOptions>>, initial: number): void {
    for (const p of group.params) this.state.set(p, fresh(p, initial));
  }

  protected update(): void {
    for (const group of this.paramGroups) this.stepGroup(group);
  }

  private stepGroup(o: ParamGroup<Required<AdagradOptions>>): void {
    checkStepLr(o.lr, 'Adagrad'); // it may have been changed since (opt.paramGroups[i].lr = …, as param_groups[i]['lr'] in PyTorch); negative allowed, as there
    for (const p of o.params) {
      const g = p.grad;
      if (g === null) continue;
      let s = this.state.get(p);
      if (!s) {
        // A loaded state without this parameter's entry: it starts afresh.
        s = fresh(p, o.initialAccumulatorValue);
        this.state.set(p, s);
      }
      p.versionCounter.value++; // an in-place change, as PyTorch's p.addcdiv_(…)
      const step = (s['step'] as number) + 1;
      s['step'] = step;
      // In double precision, as Python computes it; the kernel takes −clr as float32.
      const clr = o.lr / (1 + (step - 1) * o.lrDecay);
      const gd = gradValues(p, g);
      // Only the rows a sparse gradient touched have g ≠ 0 (see SGD): a speed hint, never a change in results.
      const rows = gd === g.unsettledData && isRowLayout(g) && !g.exposed ? g.rowSupport : null;
      const pd = paramValues(p);
      k.adagrad(pd, gd, (s['sum'] as Tensor).settled(), clr, o, rows, rows === null ? 0 : rowWidth(g));
      storeParam(p, pd);
    }
  }

  /** Adagrad's state is made before the first step: a saved `step` may be 0. */
  protected override counterMin(): number {
    return 0;
  }

  protected stateKeys(): { counters: string[]; buffers: string[] } {
    return { counters: ['step'], buffers: ['sum'] };
  }

  protected allBuffers(): readonly string[] {
    return ['sum'];
  }

  protected hyper(group: ParamGroup<Required<AdagradOptions>>): Record<string, unknown> {
    const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize, foreach } = group;
    return { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize, foreach };
  }

  /** PyTorch 1.13's Adagrad group (lr_decay, weight_decay and initial_accumulator_value default to the int 0). */
  protected torchGroup(g: ParamGroup<Required<AdagradOptions>>): TorchGroup {
    return {
      lr: pyFloat(g.lr), lr_decay: pyIntOr(g.lrDecay), eps: pyFloat(g.eps), weight_decay: pyIntOr(g.weightDecay),
      initial_accumulator_value: pyIntOr(g.initialAccumulatorValue), foreach: pyFlag(g.foreach), maximize: pyBool(g.maximize),
    };
  }
}

/** A parameter's state before its first step. */
function fresh(p: Tensor, initial: number): ParamState {
  const sum = bufferLike(p);
  // Rounded to float32 as torch.full_like rounds it (the storage holds the parameter's elements, nothing else).
  sum.unsettledData.fill(initial);
  return { step: 0, sum };
}
