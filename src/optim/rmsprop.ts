import * as k from '../kernels/optim-more.js';
import { Tensor } from '../tensor/tensor.js';
import { isRowLayout, rowWidth } from '../autograd/accumulate.js';
import { checkOptions, leadingOption } from '../options.js';
import { bufferLike, checkLr, checkStepLr, checkTypes, gradValues, groupHint, lrValue, Optimizer, paramValues, storeParam, type LrTensorOr, type ParamGroup, type ParamGroupInput, type ParamState } from './optimizer.js';
import { checkFlags, flagDefaults, pyFlag, type TorchFlags } from './torch-flags.js';
import { pyBool, pyFloat, pyIntOr, type TorchGroup } from './optimizer-repr.js';

export interface RMSpropOptions extends Pick<TorchFlags, 'foreach' | 'differentiable'> {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

/** PyTorch 1.13's RMSprop switches (see torch-flags.ts). */
const RMSPROP_FLAGS = ['foreach', 'differentiable'] as const;

const RMSPROP_OPTIONS = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize', ...RMSPROP_FLAGS] as const;

/** Options with PyTorch's defaults filled in, validated with PyTorch's messages, in its order (`where` names the caller). */
function rmspropOptions(options: RMSpropOptions | undefined, where = 'RMSprop'): Required<RMSpropOptions> {
  checkOptions(where, options, RMSPROP_OPTIONS);
  const o = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false, ...flagDefaults(RMSPROP_FLAGS), ...options };
  checkLr(o.lr, where);
  checkTypes(where, o, ['alpha', 'eps', 'weightDecay', 'momentum'], ['centered', 'maximize']);
  checkFlags(where, o, RMSPROP_FLAGS);
  if (!(o.eps >= 0)) throw new RangeError(`${where}: Invalid epsilon value: ${o.eps}`);
  if (!(o.momentum >= 0)) throw new RangeError(`${where}: Invalid momentum value: ${o.momentum}`);
  if (!(o.weightDecay >= 0)) throw new RangeError(`${where}: Invalid weight_decay value: ${o.weightDecay}`);
  if (!(o.alpha >= 0)) throw new RangeError(`${where}: Invalid alpha value: ${o.alpha}`);
  return o;
}

/**
 * RMSprop with PyTorch's defaults (lr 0.01, alpha 0.99, eps 1e-8) and rule: v ← α·v + (1 − α)·g², then
 * p ← p − lr·g / (√v + eps). `centered` subtracts the square of the gradient's running mean ḡ ← α·ḡ + (1 − α)·g
 * from v under the root; with `momentum` μ, b ← μ·b + g / (√v + eps) and p ← p − lr·b. `weightDecay` adds wd·p to
 * the gradient first; `maximize` ascends. PyTorch's order of float32 operations, so the same bits as its CPU
 * kernels (see kernels/ref/optim-more.ts).
 *
 * The learning rate can also come first, as PyTorch allows: `new optim.RMSprop(params, 0.01, { momentum: 0.9 })`.
 *
 * @example
 * const opt = new optim.RMSprop(model.parameters(), { lr: 0.001, momentum: 0.9, centered: true });
 */
export class RMSprop extends Optimizer<Required<RMSpropOptions>> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RMSpropOptions>>, options?: LrTensorOr<RMSpropOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<RMSpropOptions>>, lr: number | Tensor, options?: Omit<RMSpropOptions, 'lr'>);
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<RMSpropOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<RMSpropOptions>, options?: Omit<RMSpropOptions, 'lr'>,
  ) {
    const given = leadingOption<RMSpropOptions>('RMSprop', 'lr', lrValue(lrOrOptions, 'RMSprop'), options, 'new RMSprop(params, 0.01, { momentum: 0.9 })');
    checkOptions('RMSprop', given, RMSPROP_OPTIONS, groupHint('RMSprop'));
    super(params, 'RMSprop', given, (raw, where) => rmspropOptions(raw as RMSpropOptions, where));
  }

  protected update(): void {
    for (const group of this.paramGroups) this.stepGroup(group);
  }

  private stepGroup(o: ParamGroup<Required<RMSpropOptions>>): void {
    checkStepLr(o.lr, 'RMSprop'); // it may have been changed since (opt.paramGroups[i].lr = …, as param_groups[i]['lr'] in PyTorch); negative allowed, as there
    // Checked for the whole group before any parameter changes.
    for (const p of o.params) {
      const s = p.grad === null ? undefined : this.state.get(p);
      if (s) missing(s, o);
    }
    for (const p of o.params) {
      const g = p.grad;
      if (g === null) continue;
      let s = this.state.get(p);
      if (!s) {
        // PyTorch's order of the state's entries, which stateDict() keeps.
        s = { step: 0, square_avg: bufferLike(p) };
        if (o.momentum > 0) s['momentum_buffer'] = bufferLike(p);
        if (o.centered) s['grad_avg'] = bufferLike(p);
        this.state.set(p, s);
      }
      p.versionCounter.value++; // an in-place change, as PyTorch's p.addcdiv_(…)
      s['step'] = (s['step'] as number) + 1;
      const buf = o.momentum > 0 ? (s['momentum_buffer'] as Tensor).settled() : null;
      const gradAvg = o.centered ? (s['grad_avg'] as Tensor).settled() : null;
      const gd = gradValues(p, g);
      // Only the rows a sparse gradient touched have g ≠ 0 (see SGD): a speed hint, never a change in results.
      const rows = gd === g.unsettledData && isRowLayout(g) && !g.exposed ? g.rowSupport : null;
      const pd = paramValues(p);
      k.rmsprop(pd, gd, (s['square_avg'] as Tensor).settled(), buf, gradAvg, o, rows, rows === null ? 0 : rowWidth(g));
      storeParam(p, pd);
    }
  }

  protected stateKeys(o: Required<RMSpropOptions>): { counters: string[]; buffers: string[] } {
    const buffers = ['square_avg'];
    if (o.momentum > 0) buffers.push('momentum_buffer');
    if (o.centered) buffers.push('grad_avg');
    return { counters: ['step'], buffers };
  }

  protected allBuffers(): readonly string[] {
    return ['square_avg', 'momentum_buffer', 'grad_avg'];
  }

  protected hyper(group: ParamGroup<Required<RMSpropOptions>>): Record<string, unknown> {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize, foreach, differentiable } = group;
    return { lr, alpha, eps, weightDecay, momentum, centered, maximize, foreach, differentiable };
  }

  /** PyTorch 1.13's RMSprop group (momentum and weight_decay default to the int 0). */
  protected torchGroup(g: ParamGroup<Required<RMSpropOptions>>): TorchGroup {
    return {
      lr: pyFloat(g.lr), momentum: pyIntOr(g.momentum), alpha: pyFloat(g.alpha), eps: pyFloat(g.eps), centered: pyBool(g.centered),
      weight_decay: pyIntOr(g.weightDecay), foreach: pyFlag(g.foreach), maximize: pyBool(g.maximize), differentiable: pyBool(g.differentiable),
    };
  }
}

/**
 * Refuses a step whose options need a buffer the parameter's state was made without: momentum or centered turned on
 * after its first step (PyTorch stops there too, with a KeyError).
 */
function missing(s: ParamState, o: Required<RMSpropOptions>): void {
  for (const [on, key, option] of [[o.momentum > 0, 'momentum_buffer', 'momentum'], [o.centered, 'grad_avg', 'centered: true']] as const) {
    if (on && !(s[key] instanceof Tensor)) {
      throw new Error(
        `RMSprop: ${option === 'momentum' ? 'momentum was set' : 'centered was turned on'} after this parameter's first step, so its state has no ${key} ` +
          `(PyTorch stops here too, with KeyError: '${key}'): give ${option === 'momentum' ? 'a momentum' : option} when making the optimizer`,
      );
    }
  }
}
