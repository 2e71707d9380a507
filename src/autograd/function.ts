import { sumToShape } from '../ops/broadcast.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import { isGradRecording, noGrad } from './grad-mode.js';
import { GraphNode, record } from './record.js';
import { twice } from './twice.js';

/**
 * What a custom function's `forward` hands its `backward`, as PyTorch's `ctx`: the tensors saved for the gradient
 * (`saveForBackward`, read back as `savedTensors`; backward() refuses to run once one was changed in place), which
 * inputs need a gradient (`needsInputGrad`), the outputs that have none (`markNonDifferentiable`) and whether missing
 * output gradients come as zeros or null (`setMaterializeGrads`). Any other value may be kept on it as a property
 * (`ctx.alpha = alpha`), as in PyTorch.
 */
export class FunctionCtx {
  [key: string]: unknown;
  /** Per argument of `apply`: whether it is a tensor whose gradient the backward pass needs. */
  readonly needsInputGrad: readonly boolean[];
  private saved: readonly (Tensor | null)[] = [];
  private materialize = true;
  private readonly nonDifferentiable = new Set<Tensor>();

  /** @internal */
  constructor(needsInputGrad: readonly boolean[]) {
    this.needsInputGrad = needsInputGrad;
  }

  /** Keeps tensors (inputs, outputs or others; null allowed) for `backward`, read back as `savedTensors`. */
  saveForBackward(...tensors: (Tensor | null)[]): void {
    tensors.forEach((t, i) => {
      if (t !== null && !(t instanceof Tensor)) throw new TypeError(`saveForBackward: argument ${i} must be a Tensor or null, got ${describeValue(t)}; keep other values as properties of ctx (ctx.alpha = alpha)`);
    });
    this.saved = tensors;
  }

  /** The tensors given to `saveForBackward`, in order. */
  get savedTensors(): readonly (Tensor | null)[] {
    return this.saved;
  }

  /** Marks outputs of `forward` as having no gradient: they do not require grad, and their gradient in `backward` is zeros. */
  markNonDifferentiable(...outputs: Tensor[]): void {
    outputs.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`markNonDifferentiable: argument ${i} must be an output Tensor, got ${describeValue(t)}`);
      this.nonDifferentiable.add(t);
    });
  }

  /** Whether `backward` gets zeros (true, the default) or null for an output whose gradient nothing produced. */
  setMaterializeGrads(value: boolean): void {
    if (typeof value !== 'boolean') throw new TypeError(`setMaterializeGrads: expected true or false, got ${describeValue(value)}`);
    this.materialize = value;
  }

  /** Not supported: a custom function's forward returns new tensors rather than changing its inputs in place. */
  markDirty(..._tensors: Tensor[]): never {
    throw new Error('markDirty: Kindling\'s custom functions cannot change their inputs in place; return a new tensor from forward (x.add(1), not x.add_(1)) instead');
  }

  /** @internal */
  materializesGrads(): boolean {
    return this.materialize;
  }

  /** @internal */
  isNonDifferentiable(t: Tensor): boolean {
    return this.nonDifferentiable.has(t);
  }
}

type Forward = (ctx: FunctionCtx, ...args: never[]) => Tensor | readonly Tensor[];
type ArgsOf<F> = F extends { forward(ctx: FunctionCtx, ...args: infer A): unknown } ? A : never;
type ResultOf<F> = F extends { forward(ctx: FunctionCtx, ...args: never[]): infer R } ? R : never;

/**
 * A differentiable operation with a hand-written gradient, as PyTorch's `torch.autograd.Function`: subclass it with
 * a static `forward(ctx, ...args)` — run without recording the graph, returning a tensor or an array of tensors — and
 * a static `backward(ctx, ...gradOutputs)` returning one gradient per argument of forward (null for an argument that is
 * not a tensor or needs none), and call it with `MyFn.apply(...args)`. Outputs get a node named
 * `<ClassName>Backward`, as in PyTorch; backward runs once per walk, with every output's gradient.
 *
 * @example
 * class Exp extends autograd.Function {
 *   static forward(ctx: autograd.FunctionCtx, x: Tensor): Tensor { const y = x.exp(); ctx.saveForBackward(y); return y; }
 *   static backward(ctx: autograd.FunctionCtx, g: Tensor): Tensor { const [y] = ctx.savedTensors; return g.mul(y!); }
 * }
 * const y = Exp.apply(x);
 */
export class Function {
  /**
   * True where `backward` runs a backward walk of its own (a checkpointed segment, as PyTorch's reentrant
   * CheckpointFunction): such a node is refused by a walk with `createGraph`, whose result would lack a graph, and by
   * one toward chosen tensors (`autograd.grad`, backward's `inputs`), into whose leaves' buffers it would add. @internal
   */
  static readonly runsOwnWalk: boolean = false;

  static forward(_ctx: FunctionCtx, ..._args: never[]): Tensor | readonly Tensor[] {
    throw new Error(`${this.name}.forward is not written: a custom function defines static forward(ctx, ...args) and static backward(ctx, ...gradOutputs)`);
  }

  static backward(_ctx: FunctionCtx, ..._gradOutputs: (Tensor | null)[]): Tensor | null | readonly (Tensor | null)[] {
    throw new Error(`${this.name}.backward is not written: a custom function defines static backward(ctx, ...gradOutputs), returning one gradient per argument of forward`);
  }

  /** Runs the function on `args`, recording one node for its outputs when some tensor argument requires grad. */
  static apply<F extends { forward: Forward; backward: typeof Function.backward; readonly name: string }>(this: F, ...args: ArgsOf<F>): ResultOf<F> {
    if (this === (Function as unknown)) throw new Error('Function.apply: call apply on a subclass that defines static forward and backward (class Exp extends autograd.Function { … })');
    const list = args as unknown[];
    const grad = isGradRecording();
    const needs = list.map((a) => grad && a instanceof Tensor && a.requiresGrad);
    const ctx = new FunctionCtx(needs);
    const raw: unknown = noGrad(() => (this.forward as (ctx: FunctionCtx, ...a: unknown[]) => unknown)(ctx, ...list));
    const many = Array.isArray(raw);
    const outs: unknown[] = many ? [...(raw as unknown[])] : [raw];
    if (outs.length === 0) throw new Error(`${this.name}.forward returned no tensors`);
    const aliases = new Set<Tensor>();
    // markNonDifferentiable names the tensors forward returned; the detached copies below stand for them.
    const marked = outs.map((t) => t instanceof Tensor && ctx.isNonDifferentiable(t));
    outs.forEach((t, k) => {
      if (!(t instanceof Tensor)) throw new TypeError(`${this.name}.forward must return a Tensor or an array of Tensors; ${many ? `its output ${k} is` : 'it returned'} ${describeValue(t)}`);
      // An input returned as it is, or a tensor returned twice, becomes a new tensor over the same storage: the node
      // is the output's own, and the input keeps its history.
      if (list.includes(t) || outs.indexOf(t) !== k) {
        outs[k] = t.detach();
        if (list.includes(t)) aliases.add(outs[k] as Tensor);
      }
    });
    const tensors = outs as Tensor[];
    if (!needs.some(Boolean)) return raw as ResultOf<F>;
    const differentiable = tensors.filter((_, k) => !marked[k]);
    // Views (and inputs returned as they are) refuse in-place changes with autograd following, as PyTorch's.
    for (const t of differentiable) {
      if (t.viewBase !== null || aliases.has(t)) t.functionView = { output: tensors.indexOf(t), multi: differentiable.length > 1 };
    }
    const inputs = list.filter((a): a is Tensor => a instanceof Tensor);
    const name = `${this.name}Backward`;
    const run = (grads: (Tensor | null)[]): (Tensor | null)[] => gradientsOf(this, ctx, list, tensors, grads);
    const saved = ctx.savedTensors.filter((t): t is Tensor => t !== null);
    const ownWalk = (this as { readonly runsOwnWalk?: boolean }).runsOwnWalk === true;
    if (tensors.length === 1 && differentiable.length === 1) {
      const back = (g: Tensor): (Tensor | null)[] => run([g]);
      // With createGraph the user's backward runs with grad mode on: written with ops, it is differentiable again
      // (unless it runs a backward walk of its own, which builds no graph).
      const out = record(tensors[0]!, name, inputs, back, saved, name);
      if (ownWalk) markOwnWalk(out);
      else twice(out, back);
    } else if (differentiable.length > 0) {
      recordJoint(name, inputs, tensors, differentiable, saved, run, ownWalk);
    }
    return (many ? tensors : tensors[0]) as ResultOf<F>;
  }
}

/**
 * Several outputs, one backward: each differentiable output gets a node that keeps its gradient aside and passes a
 * one-element token to a hidden tensor, whose node — walked after every output's, as they all come from it — calls
 * the user's backward once with all the gradients kept (null for an output that got none).
 */
function recordJoint(
  name: string, inputs: Tensor[], outs: Tensor[], differentiable: Tensor[], saved: Tensor[], run: (grads: (Tensor | null)[]) => (Tensor | null)[], ownWalk: boolean,
): void {
  const kept: (Tensor | null)[] = outs.map(() => null);
  const runKept = (): (Tensor | null)[] => {
    try {
      return run(kept.slice());
    } finally {
      kept.fill(null);
    }
  };
  const token = record(new Tensor(new Float32Array(1), [1]), name, inputs, runKept, saved, name);
  const joint = ownWalk ? markOwnWalk(token) : twice(token, runKept);
  outs.forEach((out, k) => {
    if (!differentiable.includes(out)) return;
    const keep = (g: Tensor): Tensor[] => {
      kept[k] = g;
      return [new Tensor(new Float32Array(1), [1])];
    };
    twice(record(out, name, [joint], keep, [], name), keep);
  });
}

/** Marks the node of `out` as one whose backward runs a walk of its own (GraphNode.ownWalk). */
function markOwnWalk(out: Tensor): Tensor {
  const node = out.gradFn;
  if (node instanceof GraphNode) node.ownWalk = true;
  return out;
}

/** Calls `fn.backward` with the outputs' gradients and checks what it returns against the arguments of forward. */
function gradientsOf(
  fn: { backward: typeof Function.backward; readonly name: string }, ctx: FunctionCtx, args: readonly unknown[], outs: readonly Tensor[], grads: (Tensor | null)[],
): (Tensor | null)[] {
  const name = `${fn.name}Backward`;
  const given = ctx.materializesGrads() ? grads.map((g, k) => g ?? new Tensor(new Float32Array(outs[k]!.numel()), outs[k]!.shape)) : grads;
  const result: unknown = fn.backward(ctx, ...given);
  const list: unknown[] = Array.isArray(result) ? result : [result];
  if (list.length < args.length || list.slice(args.length).some((g) => g !== null && g !== undefined)) {
    throw new Error(`function ${name} returned an incorrect number of gradients (expected ${args.length}, got ${list.length}): one per argument of forward, null for one that is not a tensor (PyTorch's message)`);
  }
  const out: (Tensor | null)[] = [];
  args.forEach((a, i) => {
    const g = list[i];
    if (!(a instanceof Tensor)) {
      if (g !== null && g !== undefined) {
        throw new Error(`function ${name} returned a gradient different than null at position ${i + 1}, but the corresponding forward input was not a Tensor (it was ${describeValue(a)})`);
      }
      return;
    }
    if (g === null || g === undefined || !a.requiresGrad) {
      out.push(null);
      return;
    }
    if (!(g instanceof Tensor)) throw new TypeError(`function ${name} returned ${describeValue(g)} as the gradient at position ${i + 1}; expected a Tensor of shape ${formatShape(a.shape)} or null`);
    if (!sameShape(g.shape, a.shape) && !expandable(a.shape, g.shape)) {
      throw new Error(`Function ${name} returned an invalid gradient at index ${i} - got ${formatShape(g.shape)} but expected shape compatible with ${formatShape(a.shape)}`);
    }
    out.push(sumToShape(g, a.shape));
  });
  return out;
}

/** Whether a tensor of shape `from` broadcasts to shape `to` (PyTorch's is_expandable_to). */
function expandable(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const lead = to.length - from.length;
  return from.every((s, i) => s === to[lead + i] || s === 1);
}
