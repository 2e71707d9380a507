import * as k from '../kernels/optim.js';
import { Tensor, type PendingValues } from '../tensor/tensor.js';
import { isRowLayout, OuterRows, rowWidth } from '../autograd/accumulate.js';
import { AdamFamily, type AdamFamilySpec } from './adam-family.js';
import { bufferLike, checkStepLr, gradValues, paramValues, storeParam, type LrTensorOr, type ParamGroup, type ParamGroupInput } from './optimizer.js';
import { flagDefaults, pyFlag, type TorchFlag, type TorchFlags } from './torch-flags.js';
import { pyBool, pyFloat, pyIntOr, pyTuple, type TorchGroup } from './optimizer-repr.js';

/**
 * Owed to an Adam state's moment buffers while quiet rows may leave decays of v unpaid (see kernels/optim.ts
 * `adam`), and to its parameter as well while young rows may leave whole updates unpaid (`adamFactored` with
 * defer): reading the moments' or the parameter's `data` (stateDict, a checkpoint, user code) pays them first, and
 * a one-image forward pass pays the rows it reads.
 */
class AdamOwed implements PendingValues {
  constructor(private readonly p: Tensor, private readonly m: Tensor, private readonly v: Tensor) {}

  settle(): void {
    for (const t of [this.p, this.m, this.v]) if (t.pending === this) t.pending = null;
    k.settleAdam(this.m.unsettledData);
  }

  settleFor(x: Float32Array): void {
    k.payAdamRows(this.m.unsettledData, x);
  }
}

/** Adam's options; AdamW takes all but `differentiable` and `fused`, as PyTorch 1.13's. */
export interface AdamOptions extends TorchFlags {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

/** PyTorch's Adam or AdamW: AdamW decouples the weight decay and defaults it to 0.01, and takes fewer switches. */
function adamSpec(name: 'Adam' | 'AdamW', weightDecay: number): AdamFamilySpec<AdamOptions> {
  const torchFlags: TorchFlag[] = name === 'Adam' ? ['foreach', 'capturable', 'differentiable', 'fused'] : ['foreach', 'capturable'];
  return {
    name,
    keys: ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize', ...torchFlags],
    // (AdamW's groups hold no differentiable or fused, as PyTorch's.)
    defaults: { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay, amsgrad: false, maximize: false, ...flagDefaults(torchFlags) } as Required<AdamOptions>,
    torchFlags,
    flags: ['amsgrad', 'maximize'],
    example: `new ${name}(params, 0.01, { weightDecay: 0.01 })`,
    buffers: ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'],
  };
}

/**
 * Adam with PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8): m ← β1·m + (1−β1)·g,
 * v ← β2·v + (1−β2)·g², p ← p − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + eps).
 * The learning rate can also come first, as PyTorch allows: `new optim.Adam(params, 0.01, { weightDecay: 0.1 })`.
 *
 * @example
 * const opt = new optim.Adam(model.parameters());
 */
export class Adam extends AdamFamily<AdamOptions> {
  protected static readonly family: AdamFamilySpec<AdamOptions> = adamSpec('Adam', 0);
  protected readonly decoupled: boolean;

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamOptions>>, options?: LrTensorOr<AdamOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamOptions>>, lr: number | Tensor, options?: Omit<AdamOptions, 'lr'>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamOptions>>, lrOrOptions?: number | Tensor | LrTensorOr<AdamOptions>, options?: Omit<AdamOptions, 'lr'>) {
    super(new.target.family, params, lrOrOptions, options);
    this.decoupled = this.spec.name === 'AdamW';
  }

  protected stepGroup(o: ParamGroup<Required<AdamOptions>>): void {
    checkStepLr(o.lr, this.spec.name); // it may have been changed since (opt.paramGroups[i].lr = …, as param_groups[i]['lr'] in PyTorch); negative allowed, as there
    const [beta1, beta2] = o.betas;
    for (const p of o.params) {
      const g = p.grad;
      if (g === null) continue;
      p.versionCounter.value++; // an in-place change, as PyTorch's p.addcdiv_(…)
      let s = this.state.get(p);
      if (!s) {
        s = { step: 0, exp_avg: bufferLike(p), exp_avg_sq: bufferLike(p) };
        if (o.amsgrad) s['max_exp_avg_sq'] = bufferLike(p);
        this.state.set(p, s);
      } else if (o.amsgrad && !(s['max_exp_avg_sq'] instanceof Tensor)) {
        throw new Error(
          `${this.spec.name}: amsgrad was turned on after this parameter's first step, so its state has no ` +
            'max_exp_avg_sq (PyTorch stops here too, with KeyError: \'max_exp_avg_sq\'): give amsgrad: true when making the optimizer',
        );
      }
      const t = (s['step'] as number) + 1;
      s['step'] = t;
      // A parameter that is a view of part of a storage steps through paramValues (see there), never deferred.
      const view = p.unsettledData.length === p.numel() ? null : paramValues(p);
      if (this.decoupled) k.scale(view ?? p.settled(), 1 - o.lr * o.weightDecay);
      const mt = s['exp_avg'] as Tensor;
      const vt = s['exp_avg_sq'] as Tensor;
      const m = mt.unsettledData;
      const v = vt.unsettledData;
      const scalars: k.AdamScalars = {
        beta1, beta2, eps: o.eps, weightDecay: this.decoupled ? 0 : o.weightDecay,
        stepSize: o.lr / (1 - beta1 ** t), bc2Sqrt: Math.sqrt(1 - beta2 ** t), amsgrad: o.amsgrad, maximize: o.maximize,
      };
      // One sample's weight gradient with its row list, taken from its factors (it stays owed to g until read).
      const owed = g.pending;
      // Rows where only v decays may leave the decays owed (quiet rows), while nobody else holds m or v: they are
      // written out when read.
      const quiet = !mt.exposed && !vt.exposed;
      // What this state owes is the kernel's to carry on; anything else owed to p is written first.
      let mine = mt.pending instanceof AdamOwed ? mt.pending : null;
      // p still owed by this state since its last step: nobody has read or written p since (any access but the
      // kernels' goes through settled(), which would have cleared p.pending), so p holds what the kernels left.
      const kept = mine !== null && p.pending === mine;
      const pd = view ?? (kept ? p.unsettledData : p.settled());
      if (quiet && mine === null) mine = mt.pending = vt.pending = new AdamOwed(p, mt, vt);
      // Young rows' updates may be owed too while nobody holds p's storage either (no decoupled decay, which
      // scales every row at every step). Not for a contiguous p (a Linear with one input or one output), whose
      // values() is its storage itself, which an op may keep for its backward pass.
      const defer = view === null && quiet && !p.exposed && !this.decoupled && !p.isContiguous() && (p.pending === null || p.pending === mine);
      if (owed instanceof OuterRows && !o.amsgrad && g.rowSupport !== null && owed.fits(p, g)
        && k.adamFactored(pd, m, v, scalars, owed.rows, owed.width, owed.vals, owed.g, quiet, defer, kept)) {
        // The kernel defers only for rows of a multiple of 4 floats: p is owed values only when it did.
        if (defer && k.owesAdam(m)) p.pending = mine;
        continue;
      }
      const gd = gradValues(p, g);
      // A sparse gradient's row list lets the kernel skip its zero rows (same results, less memory traffic); a
      // gradient handed out may have been written anywhere.
      const rows = gd === g.unsettledData && isRowLayout(g) && !g.exposed ? g.rowSupport : null;
      k.adam(pd, gd, m, v, o.amsgrad ? (s['max_exp_avg_sq'] as Tensor).data : null, scalars, rows, rows === null ? 0 : rowWidth(g), quiet, kept);
      if (view !== null) storeParam(p, view);
    }
  }

  protected override stateKeys(o: Required<AdamOptions>): { counters: string[]; buffers: string[] } {
    return { counters: ['step'], buffers: o.amsgrad ? ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['exp_avg', 'exp_avg_sq'] };
  }

  /**
   * PyTorch 1.13's Adam or AdamW group: Adam's weight_decay defaults to the int 0, AdamW's to the float 0.01, and
   * AdamW's group has neither differentiable nor fused.
   */
  protected torchGroup(g: ParamGroup<Required<AdamOptions>>): TorchGroup {
    const common: TorchGroup = {
      lr: pyFloat(g.lr), betas: pyTuple(g.betas.map(pyFloat)), eps: pyFloat(g.eps), amsgrad: pyBool(g.amsgrad),
      maximize: pyBool(g.maximize), foreach: pyFlag(g.foreach), capturable: pyBool(g.capturable),
    };
    if (this.spec.name === 'AdamW') return { ...common, weight_decay: pyFloat(g.weightDecay) };
    return { ...common, weight_decay: pyIntOr(g.weightDecay), differentiable: pyBool(g.differentiable), fused: pyBool(g.fused) };
  }
}

/** Adam with decoupled weight decay (PyTorch's AdamW, default weight decay 0.01): p ← p·(1 − lr·wd) first. */
export class AdamW extends Adam {
  protected static override readonly family: AdamFamilySpec<AdamOptions> = adamSpec('AdamW', 0.01);
}
