// torch.autograd.functional's tools that differentiate a gradient again: hessian, vhp, hvp and jvp (the last by
// PyTorch's double-vjp trick). Each walks the graph with createGraph (autograd/twice.ts), so the function must be
// written with ops whose gradients are differentiable (the README lists them under "Second derivatives").
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { grad } from './grad.js';
import { checkCreateGraph, checkStrategy, checkStrict, outputsOf, preparedInputs, zerosOf, type Fn } from './functional-args.js';
import { jacobianOfOutput, jacobianWithGraph } from './jacobian-rows.js';
import { checkGradInputs, checkJacobian, checkOutputsRequireGrad, checkResult, type Stage } from './functional-strict.js';

/** Options of `vhp`, `hvp` and `jvp`, as PyTorch's keyword arguments. */
export interface SecondOrderOptions {
  /** Build the graph of the result (PyTorch's `create_graph`), so that it can be differentiated again. */
  createGraph?: boolean;
  /**
   * Refuse, with PyTorch's messages, what would give zeros (an output that does not require grad, an input the result
   * does not depend on, for hvp and vhp a first derivative that does not depend on the inputs) and, with
   * `createGraph`, a result that does not depend on the inputs, which could not be differentiated again (PyTorch's
   * `strict`).
   */
  strict?: boolean;
}

/** Options of `hessian`. */
export interface HessianOptions extends SecondOrderOptions {
  /**
   * Accepted for PyTorch's scripts: the rows are computed one backward each either way (the values are the same). As
   * in PyTorch, not with `strict`.
   */
  vectorize?: boolean;
  /**
   * 'reverse-mode' (PyTorch's default) or 'forward-mode' (PyTorch's: only with `vectorize`, without `strict` and
   * `createGraph`); Kindling computes the same values by reverse mode either way.
   */
  outerJacobianStrategy?: 'reverse-mode' | 'forward-mode';
}

/** The function's one output, which must hold one element (PyTorch's rule for hessian, vhp and hvp). */
function scalarOutput(op: string, outs: { list: Tensor[]; many: boolean }): Tensor {
  if (outs.many) throw new TypeError(`${op}: the function given to ${op} must return a single Tensor, not an array (PyTorch's rule)`);
  const y = outs.list[0]!;
  if (y.numel() !== 1) throw new RangeError(`${op}: the Tensor returned by the function must contain a single element, got shape ${formatShape(y.shape)}`);
  return y;
}

function independent(op: string, what: string, j: number): Error {
  return new Error(`${op}: ${what} is independent of input ${j}, which strict mode does not allow; leave strict out to get zeros`);
}

/**
 * `v` as one tensor per input, checked against their shapes; left out (or null), a one for an input of one element
 * (PyTorch allows that only for a single input with a single element).
 */
function vectorsFor(op: string, inputs: readonly Tensor[], many: boolean, v: unknown): Tensor[] {
  if (v === undefined || v === null) {
    if (many || inputs[0]!.numel() !== 1) {
      throw new RangeError(`${op}: v can only be left out when the input is a single Tensor with a single element (PyTorch's rule); give one tensor per input, of its shape`);
    }
    return [new Tensor(new Float32Array([1]), inputs[0]!.shape)];
  }
  const list: unknown[] = Array.isArray(v) ? v : [v];
  if (list.length !== inputs.length) throw new RangeError(`${op}: v has ${list.length} tensor${list.length === 1 ? '' : 's'} but there ${inputs.length === 1 ? 'is 1 input' : `are ${inputs.length} inputs`}`);
  return list.map((t, i) => {
    const what = many ? `v[${i}]` : 'v';
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describeValue(t)}`);
    if (formatShape(t.shape) !== formatShape(inputs[i]!.shape)) {
      throw new RangeError(`${op}: ${what} has shape ${formatShape(t.shape)} but ${many ? `input ${i}` : 'the input'} has shape ${formatShape(inputs[i]!.shape)}`);
    }
    return t;
  });
}

/** Reads `(v?, options?)` or `(options)`, as vjp does. */
function vectorAndOptions(op: string, v: unknown, options: unknown): { v: unknown; createGraph: boolean; strict: boolean } {
  const optionsThird = isPlainObject(v);
  if (optionsThird && options !== undefined) throw new TypeError(`${op}: the options come last, as in ${op}(func, inputs, v, { createGraph: true }); got ${describeValue(options)} after the options`);
  const opts = checkOptions<SecondOrderOptions>(op, (optionsThird ? v : options) as SecondOrderOptions | undefined, ['createGraph', 'strict']);
  return { v: optionsThird ? undefined : v, createGraph: checkCreateGraph(op, opts), strict: checkStrict(op, opts) };
}

/**
 * Gradients of `outputs` (those that require grad, with their `seeds`) with respect to `inputs` (cut from the graph
 * unless `createGraph`), null where an input gets none (PyTorch's _autograd_grad).
 */
function gradsOf(outputs: readonly (Tensor | null)[], seeds: readonly Tensor[], inputs: readonly Tensor[], createGraph: boolean): (Tensor | null)[] {
  const pairs = outputs.map((o, i) => [o, seeds[i]!] as const).filter((p): p is readonly [Tensor, Tensor] => p[0] !== null && p[0].requiresGrad);
  if (pairs.length === 0) return inputs.map(() => null);
  return grad(pairs.map(([o]) => o), inputs, pairs.map(([, s]) => s), { createGraph, allowUnused: true }).map((g) => (g === null || createGraph ? g : g.detach()));
}

/**
 * The results, zeros where one is missing; with `strict`, checked first as PyTorch's at `stage` (functional-strict.ts).
 * `like` gives each result's shape.
 */
function filled(op: string, stage: Stage, results: readonly (Tensor | null)[], like: readonly Tensor[], strict: boolean, createGraph: boolean): Tensor[] {
  return results.map((r, i) => {
    if (strict) checkResult(op, stage, r, i, createGraph);
    return r ?? zerosOf(like[i]!.shape);
  });
}

/**
 * PyTorch's double-backward trick, for the tensors `outs` (null, or one without a graph, where there is nothing to
 * differentiate): with a vector u of each one's shape, the gradient of Σ uᵀ·∂out/∂inputs with respect to u in the
 * direction `vs` (one per input) — J·v for each out, as a reverse-mode engine computes a forward derivative. Null at
 * the places of `outs` with nothing to differentiate, or whose u the gradient does not depend on. `checkBack`, where
 * given, sees the gradients with respect to the inputs first (jvp's strict check).
 */
function doubleBackward(
  outs: readonly (Tensor | null)[], inputs: readonly Tensor[], vs: readonly Tensor[], createGraph: boolean, checkBack: ((back: readonly (Tensor | null)[]) => void) | null,
): (Tensor | null)[] {
  const used = outs.map((o, k) => [o, k] as const).filter((p): p is readonly [Tensor, number] => p[0] !== null && p[0].requiresGrad);
  if (used.length === 0) return outs.map(() => null);
  const dummies = used.map(([o]) => zerosOf(o.shape).requiresGrad_());
  const back = grad(used.map(([o]) => o), inputs, dummies, { createGraph: true, allowUnused: true });
  if (checkBack !== null) checkBack(back);
  const perUsed = gradsOf(back, vs, dummies, createGraph);
  return outs.map((_, k) => {
    const u = used.findIndex(([, j]) => j === k);
    return u >= 0 ? perUsed[u]! : null;
  });
}

/** The first derivatives of y with their graph (null where y does not depend on an input). */
function firstDerivatives(y: Tensor, inputs: readonly Tensor[]): (Tensor | null)[] {
  return y.requiresGrad ? grad(y, inputs, { createGraph: true, allowUnused: true }) : inputs.map(() => null);
}

/**
 * What vhp and hvp start from: the options, the inputs, v, the function's one output and its first derivatives
 * (checked, with `strict`, as PyTorch checks them).
 */
function hessianProduct(op: string, func: Fn, inputs: Tensor | readonly Tensor[], v: unknown, options: SecondOrderOptions | undefined) {
  const args = vectorAndOptions(op, v, options);
  const ins = preparedInputs(op, inputs, args.createGraph);
  const vs = vectorsFor(op, ins.list, ins.many, args.v);
  const y = scalarOutput(op, outputsOf(op, func, ins.list));
  if (args.strict) checkOutputsRequireGrad(op, [y]);
  const firsts = firstDerivatives(y, ins.list);
  if (args.strict) checkJacobian(op, firsts);
  return { args, ins, vs, y, firsts };
}

/**
 * The Hessian of a function returning one element, as PyTorch's `torch.autograd.functional.hessian`: for inputs i
 * and j, a tensor of shape [...input_i.shape, ...input_j.shape] holding ∂²f/∂input_i∂input_j. A single input gives
 * one tensor, an array of inputs an array of arrays. Computed as the Jacobian of the gradient (one backward per
 * element of each input, through the gradient's graph).
 *
 * @example hessian((x) => x.pow(3).sum(), tensor([1, 2]));   // [[6, 0], [0, 12]]
 */
export function hessian(func: (input: Tensor) => Tensor, inputs: Tensor, options?: HessianOptions): Tensor;
export function hessian(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options?: HessianOptions): Tensor[][];
export function hessian(func: Fn, inputs: Tensor | readonly Tensor[], options?: HessianOptions): Tensor | Tensor[][] {
  const opts = checkOptions<HessianOptions>('hessian', options, ['createGraph', 'strict', 'vectorize', 'outerJacobianStrategy']);
  const strict = checkStrict('hessian', opts);
  const createGraph = checkCreateGraph('hessian', opts);
  checkStrategy('hessian', 'outerJacobianStrategy', { vectorize: opts.vectorize, strategy: opts.outerJacobianStrategy, strict, createGraph });
  const ins = preparedInputs('hessian', inputs, createGraph);
  const y = scalarOutput('hessian', outputsOf('hessian', func, ins.list));
  if (strict) checkOutputsRequireGrad('hessian', [y]);
  const firsts = firstDerivatives(y, ins.list);
  const blocks = firsts.map((g, i) => {
    if (g === null || !g.requiresGrad) {
      if (strict) throw independent('hessian', g === null ? 'the output of the function' : 'the gradient of the function', i);
      return ins.list.map((t) => zerosOf([...ins.list[i]!.shape, ...t.shape]));
    }
    // Every row walks the first derivatives' shared graph: it is kept until the last (retained, not released).
    return createGraph ? jacobianWithGraph(g, i, ins.list, strict) : jacobianOfOutput(g, i, ins.list, strict, true);
  });
  return ins.many ? blocks : blocks[0]![0]!;
}

/**
 * The vector-Hessian product vᵀ·H of a function returning one element, as PyTorch's `vhp`: returns
 * `[output, vhp]`, the function's output (cut from the graph unless `createGraph`) and, for each input, the gradient
 * of Σ v·∇f with respect to it. `v` has one tensor per input, of its shape.
 *
 * @example const [f, vh] = vhp((x) => x.pow(3).sum(), x, tensor([1, 0]));
 */
export function vhp(func: (input: Tensor) => Tensor, inputs: Tensor, v?: Tensor | null | SecondOrderOptions, options?: SecondOrderOptions): [Tensor, Tensor];
export function vhp(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], v: readonly Tensor[], options?: SecondOrderOptions): [Tensor, Tensor[]];
export function vhp(func: Fn, inputs: Tensor | readonly Tensor[], v?: unknown, options?: SecondOrderOptions): [Tensor, Tensor | Tensor[]] {
  const { args, ins, vs, y, firsts } = hessianProduct('vhp', func, inputs, v, options);
  const result = filled('vhp', 'double_back', gradsOf(firsts, vs, ins.list, args.createGraph), ins.list, args.strict, args.createGraph);
  return [args.createGraph ? y : y.detach(), ins.many ? result : result[0]!];
}

/**
 * The Hessian-vector product H·v of a function returning one element, as PyTorch's `hvp`: returns `[output, hvp]`.
 * Computed as PyTorch computes it, by the double-backward trick (the gradient of the gradient's vector-Jacobian
 * product with respect to the vector), so for a symmetric Hessian it equals `vhp` up to rounding.
 *
 * @example const [f, hv] = hvp((x) => x.pow(3).sum(), x, tensor([1, 0]));
 */
export function hvp(func: (input: Tensor) => Tensor, inputs: Tensor, v?: Tensor | null | SecondOrderOptions, options?: SecondOrderOptions): [Tensor, Tensor];
export function hvp(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], v: readonly Tensor[], options?: SecondOrderOptions): [Tensor, Tensor[]];
export function hvp(func: Fn, inputs: Tensor | readonly Tensor[], v?: unknown, options?: SecondOrderOptions): [Tensor, Tensor | Tensor[]] {
  const { args, ins, vs, y, firsts } = hessianProduct('hvp', func, inputs, v, options);
  // u ↦ uᵀ·∂∇f/∂x, differentiated with respect to u in the direction v: H·v.
  const result = filled('hvp', 'double_back_trick', doubleBackward(firsts, ins.list, vs, args.createGraph, null), ins.list, args.strict, args.createGraph);
  return [args.createGraph ? y : y.detach(), ins.many ? result : result[0]!];
}

/**
 * The Jacobian-vector product J·v, as PyTorch's `jvp`: returns `[outputs, jvp]`, the function's outputs and, for each
 * output, the derivative of the function in the direction v (one tensor per input, of its shape). Computed as PyTorch
 * computes it without forward mode, by the double-vjp trick: the vector-Jacobian product with a vector u, itself
 * differentiated with respect to u.
 *
 * @example const [y, t] = jvp((x) => x.exp(), tensor([0, 1]), tensor([1, 1]));   // t = e^x
 */
export function jvp(func: (input: Tensor) => Tensor, inputs: Tensor, v?: Tensor | null | SecondOrderOptions, options?: SecondOrderOptions): [Tensor, Tensor];
export function jvp(func: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], v: readonly Tensor[], options?: SecondOrderOptions): [Tensor, Tensor];
export function jvp(func: (input: Tensor) => readonly Tensor[], inputs: Tensor, v?: Tensor | null | SecondOrderOptions, options?: SecondOrderOptions): [Tensor[], Tensor[]];
export function jvp(func: (...inputs: Tensor[]) => readonly Tensor[], inputs: readonly Tensor[], v: readonly Tensor[], options?: SecondOrderOptions): [Tensor[], Tensor[]];
export function jvp(func: Fn, inputs: Tensor | readonly Tensor[], v?: unknown, options?: SecondOrderOptions): [Tensor | Tensor[], Tensor | Tensor[]] {
  const args = vectorAndOptions('jvp', v, options);
  const ins = preparedInputs('jvp', inputs, args.createGraph);
  const vs = vectorsFor('jvp', ins.list, ins.many, args.v);
  const outs = outputsOf('jvp', func, ins.list);
  if (args.strict) checkOutputsRequireGrad('jvp', outs.list);
  const checkBack = args.strict ? (back: readonly (Tensor | null)[]) => checkGradInputs('jvp', back) : null;
  const result = filled('jvp', 'back_trick', doubleBackward(outs.list, ins.list, vs, args.createGraph, checkBack), outs.list, args.strict, args.createGraph);
  const shown = args.createGraph ? outs.list : outs.list.map((o) => o.detach());
  return [outs.many ? shown : shown[0]!, outs.many ? result : result[0]!];
}
