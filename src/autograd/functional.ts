import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { grad } from './grad.js';
import { enableGrad } from './grad-mode.js';

// torch.autograd.functional's first-order tools: jacobian and vjp, by reverse mode (one backward per output element
// for the Jacobian). Second-order ones (hessian, hvp, vhp) and jvp need the graph of a gradient (create_graph), which
// Kindling does not build.

/** Options of `jacobian`, as PyTorch's keyword arguments. */
export interface JacobianOptions {
  /** Refuse an output that does not depend on some input, instead of giving zeros (PyTorch's `strict`). */
  strict?: boolean;
  /** Accepted for PyTorch's scripts: the rows are computed one backward each either way (the values are the same). */
  vectorize?: boolean;
  /** Only 'reverse-mode' (PyTorch's default). */
  strategy?: 'reverse-mode';
}

/** Options of `vjp`. */
export interface VjpOptions {
  /** Refuse an input the outputs do not depend on, instead of giving zeros (PyTorch's `strict`). */
  strict?: boolean;
}

const HINTS = { createGraph: 'Kindling computes first-order gradients only (no graph of the gradient)' };

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

/** The inputs as a list, each a copy cut from the graph that requires grad (PyTorch's `_grad_preprocess`). */
function preparedInputs(op: string, inputs: unknown): { list: Tensor[]; many: boolean } {
  const many = Array.isArray(inputs);
  const given: unknown[] = many ? (inputs as unknown[]) : [inputs];
  if (given.length === 0) throw new RangeError(`${op}: no inputs given`);
  const list = given.map((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${many ? `inputs[${i}]` : 'the input'} must be a Tensor, got ${describeValue(t)}`);
    return t.detach().requiresGrad_();
  });
  return { list, many };
}

/** Runs `func` on the inputs with the graph recorded (even inside noGrad), its result as a list of tensors. */
function outputsOf(op: string, func: unknown, inputs: Tensor[]): { list: Tensor[]; many: boolean } {
  if (typeof func !== 'function') throw new TypeError(`${op}: the first argument must be the function to differentiate, got ${describeValue(func)}`);
  const out: unknown = enableGrad(() => (func as Fn)(...inputs));
  const many = Array.isArray(out);
  const list: unknown[] = many ? (out as unknown[]) : [out];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: the function must return a Tensor or an array of Tensors; ${many ? `its output ${i}` : 'it returned'} ${describeValue(t)}`);
  });
  return { list: list as Tensor[], many };
}

function checkStrict(op: string, options: { strict?: unknown }): boolean {
  const { strict = false } = options;
  if (typeof strict !== 'boolean') throw new TypeError(`${op}: strict must be true or false, got ${describeValue(strict)}`);
  return strict;
}

function independentError(out: number, input: number): Error {
  return new Error(`jacobian: output ${out} of the function is independent of input ${input}, which strict mode does not allow (PyTorch's message); leave strict out to get zeros`);
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
  const opts = checkOptions<JacobianOptions>('jacobian', options, ['strict', 'vectorize', 'strategy'], HINTS);
  const strict = checkStrict('jacobian', opts);
  if (opts.vectorize !== undefined && typeof opts.vectorize !== 'boolean') throw new TypeError(`jacobian: vectorize must be true or false, got ${describeValue(opts.vectorize)}`);
  if (opts.strategy !== undefined && opts.strategy !== 'reverse-mode') {
    throw new RangeError(`jacobian: strategy must be 'reverse-mode', got ${describeValue(opts.strategy)} (Kindling has no forward-mode autograd)`);
  }
  const ins = preparedInputs('jacobian', inputs);
  const outs = outputsOf('jacobian', func, ins.list);
  const rows = outs.list.map((out, i) => jacobianOfOutput(out, i, ins.list, strict));
  if (outs.many) return ins.many ? rows : rows.map((r) => r[0]!);
  return ins.many ? rows[0]! : rows[0]![0]!;
}

/** ∂out/∂input for each input: one backward per element of `out`, with that element's gradient one. */
function jacobianOfOutput(out: Tensor, index: number, inputs: readonly Tensor[], strict: boolean): Tensor[] {
  const n = out.numel();
  const blocks = inputs.map((t) => new Float32Array(n * t.numel()));
  if (!out.requiresGrad) {
    if (strict) throw independentError(index, 0);
  } else {
    for (let e = 0; e < n; e++) {
      const seed = new Float32Array(n);
      seed[e] = 1;
      const grads = grad(out, inputs, new Tensor(seed, out.shape), { retainGraph: e < n - 1, allowUnused: true });
      grads.forEach((g, j) => {
        if (g === null) {
          if (strict) throw independentError(index, j);
          return;
        }
        blocks[j]!.set(g.values(), e * inputs[j]!.numel());
      });
    }
  }
  return inputs.map((t, j) => new Tensor(blocks[j]!, [...out.shape, ...t.shape]));
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
  const opts = checkOptions<VjpOptions>('vjp', (optionsThird ? v : options) as VjpOptions | undefined, ['strict'], HINTS);
  const strict = checkStrict('vjp', opts);
  const vGiven = optionsThird || v === null ? undefined : v;
  const ins = preparedInputs('vjp', inputs);
  const outs = outputsOf('vjp', func, ins.list);
  const vs = vectorsFor(outs.list, vGiven, outs.many);
  const differentiable = outs.list.map((o, i) => [o, vs[i]] as const).filter(([o]) => o.requiresGrad);
  const grads: (Tensor | null)[] = differentiable.length === 0
    ? ins.list.map(() => null)
    : grad(differentiable.map(([o]) => o), ins.list, differentiable.map(([, g]) => g), { allowUnused: true });
  const result = grads.map((g, j) => {
    if (g !== null) return g.contiguous();
    if (strict) throw new Error(`vjp: the outputs of the function are independent of input ${j}, which strict mode does not allow; leave strict out to get zeros`);
    return new Tensor(new Float32Array(ins.list[j]!.numel()), ins.list[j]!.shape);
  });
  const detached = outs.list.map((o) => o.detach());
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
