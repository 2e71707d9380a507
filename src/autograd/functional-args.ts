// The arguments torch.autograd.functional's tools share: the inputs cut from the graph, the function's outputs, the
// common options (strict, createGraph).
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../options.js';
import { enableGrad } from './grad-mode.js';
import { reshape } from '../ops/view.js';

export type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

/**
 * The inputs as a list, each a copy cut from the graph that requires grad (PyTorch's `_grad_preprocess`); with
 * `createGraph`, an input that requires grad is a view of itself instead, so that the result stays differentiable with
 * respect to it.
 */
export function preparedInputs(op: string, inputs: unknown, createGraph = false): { list: Tensor[]; many: boolean } {
  const many = Array.isArray(inputs);
  const given: unknown[] = many ? (inputs as unknown[]) : [inputs];
  if (given.length === 0) throw new RangeError(`${op}: no inputs given`);
  const list = given.map((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${many ? `inputs[${i}]` : 'the input'} must be a Tensor, got ${describeValue(t)}`);
    return createGraph && t.requiresGrad ? reshape(t, t.shape) : t.detach().requiresGrad_();
  });
  return { list, many };
}

/** Runs `func` on the inputs with the graph recorded (even inside noGrad), its result as a list of tensors. */
export function outputsOf(op: string, func: unknown, inputs: Tensor[]): { list: Tensor[]; many: boolean } {
  if (typeof func !== 'function') throw new TypeError(`${op}: the first argument must be the function to differentiate, got ${describeValue(func)}`);
  const out: unknown = enableGrad(() => (func as Fn)(...inputs));
  const many = Array.isArray(out);
  const list: unknown[] = many ? (out as unknown[]) : [out];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: the function must return a Tensor or an array of Tensors; ${many ? `its output ${i}` : 'it returned'} ${describeValue(t)}`);
  });
  return { list: list as Tensor[], many };
}

export function checkStrict(op: string, options: { strict?: unknown }): boolean {
  const { strict = false } = options;
  if (typeof strict !== 'boolean') throw new TypeError(`${op}: strict must be true or false, got ${describeValue(strict)}`);
  return strict;
}

/**
 * `vectorize` and the strategy option `name` (jacobian's `strategy`, hessian's `outerJacobianStrategy`), checked by
 * PyTorch 1.13's rules: 'reverse-mode' or 'forward-mode'; 'forward-mode' only with `vectorize`, and with neither
 * `createGraph` nor `strict`; `strict` not with `vectorize`. Kindling computes every Jacobian by reverse mode, one
 * backward per row, which gives the same values whatever these options say: they are checked so that a script that
 * runs here runs on PyTorch too, and so that PyTorch's documented `vectorize: true, outerJacobianStrategy:
 * 'forward-mode'` for a Hessian is taken.
 */
export function checkStrategy(op: string, name: string, options: { vectorize?: unknown; strategy: unknown; strict: boolean; createGraph: boolean }): void {
  const { vectorize = false, strategy = 'reverse-mode', strict, createGraph } = options;
  if (typeof vectorize !== 'boolean') throw new TypeError(`${op}: vectorize must be true or false, got ${describeValue(vectorize)}`);
  if (strategy !== 'reverse-mode' && strategy !== 'forward-mode') {
    throw new RangeError(`${op}: ${name} must be 'forward-mode' or 'reverse-mode', got ${describeValue(strategy)} (PyTorch: "Expected strategy to be either "forward-mode" or "reverse-mode"")`);
  }
  const pytorch = (words: string): string => `(PyTorch: "torch.autograd.functional.jacobian: ${words}")`;
  if (strategy === 'forward-mode') {
    if (createGraph) throw new Error(`${op}: createGraph and ${name} 'forward-mode' do not go together; leave one out ${pytorch('`create_graph=True` and `strategy="forward-mode"` are not supported together (yet)')}`);
    if (strict) throw new Error(`${op}: strict and ${name} 'forward-mode' do not go together; leave one out ${pytorch('`strict=True` and `strategy="forward-mode"` are not supported together (yet)')}`);
    if (!vectorize) throw new Error(`${op}: ${name} 'forward-mode' needs vectorize: true (PyTorch: "Computing Jacobian using forward-AD or forward-over-reverse Hessian is only implemented for \`vectorize=True\`")`);
  }
  if (strict && vectorize) throw new Error(`${op}: strict and vectorize do not go together; leave one out ${pytorch('`strict=True` and `vectorized=True` are not supported together')}`);
}

/** The createGraph option checked (false when left out). */
export function checkCreateGraph(op: string, options: { createGraph?: unknown }): boolean {
  const { createGraph = false } = options;
  if (typeof createGraph !== 'boolean') throw new TypeError(`${op}: createGraph must be true or false, got ${describeValue(createGraph)}`);
  return createGraph;
}

/** A zero-filled tensor of `shape`, outside the graph (the gradient of an input a function does not depend on). */
export function zerosOf(shape: readonly number[]): Tensor {
  let n = 1;
  for (const s of shape) n *= s;
  return new Tensor(new Float32Array(n), shape);
}
