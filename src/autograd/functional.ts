import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { grad } from './grad.js';
import { checkCreateGraph, checkStrategy, checkStrict, outputsOf, preparedInputs, zerosOf, type Fn } from './functional-args.js';
import { checkOutputsRequireGrad, checkResult } from './functional-strict.js';
import { jacobianOfOutput, jacobianWithGraph } from './jacobian-rows.js';

// torch.autograd.functional: jacobian and vjp here, by reverse mode (one backward per output element for the
// Jacobian); hessian, hvp, vhp and jvp, which differentiate a gradient again, in second-order.ts.
export { hessian, hvp, jvp, vhp, type HessianOptions, type SecondOrderOptions } from './second-order.js';

/** Options of `jacobian`, as PyTorch's keyword arguments. */
export interface JacobianOptions {
  /** Refuse an output that does not depend on some input, instead of giving zeros (PyTorch's `strict`). */
  strict?: boolean;
  /**
   * Accepted for PyTorch's scripts: the rows are computed one backward each either way (the values are the same). As
   * in PyTorch, not with `strict`.
   */
  vectorize?: boolean;
  /**
   * 'reverse-mode' (PyTorch's default) or 'forward-mode' (PyTorch's: only with `vectorize`, without `strict` and
   * `createGraph`); Kindling computes the same values by reverse mode either way.
   */
  strategy?: 'reverse-mode' | 'forward-mode';
  /**
   * Build the graph of the result (PyTorch's `create_graph`): the Jacobian can then be differentiated with respect to
   * the inputs given (those that require grad).
   */
  createGraph?: boolean;
}

/** Options of `vjp`. */
export interface VjpOptions {
  /**
   * Refuse, with PyTorch's messages, an output that does not require grad and an input the outputs do not depend on,
   * instead of giving zeros; with `createGraph`, also a result that does not depend on the inputs (a linear function's),
   * which could not be differentiated again (PyTorch's `strict`).
   */
  strict?: boolean;
  /** Build the graph of the result (PyTorch's `create_graph`), so that it can be differentiated again. */
  createGraph?: boolean;
}

/**
 * The Jacobian of `func` at `inputs`, as PyTorch's `torch.autograd.functional.jacobian`: for output i and input j, a
 * tensor of shape [...output_i.shape, ...input_j.shape] holding ∂output_i/∂input_j. A single input and a single
 * output give one tensor; an array of inputs (or of outputs) gives an array; both, an array (outputs) of arrays
 * (inputs). Entries of an output that does not depend on an input are zeros (an error with `strict`).
 *
 * @example
 * jacobian((x) => x.exp(), tensor([0.5, 1]));            // 2×2, diagonal e^x
 * const [[dy_du, dy_dv]] = jacobian((u, v) => [u.mul(v)], [u, v]);
 */
export function jacobian(func: (input: Tensor) => Tensor, inputs: Tensor, options?: JacobianOptions): Tensor;
export function jacobian(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options?: JacobianOptions): Tensor[];
export function jacobian(func: (input: Tensor) => readonly Tensor[], inputs: Tensor, options?: JacobianOptions): Tensor[];
export function jacobian(func: (...inputs: Tensor[]) => readonly Tensor[], inputs: readonly Tensor[], options?: JacobianOptions): Tensor[][];
export function jacobian(func: Fn, inputs: Tensor | readonly Tensor[], options?: JacobianOptions): Tensor | Tensor[] | Tensor[][] {
  const opts = checkOptions<JacobianOptions>('jacobian', options, ['strict', 'vectorize', 'strategy', 'createGraph']);
  const strict = checkStrict('jacobian', opts);
  const createGraph = checkCreateGraph('jacobian', opts);
  checkStrategy('jacobian', 'strategy', { vectorize: opts.vectorize, strategy: opts.strategy, strict, createGraph });
  const ins = preparedInputs('jacobian', inputs, createGraph);
  const outs = outputsOf('jacobian', func, ins.list);
  if (strict) checkOutputsRequireGrad('jacobian', outs.list);
  const rows = outs.list.map((out, i) => (createGraph ? jacobianWithGraph(out, i, ins.list, strict) : jacobianOfOutput(out, i, ins.list, strict)));
  if (outs.many) return ins.many ? rows : rows.map((r) => r[0]!);
  return ins.many ? rows[0]! : rows[0]![0]!;
}

/**
 * The vector-Jacobian product of `func` at `inputs`, as PyTorch's `torch.autograd.functional.vjp`: returns
 * `[outputs, vjp]`, the function's outputs (cut from the graph) and vᵀ·J for each input — the gradient of
 * Σ v·output with respect to it. `v` has one tensor per output, of its shape; it may be left out (or null) when the
 * function returns one one-element tensor. Inputs the outputs do not depend on get zeros (an error with `strict`).
 *
 * @example const [y, dx] = vjp((x) => x.exp(), x, tensor([1, 2]));
 */
export function vjp(func: (input: Tensor) => Tensor, inputs: Tensor, v?: Tensor | null | VjpOptions, options?: VjpOptions): [Tensor, Tensor];
export function vjp(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], v?: Tensor | null | VjpOptions, options?: VjpOptions): [Tensor, Tensor[]];
export function vjp(func: (input: Tensor) => readonly Tensor[], inputs: Tensor, v: readonly Tensor[], options?: VjpOptions): [Tensor[], Tensor];
export function vjp(func: (...inputs: Tensor[]) => readonly Tensor[], inputs: readonly Tensor[], v: readonly Tensor[], options?: VjpOptions): [Tensor[], Tensor[]];
export function vjp(func: Fn, inputs: Tensor | readonly Tensor[], v?: unknown, options?: VjpOptions): [Tensor | Tensor[], Tensor | Tensor[]] {
  const optionsThird = isPlainObject(v);
  if (optionsThird && options !== undefined) throw new TypeError(`vjp: the options come last, as in vjp(func, inputs, v, { strict: true }); got ${describeValue(options)} after the options`);
  const opts = checkOptions<VjpOptions>('vjp', (optionsThird ? v : options) as VjpOptions | undefined, ['strict', 'createGraph']);
  const strict = checkStrict('vjp', opts);
  const createGraph = checkCreateGraph('vjp', opts);
  const vGiven = optionsThird || v === null ? undefined : v;
  const ins = preparedInputs('vjp', inputs, createGraph);
  const outs = outputsOf('vjp', func, ins.list);
  if (strict) checkOutputsRequireGrad('vjp', outs.list);
  const vs = vectorsFor(outs.list, vGiven, outs.many);
  const differentiable = outs.list.map((o, i) => [o, vs[i]] as const).filter(([o]) => o.requiresGrad);
  const grads: (Tensor | null)[] = differentiable.length === 0
    ? ins.list.map(() => null)
    : grad(differentiable.map(([o]) => o), ins.list, differentiable.map(([, g]) => g), { allowUnused: true, createGraph });
  const result = grads.map((g, j) => {
    if (strict) checkResult('vjp', 'back', g, j, createGraph);
    return g === null ? zerosOf(ins.list[j]!.shape) : g.contiguous();
  });
  const detached = createGraph ? outs.list : outs.list.map((o) => o.detach());
  return [outs.many ? detached : detached[0]!, ins.many ? result : result[0]!];
}

/** v as one tensor (or null: a one) per output, checked against their shapes. */
function vectorsFor(outs: readonly Tensor[], v: unknown, many: boolean): (Tensor | null)[] {
  if (v === undefined) {
    if (outs.length !== 1 || outs[0]!.numel() !== 1) {
      throw new RangeError('vjp: v can only be left out when the function returns a single Tensor with a single element (PyTorch\'s rule); give one tensor per output, of its shape');
    }
    return [null];
  }
  const list: unknown[] = Array.isArray(v) ? v : [v];
  if (list.length !== outs.length) throw new RangeError(`vjp: v has ${list.length} tensor${list.length === 1 ? '' : 's'} but the function returned ${outs.length} output${outs.length === 1 ? '' : 's'}`);
  return list.map((t, i) => {
    const what = many ? `v[${i}]` : 'v';
    if (!(t instanceof Tensor)) throw new TypeError(`vjp: ${what} must be a Tensor, got ${describeValue(t)}`);
    if (formatShape(t.shape) !== formatShape(outs[i]!.shape)) {
      throw new RangeError(`vjp: ${what} has shape ${formatShape(t.shape)} but the function's output${many ? ` ${i}` : ''} has shape ${formatShape(outs[i]!.shape)}`);
    }
    return t;
  });
}
