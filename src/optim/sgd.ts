import * as k from '../kernels/optim.js';
import { Tensor } from '../tensor/tensor.js';
import { isRowLayout, OuterRows, rowWidth } from '../autograd/accumulate.js';
import { checkOptions, leadingOption } from '../options.js';
import { bufferLike, checkLr, checkStepLr, checkTypes, gradValues, groupHint, lrValue, Optimizer, paramValues, storeParam, type LrTensorOr, type OptimizerStateDict, type ParamGroup, type ParamGroupInput } from './optimizer.js';
import { pyBool, pyFloat, pyIntOr, type TorchGroup } from './optimizer-repr.js';
import { checkFlags, flagDefaults, pyFlag, type TorchFlags } from './torch-flags.js';

export interface SGDOptions extends Pick<TorchFlags, 'foreach' | 'differentiable'> {
  /** Required, as in PyTorch: SGD has no default learning rate. */
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  maximize?: boolean;
}

/** PyTorch 1.13's SGD switches (see torch-flags.ts). */
const SGD_FLAGS = ['foreach', 'differentiable'] as const;

const SGD_OPTIONS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize', ...SGD_FLAGS] as const;

/** Options with PyTorch's defaults filled in, validated with PyTorch's messages (`where` names the caller). */
function sgdOptions(options: SGDOptions | undefined, where = 'SGD'): Required<SGDOptions> {
  checkOptions(where, options, SGD_OPTIONS);
  if (options?.lr === undefined) {
    const group = where.includes('parameter group') || where.endsWith('addParamGroup');
    if (group) throw new TypeError(`${where}: lr is required (PyTorch's SGD has no default learning rate): give it to the group or to the optimizer, new optim.SGD(groups, 0.01)`);
    if (where !== 'SGD') throw new TypeError(`${where}: lr is required (PyTorch's SGD has no default learning rate)`);
    throw new TypeError('SGD: lr is required (PyTorch\'s SGD has no default learning rate), e.g. new optim.SGD(model.parameters(), { lr: 0.01 }) or new optim.SGD(model.parameters(), 0.01)');
  }
  const o = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, ...flagDefaults(SGD_FLAGS), ...options };
  checkLr(o.lr, where);
  checkTypes(where, o, ['momentum', 'dampening', 'weightDecay'], ['nesterov', 'maximize']);
  checkFlags(where, o, SGD_FLAGS);
  if (!(o.momentum >= 0)) throw new RangeError(`${where}: Invalid momentum value: ${o.momentum}`);
  if (!(o.weightDecay >= 0)) throw new RangeError(`${where}: Invalid weight_decay value: ${o.weightDecay}`);
  return o;
}

/**
 * PyTorch 1.13's SGD checks Nesterov's condition on the constructor's own arguments only, not on each group's:
 * `SGD(groups, lr, nesterov=True)` with momentum 0 fails even when every group has a momentum, and a group of its
 * own (`{ momentum: 0 }` or a dampening beside nesterov) is taken and stepped by the same rule.
 */
function checkNesterov(given: SGDOptions | undefined): void {
  const { momentum = 0, dampening = 0, nesterov = false } = given ?? {};
  if (nesterov !== true || typeof momentum !== 'number' || typeof dampening !== 'number') return; // the types are checked later
  if (momentum <= 0 || dampening !== 0) throw new RangeError('SGD: Nesterov momentum requires a momentum and zero dampening');
}

/**
 * Stochastic gradient descent, PyTorch's rule: d = g (+ wd·p); with momentum, buf = μ·buf + (1 − dampening)·d
 * (buf = d on the first step) and d = buf (or d + μ·buf with Nesterov); then p ← p − lr·d.
 *
 * The learning rate can also come first, as PyTorch allows: `new optim.SGD(params, 0.01, { momentum: 0.9 })`.
 * Parameter groups take options of their own over these (a group without `lr` needs one here).
 *
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
 * const tuned = new optim.SGD([{ params: body.parameters() }, { params: head.parameters(), lr: 0.1 }], { lr: 0.01, momentum: 0.9 });
 */
export class SGD extends Optimizer<Required<SGDOptions>> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<SGDOptions>>, options: LrTensorOr<SGDOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<SGDOptions>>, lr: number | Tensor, options?: Omit<SGDOptions, 'lr'>);
  /** Groups that each give their own `lr`. */
  constructor(groups: Iterable<ParamGroupInput<SGDOptions>>, options?: Partial<LrTensorOr<SGDOptions>>);
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<SGDOptions>>, lrOrOptions?: number | Tensor | Partial<LrTensorOr<SGDOptions>>, options?: Omit<SGDOptions, 'lr'>,
  ) {
    const given = leadingOption<SGDOptions>('SGD', 'lr', lrValue(lrOrOptions, 'SGD'), options, 'new SGD(params, 0.01, { momentum: 0.9 })');
    checkOptions('SGD', given, SGD_OPTIONS, groupHint('SGD'));
    checkNesterov(given);
    super(params, 'SGD', given, (raw, where) => sgdOptions(raw as unknown as SGDOptions, where));
  }

  protected update(): void {
    for (const group of this.paramGroups) this.stepGroup(group);
  }

  private stepGroup(o: ParamGroup<Required<SGDOptions>>): void {
    checkStepLr(o.lr, 'SGD'); // it may have been changed since (opt.paramGroups[i].lr = …, as param_groups[i]['lr'] in PyTorch); negative allowed, as there
    const plain = o.momentum === 0 && o.weightDecay === 0 && !o.maximize;
    for (const p of o.params) {
      const g = p.grad;
      if (g === null) continue;
      p.versionCounter.value++; // an in-place change, as PyTorch's p.add_(…)
      // PyTorch keeps state for every parameter stepped, momentum_buffer None without momentum (see stateDict).
      if (plain && !this.state.has(p)) this.state.set(p, {});
      const owed = g.pending;
      if (plain && owed instanceof OuterRows && owed.fits(p, g)) {
        // One sample's weight gradient, applied from its factors; it stays owed to g until read or cleared.
        k.sgdOuter(p.data, owed.width, owed.rows, owed.vals, owed.g, o.lr);
        continue;
      }
      const gd = gradValues(p, g);
      // A parameter that is a view of part of a storage steps through paramValues (see there); any other, its own.
      const pd = p.unsettledData.length === p.numel() ? p.data : paramValues(p);
      if (plain) {
        // Only the rows a sparse gradient touched can change (the others have g = 0).
        // (A row list says where the engine wrote; a gradient handed out may have been written anywhere.)
        const rows = gd === g.unsettledData && isRowLayout(g) && !g.exposed ? g.rowSupport : null;
        k.sgd(pd, gd, o.lr, rows, rows === null ? 0 : rowWidth(g));
        storeParam(p, pd);
        continue;
      }
      let s = this.state.get(p);
      let buf: Float32Array | null = null;
      let first = false;
      if (!s) {
        s = {};
        this.state.set(p, s);
      }
      if (o.momentum !== 0) {
        if (!(s['momentum_buffer'] instanceof Tensor)) {
          // First step with momentum (PyTorch's buf None): the kernel starts the buffer as a copy of d_p.
          s['momentum_buffer'] = bufferLike(p);
          first = true;
        }
        buf = (s['momentum_buffer'] as Tensor).data;
      }
      k.sgdGeneral(pd, gd, buf, o, first);
      storeParam(p, pd);
    }
  }

  protected stateKeys(o: Required<SGDOptions>): { counters: string[]; buffers: string[] } {
    return { counters: [], buffers: o.momentum === 0 ? [] : ['momentum_buffer'] };
  }

  protected allBuffers(): readonly string[] {
    return ['momentum_buffer'];
  }

  /** As PyTorch's: every parameter stepped has an entry, its momentum_buffer null (None) while it has none. */
  override stateDict(): OptimizerStateDict {
    const sd = super.stateDict();
    for (const entry of Object.values(sd.state)) if (entry['momentum_buffer'] === undefined) Object.assign(entry, { momentum_buffer: null });
    return sd;
  }

  /** PyTorch's SGD saves momentum_buffer None for a parameter stepped without momentum. */
  protected override nullableBuffers(): readonly string[] {
    return ['momentum_buffer'];
  }

  protected hyper(group: ParamGroup<Required<SGDOptions>>): Record<string, unknown> {
    const { lr, momentum, dampening, nesterov, weightDecay, maximize, foreach, differentiable } = group;
    return { lr, momentum, dampening, nesterov, weightDecay, maximize, foreach, differentiable };
  }

  /** PyTorch 1.13's SGD group (momentum, dampening and weight_decay default to the int 0). */
  protected torchGroup(g: ParamGroup<Required<SGDOptions>>): TorchGroup {
    return {
      lr: pyFloat(g.lr), momentum: pyIntOr(g.momentum), dampening: pyIntOr(g.dampening), weight_decay: pyIntOr(g.weightDecay),
      nesterov: pyBool(g.nesterov), maximize: pyBool(g.maximize), foreach: pyFlag(g.foreach), differentiable: pyBool(g.differentiable),
    };
  }
}
