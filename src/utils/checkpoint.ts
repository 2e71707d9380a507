import { backward as backwardMany } from '../autograd/grad.js';
import { Function, type FunctionCtx } from '../autograd/function.js';
import { enableGrad } from '../autograd/grad-mode.js';
import { Module } from '../nn/module.js';
import { checkOptions, describeValue, isPlainObject } from '../options.js';
import { getRngState, setRngState } from '../random.js';
import { Tensor } from '../tensor/tensor.js';

// Activation checkpointing, as torch.utils.checkpoint (PyTorch 1.13's default, reentrant form): the forward pass
// of a segment runs without recording the graph, keeping only its inputs; the backward pass runs the segment again
// with the graph recorded (with the random state it had the first time, so dropout draws the same masks) and
// backpropagates through it. Memory for the segment's activations is traded for a second forward pass.

/** Options of `checkpoint` and `checkpointSequential`, as PyTorch's keyword arguments. */
export interface CheckpointOptions {
  /** Run the segment again with the random state of its first run (PyTorch's `preserve_rng_state`, default true). */
  preserveRngState?: boolean;
  /** Only true (PyTorch 1.13's default), the form built here. */
  useReentrant?: boolean;
}

type Segment = (...args: never[]) => Tensor | readonly Tensor[];

/** The node PyTorch names CheckpointFunctionBackward. */
class CheckpointFunction extends Function {
  static override readonly runsOwnWalk = true;

  static override forward(ctx: FunctionCtx, run: Segment, preserve: boolean, ...args: unknown[]): Tensor | readonly Tensor[] {
    ctx.run = run;
    ctx.rng = preserve ? getRngState() : null;
    ctx.args = args;
    ctx.saveForBackward(...args.filter((a): a is Tensor => a instanceof Tensor));
    return (run as (...a: unknown[]) => Tensor | readonly Tensor[])(...args);
  }

  static override backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
    // Reading savedTensors is what makes backward() refuse an input changed in place since the forward pass.
    void ctx.savedTensors;
    const args = ctx.args as unknown[];
    const inputs = args.map((a) => (a instanceof Tensor ? a.detach().requiresGrad_(a.requiresGrad) : a));
    const rng = ctx.rng as ReturnType<typeof getRngState> | null;
    const now = rng === null ? null : getRngState();
    if (rng !== null) setRngState(rng);
    let out: Tensor | readonly Tensor[];
    try {
      out = enableGrad(() => (ctx.run as (...a: unknown[]) => Tensor | readonly Tensor[])(...inputs));
    } finally {
      if (now !== null) setRngState(now);
    }
    const outs = out instanceof Tensor ? [out] : [...out];
    const pairs = outs.map((o, k) => [o, grads[k] ?? null] as const).filter(([o, g]) => o.requiresGrad && g !== null);
    if (pairs.length === 0) {
      throw new Error('checkpoint: none of the segment\'s outputs requires grad, so there is nothing to backpropagate (PyTorch: "none of output has requires_grad=True, this checkpoint() is not necessary")');
    }
    backwardMany(pairs.map(([o]) => o), pairs.map(([, g]) => g));
    return [null, null, ...inputs.map((t) => (t instanceof Tensor && t.requiresGrad ? t.gradOrNull : null))];
  }
}

/** Splits `checkpoint`'s trailing arguments into the segment's arguments and the options (a plain object, last). */
function argumentsAndOptions(rest: unknown[]): { args: unknown[]; preserve: boolean } {
  const last = rest[rest.length - 1];
  const hasOptions = isPlainObject(last);
  const options = checkOptions<CheckpointOptions>('checkpoint', hasOptions ? (last as CheckpointOptions) : undefined, ['preserveRngState', 'useReentrant']);
  const { preserveRngState = true, useReentrant = true } = options;
  if (typeof preserveRngState !== 'boolean') throw new TypeError(`checkpoint: preserveRngState must be true or false, got ${describeValue(preserveRngState)}`);
  if (useReentrant !== true) {
    throw new RangeError(`checkpoint: only useReentrant: true (PyTorch 1.13's default) is built; got ${describeValue(useReentrant)}`);
  }
  return { args: hasOptions ? rest.slice(0, -1) : rest, preserve: preserveRngState };
}

/**
 * Runs `fn(...args)` as one checkpointed segment, as `torch.utils.checkpoint.checkpoint`: the same outputs and, after
 * backward(), the same gradients as calling `fn` directly, but its intermediate values are not kept — `fn` runs again
 * during backward(). As in PyTorch 1.13's default form, the outputs require grad only when some tensor argument does
 * (so give the segment its input with `requiresGrad`, or its parameters get no gradient), and the random state is
 * saved and restored around the second run so that dropout masks repeat. Options may come last:
 * `checkpoint(fn, x, { preserveRngState: false })`.
 *
 * @example const h = utils.checkpoint.checkpoint((x) => block.forward(x), x);
 */
export function checkpoint<A extends unknown[], R extends Tensor | readonly Tensor[]>(fn: (...args: A) => R, ...args: [...A] | [...A, CheckpointOptions]): R {
  if (typeof fn !== 'function') throw new TypeError(`checkpoint: the first argument must be the function to run, got ${describeValue(fn)}`);
  const { args: list, preserve } = argumentsAndOptions(args);
  return (CheckpointFunction.apply as (run: unknown, preserve: boolean, ...a: unknown[]) => unknown)(fn, preserve, ...list) as R;
}

/**
 * Runs a sequence of modules (or functions) split into `segments` pieces, checkpointing every piece but the last, as
 * `torch.utils.checkpoint.checkpoint_sequential`: each piece is `floor(n / segments)` modules long and the last one
 * takes the rest.
 *
 * @example const y = utils.checkpoint.checkpointSequential(model, 2, x);
 */
export function checkpointSequential(functions: Module | readonly (Module | ((x: Tensor) => Tensor))[], segments: number, input: Tensor, options?: CheckpointOptions): Tensor {
  const list = functions instanceof Module ? functions.children() : functions;
  if (!Array.isArray(list)) throw new TypeError(`checkpointSequential: functions must be a module (its children run in order) or an array of modules or functions, got ${describeValue(functions)}`);
  if (!Number.isInteger(segments) || segments < 1) throw new RangeError(`checkpointSequential: segments must be a positive integer, got ${describeValue(segments)}`);
  if (!(input instanceof Tensor)) throw new TypeError(`checkpointSequential: the input must be a Tensor, got ${describeValue(input)}`);
  const call = (f: Module | ((x: Tensor) => Tensor), x: Tensor): Tensor => (f instanceof Module ? (f.forward as (x: Tensor) => Tensor)(x) : f(x));
  const run = (start: number, end: number) => (x: Tensor): Tensor => {
    let h = x;
    for (let j = start; j <= end; j++) h = call(list[j]!, h);
    return h;
  };
  const size = Math.floor(list.length / segments);
  let end = -1;
  let h = input;
  for (let start = 0; start < size * (segments - 1); start += size) {
    end = start + size - 1;
    h = options === undefined ? checkpoint(run(start, end), h) : checkpoint(run(start, end), h, options);
  }
  return run(end + 1, list.length - 1)(h);
}
