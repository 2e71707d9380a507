import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue, isPlainObject, type PositionalThenOptions } from '../options.js';
import { graphCallOptions } from './call-arguments.js';
import { graphFlags, seedFor, tensorList, walkFrom, type Targets } from './backward.js';

/** Options of `autograd.grad`, as PyTorch's keyword arguments. */
export interface GradOptions {
  /** Keep the graph's saved values for another walk (PyTorch's `retain_graph`); without it they are released. */
  retainGraph?: boolean;
  /**
   * Give null for an input the outputs do not depend on (PyTorch's `allow_unused`); without it such an input is an
   * error.
   */
  allowUnused?: boolean;
  /**
   * Build the graph of the gradients (PyTorch's `create_graph`), so that they can be differentiated again (second
   * derivatives, Hessian-vector products, gradient penalties). Implies `retainGraph` unless it is given.
   */
  createGraph?: boolean;
  /**
   * Accepted for PyTorch's scripts (the well-known WGAN-GP gradient penalty passes `only_inputs=True`): deprecated and
   * without effect in PyTorch 1.13, which warns when it is false; so does Kindling.
   */
  onlyInputs?: boolean;
}

const GRAD_FLAGS = ['retainGraph', 'createGraph', 'onlyInputs', 'allowUnused'];
const GRAD_USAGE = 'grad(outputs, inputs, gradOutputs, retainGraph, createGraph, onlyInputs, allowUnused), or grad(outputs, inputs, gradOutputs, { retainGraph, createGraph, allowUnused })';
const BACKWARD_FLAGS = ['retainGraph', 'createGraph', 'gradVariables', 'inputs'];
const BACKWARD_USAGE = 'autograd.backward(tensors, gradTensors, retainGraph, createGraph, gradVariables, inputs), or autograd.backward(tensors, gradTensors, { retainGraph, createGraph, inputs })';

const HINTS = {
  isGradsBatched: 'call grad once per gradient of the outputs instead',
};

let warnedOnlyInputs = false;

/** PyTorch's `only_inputs`: a boolean without effect; false gets PyTorch's warning (once per process). */
function checkOnlyInputs(onlyInputs: unknown): void {
  if (onlyInputs === undefined || onlyInputs === true) return;
  if (onlyInputs !== false) throw new TypeError(`grad: onlyInputs must be true or false, got ${describeValue(onlyInputs)}`);
  if (warnedOnlyInputs || typeof process === 'undefined' || typeof process.emitWarning !== 'function') return;
  warnedOnlyInputs = true;
  process.emitWarning('grad: onlyInputs is deprecated and ignored (as PyTorch\'s only_inputs, which defaults to true); to add gradients into other parts of the graph, use autograd.backward');
}

type Outputs = Tensor | readonly Tensor[];
type GradOutputs = Tensor | null | readonly (Tensor | null)[];

/**
 * The gradients of `outputs` with respect to `inputs`, as PyTorch's `torch.autograd.grad`: sum over the outputs of
 * (gradient of the output) · ∂output/∂input, one per input, in order. `gradOutputs` gives each output's gradient
 * (null, or left out, for a one-element output: a one); they may be left out and the options given third.
 *
 * No `.grad` is touched: the gradients are returned. Only the part of the graph that leads to the inputs is walked;
 * inputs may be leaves or tensors computed by ops (their gradient as it arrives, before their hooks run, as PyTorch
 * 1.13's). The walk releases the graph's saved values unless `retainGraph`. An input the outputs do not depend on is
 * an error, or null with `allowUnused`.
 *
 * @example
 * const [dx, dw] = autograd.grad(loss, [x, w]);
 * const [gy] = autograd.grad(y, x, tensor([1, 0, 0]), { retainGraph: true });
 */
export function grad(outputs: Outputs, inputs: Outputs, options: GradOptions & { allowUnused: true }): (Tensor | null)[];
export function grad(outputs: Outputs, inputs: Outputs, options?: GradOptions): Tensor[];
export function grad(outputs: Outputs, inputs: Outputs, gradOutputs: GradOutputs | undefined, options: GradOptions & { allowUnused: true }): (Tensor | null)[];
export function grad(outputs: Outputs, inputs: Outputs, gradOutputs?: GradOutputs, options?: GradOptions): Tensor[];
export function grad(
  outputs: Outputs, inputs: Outputs, gradOutputs: GradOutputs | undefined, ...flags: PositionalThenOptions<[retainGraph: boolean | null, createGraph: boolean, onlyInputs: boolean, allowUnused: boolean], GradOptions>
): (Tensor | null)[];
export function grad(outputs: unknown, inputs: unknown, third?: unknown, ...rest: unknown[]): (Tensor | null)[] {
  const optionsThird = isPlainObject(third);
  const after = optionsThird ? rest.find((v) => v !== undefined) : undefined;
  if (after !== undefined) {
    throw new TypeError(`grad: the options come last, as in grad(outputs, inputs, gradOutputs, { retainGraph: true }); got ${describeValue(after)} after the options`);
  }
  // PyTorch's positional order after grad_outputs: retain_graph, create_graph, only_inputs, allow_unused, then
  // is_grads_batched, which Kindling has not: false (its default) is taken, true refused as by name.
  if (!optionsThird && rest.length > 4 && !isPlainObject(rest[4])) {
    if (rest[4] === true) throw new TypeError(`grad: isGradsBatched (argument 8) is not supported: ${HINTS.isGradsBatched}`);
    if (rest[4] === false || rest[4] === null) rest.splice(4, 1, undefined);
  }
  const options = optionsThird
    ? checkOptions<GradOptions>('grad', third as GradOptions, GRAD_FLAGS as (keyof GradOptions)[], HINTS)
    : graphCallOptions<GradOptions>('grad', [outputs, inputs, third, ...rest], 3, GRAD_FLAGS, GRAD_USAGE, HINTS);
  const { allowUnused = false } = options;
  checkOnlyInputs(options.onlyInputs);
  const { retainGraph, createGraph } = graphFlags('grad', options);
  if (typeof allowUnused !== 'boolean') throw new TypeError(`grad: allowUnused must be true or false, got ${describeValue(allowUnused)}`);
  const outs = outputList('grad', outputs);
  const ins = tensorList('grad', 'inputs', inputs);
  const seeds = seedList('grad', outs, optionsThird ? undefined : third);
  const targets: Targets = { tensors: new Set(ins), capture: true, got: new Map() };
  walkFrom(outs, seeds, retainGraph, targets, createGraph);
  return ins.map((t, i) => {
    const g = targets.got.get(t);
    if (g !== undefined) return g;
    if (allowUnused) return null;
    throw new Error(
      `grad: inputs[${i}] (shape ${formatShape(t.shape)}) appears to not have been used in the graph of the outputs, so it has no gradient. ` +
        'Pass { allowUnused: true } to get null for it instead',
    );
  });
}

/** Options of `autograd.backward`. */
export interface BackwardManyOptions {
  /** As `Tensor.backward`'s: keep the graph's saved values for another walk. */
  retainGraph?: boolean;
  /** As `Tensor.backward`'s: add gradients into these tensors' `.grad` only. */
  inputs?: Tensor | readonly Tensor[];
  /** As `Tensor.backward`'s: build the graph of the gradients too, so that they can be differentiated again. */
  createGraph?: boolean;
}

/**
 * `torch.autograd.backward`: backpropagates from several tensors at once, each with its gradient (null, or left out,
 * for a one-element tensor), adding into the `.grad` of every leaf that requires grad (or of `inputs` only). One walk:
 * a leaf reached from several tensors gets the sum, as from one `backward()` of their weighted sum.
 *
 * @example autograd.backward([loss1, loss2]);
 */
export function backward(tensors: Outputs, gradTensors?: GradOutputs | BackwardManyOptions, options?: BackwardManyOptions): void;
export function backward(
  tensors: Outputs, gradTensors: GradOutputs | undefined, ...flags: PositionalThenOptions<[retainGraph: boolean | null, createGraph: boolean, gradVariables: null, inputs: Tensor | readonly Tensor[] | null], BackwardManyOptions>
): void;
export function backward(tensors: Outputs, gradTensors?: unknown, ...rest: unknown[]): void {
  const optionsSecond = isPlainObject(gradTensors);
  const after = optionsSecond ? rest.find((v) => v !== undefined) : undefined;
  if (after !== undefined) {
    throw new TypeError(`backward: the options come last, as in autograd.backward(tensors, gradTensors, { retainGraph: true }); got ${describeValue(after)} after the options`);
  }
  // PyTorch's positional order after grad_tensors: retain_graph, create_graph, grad_variables (deprecated), inputs.
  const opts = optionsSecond
    ? checkOptions<BackwardManyOptions>('backward', gradTensors as BackwardManyOptions, ['retainGraph', 'createGraph', 'inputs'], HINTS)
    : graphCallOptions<BackwardManyOptions & { gradVariables?: unknown }>('backward', [tensors, gradTensors, ...rest], 2, BACKWARD_FLAGS, BACKWARD_USAGE, HINTS);
  if ('gradVariables' in opts && opts.gradVariables !== null && opts.gradVariables !== undefined) {
    throw new TypeError(`backward: gradVariables is PyTorch's deprecated name for gradTensors (the second argument); give the gradients there, got ${describeValue(opts.gradVariables)}`);
  }
  const { inputs } = opts;
  const { retainGraph, createGraph } = graphFlags('backward', opts);
  const roots = outputList('backward', tensors);
  const seeds = seedList('backward', roots, optionsSecond ? undefined : gradTensors);
  const targets = inputs === undefined ? null : { tensors: new Set(tensorList('backward', 'inputs', inputs)), capture: false, got: new Map<Tensor, Tensor>() };
  walkFrom(roots, seeds, retainGraph, targets, createGraph);
}

/** `given` as a non-empty list of tensors (a tensor alone is a list of one). */
function outputList(op: string, given: unknown): Tensor[] {
  const list = given instanceof Tensor ? [given] : given;
  if (!Array.isArray(list)) throw new TypeError(`${op}: the outputs must be a Tensor or an array of Tensors, got ${describeValue(given)}`);
  if (list.length === 0) throw new RangeError(`${op}: no outputs given to differentiate`);
  list.forEach((t: unknown, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: outputs[${i}] must be a Tensor, got ${describeValue(t)}`);
  });
  return list as Tensor[];
}

/** Each output's starting gradient: `given` (a tensor, or an array with one entry per output; null for a one). */
function seedList(op: string, outs: readonly Tensor[], given: unknown): Tensor[] {
  const list = given === undefined || given === null ? outs.map(() => null) : given instanceof Tensor ? [given] : given;
  if (!Array.isArray(list)) throw new TypeError(`${op}: the gradients of the outputs must be a Tensor, null or an array of them, got ${describeValue(given)}`);
  if (list.length !== outs.length) {
    throw new RangeError(`${op}: ${list.length} gradient${list.length === 1 ? '' : 's'} given for ${outs.length} output${outs.length === 1 ? '' : 's'}; give one per output (null for a one-element output)`);
  }
  return outs.map((t, i) => seedFor(op, t, list[i], outs.length === 1 ? 'the output' : `outputs[${i}]`));
}
