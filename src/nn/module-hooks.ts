// Module hooks, as PyTorch 1.13's: forward pre-hooks (hook(module, args): nothing, or the arguments to use — an
// array, or one value), forward hooks (hook(module, args, output): nothing, or the output to use) and full backward
// hooks (hook(module, gradInput, gradOutput): nothing, or the gradients to send on to the module's input). Kindling's
// modules are called through `forward`, so registering a module's first hook gives that module an own, hidden
// `forward` that runs the hooks around the one it had; the member scan and saved models do not see it.
import { isGradRecording } from '../autograd/grad-mode.js';
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { RemovableHandle } from '../autograd/hooks.js';
import { describeValue } from '../options.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';
import { PackedSequence } from './utils/packed-sequence.js';

export type ForwardPreHook = (module: Module, args: unknown[]) => unknown;
export type ForwardHook = (module: Module, args: unknown[], output: unknown) => unknown;
export type FullBackwardHook = (module: Module, gradInput: (Tensor | null)[], gradOutput: (Tensor | null)[]) => (Tensor | null)[] | Tensor | void | undefined;

interface Hooks {
  pre: { readonly hook: ForwardPreHook }[];
  post: { readonly hook: ForwardHook }[];
  backward: { readonly hook: FullBackwardHook }[];
}

const HOOKS = new WeakMap<Module, Hooks>();

/** The module's hooks, its forward wrapped on first use. */
function hooksOf(m: Module): Hooks {
  let h = HOOKS.get(m);
  if (h !== undefined) return h;
  h = { pre: [], post: [], backward: [] };
  HOOKS.set(m, h);
  const inner = m.forward;
  const state = h;
  Object.defineProperty(m, 'forward', {
    value: function forward(this: Module, ...args: unknown[]): unknown {
      return callWithHooks(m, state, inner, args);
    },
    enumerable: false, configurable: true, writable: true,
  });
  return h;
}

function callWithHooks(m: Module, h: Hooks, inner: (...a: never[]) => unknown, given: unknown[]): unknown {
  let args = given;
  for (const { hook } of [...h.pre]) {
    const r = hook(m, args);
    if (r !== undefined && r !== null) args = Array.isArray(r) ? r : [r];
  }
  // The full backward hooks as they are now, PyTorch 1.13's `_get_backward_hooks()` at forward time: one removed
  // before backward() still runs for this call, one added after the forward does not.
  const backward = h.backward.length > 0 ? backwardHookCall(m, h.backward.map((e) => e.hook), args) : null;
  if (backward !== null) args = backward.args;
  let out = (inner as (...a: unknown[]) => unknown).apply(m, args);
  for (const { hook } of [...h.post]) {
    const r = hook(m, args, out);
    if (r !== undefined && r !== null) out = r;
  }
  return backward === null ? out : backward.output(out);
}

/** A one-element tensor: what a joint's output nodes pass on to it. */
const token = (): Tensor => new Tensor(new Float32Array(1), [1]);

/**
 * PyTorch's BackwardHookFunction on `xs` (tensors that require grad): copies of them, returned as they are by a node
 * whose backward gets all their gradients at once (null for a copy that got none) and sends on what `onGrads` returns
 * (null: no gradient for that one). One tensor has one node; several have, as `autograd.Function`'s several outputs,
 * a node each that keeps its gradient aside and a joint node, walked after all of theirs, that calls `onGrads` once.
 */
function hookFunction(xs: readonly Tensor[], onGrads: (grads: (Tensor | null)[]) => (Tensor | null)[]): Tensor[] {
  const name = 'BackwardHookFunctionBackward';
  const copy = (x: Tensor, k: number): Tensor => {
    const out = new Tensor(x.toArray(), x.shape);
    // PyTorch's BackwardHookFunction returns its arguments as they are: changing one in place is refused (ops/inplace.ts).
    out.functionView = { output: k, multi: xs.length > 1 };
    return out;
  };
  // With createGraph the hooks see (and may return) gradients that carry their graphs.
  if (xs.length === 1) {
    const one = (g: Tensor): (Tensor | null)[] => onGrads([g]);
    return [twice(record(copy(xs[0]!, 0), 'backwardHook', xs, one, [], name), one)];
  }
  const kept: (Tensor | null)[] = xs.map(() => null);
  const all = (): (Tensor | null)[] => {
    try {
      return onGrads(kept.slice());
    } finally {
      kept.fill(null);
    }
  };
  const joint = twice(record(token(), 'backwardHook', xs, all, [], name), all);
  return xs.map((x, k) => {
    const keep = (g: Tensor): Tensor[] => {
      kept[k] = g;
      return [token()];
    };
    return twice(record(copy(x, k), 'backwardHook', [joint], keep, [], name), keep);
  });
}

/**
 * One call's full backward hooks, PyTorch 1.13's BackwardHook: the tensor arguments and the tensor outputs (the
 * output itself, the tensors of an output array, PyTorch's tuple, or the fields of a PackedSequence, PyTorch's
 * namedtuple; not those nested deeper, as an LSTM's `[h, c]`) pass through BackwardHookFunction nodes that catch their gradients. The hooks run when the inputs'
 * gradients are known (or, when no input requires grad, when the outputs' are), with `gradInput` one entry per
 * argument of forward (null for one that is not a tensor; zeros for a tensor that got no gradient) and `gradOutput`
 * one per output (null for one that is not a tensor or got no gradient); they may return the gradients to send on to
 * the inputs instead, one per argument (those at arguments that are not tensors are dropped), null for none. As
 * PyTorch's, they run only when the outputs' gradients came by in the same pass: a gradient reaching the inputs
 * without passing an output (a double backward through a gradient computed with createGraph, or a gradient through
 * an LSTM's `h` alone) goes by as it is.
 */
function backwardHookCall(m: Module, hooks: readonly FullBackwardHook[], args: unknown[]): { args: unknown[]; output: (out: unknown) => unknown } {
  const who = `backward hook of ${m.constructor.name}`;
  // The outputs' gradients in the pass under way, null once the hooks have used them.
  let gradOutput: (Tensor | null)[] | null = null;
  const tensorAt = args.flatMap((a, i) => (a instanceof Tensor ? [i] : []));
  // The arguments that pass through the node: those that require grad (PyTorch's marks the others non-differentiable).
  const gradAt = isGradRecording() ? tensorAt.filter((i) => (args[i] as Tensor).requiresGrad) : [];
  const wrapsInput = gradAt.length > 0;
  const atInputs = (grads: (Tensor | null)[]): (Tensor | null)[] => {
    if (gradOutput === null) return grads;
    let res: (Tensor | null)[] = args.map(() => null);
    for (const i of tensorAt) {
      // A tensor argument that got no gradient (or needs none) has zeros, as PyTorch's node materializes them.
      const t = args[i] as Tensor;
      const k = gradAt.indexOf(i);
      res[i] = (k >= 0 ? grads[k] : null) ?? new Tensor(new Float32Array(t.numel()), t.shape);
    }
    for (const hook of hooks) {
      const r = hook(m, res, gradOutput);
      if (r === undefined || r === null) continue;
      const list: unknown[] = Array.isArray(r) ? r : [r];
      if (list.length !== res.length) {
        throw new RangeError(`${who} returned ${list.length} gradient(s); expected ${res.length}, one per argument of forward (null for one that is not a tensor or gets no gradient), as PyTorch's "Backward hook returned an invalid number of grad_input, got ${list.length}, but expected ${res.length}"`);
      }
      for (const i of tensorAt) {
        const g = list[i];
        if (g !== null && !(g instanceof Tensor)) throw new TypeError(`${who} returned ${describeValue(g)} as the gradient of argument ${i}; expected a Tensor or null`);
        if (g instanceof Tensor && !sameShape(g.shape, (args[i] as Tensor).shape)) {
          throw new RangeError(`${who} changed the shape of the gradient of argument ${i}: ${formatShape(g.shape)}, expected ${formatShape((args[i] as Tensor).shape)}`);
        }
      }
      res = list as (Tensor | null)[];
    }
    gradOutput = null;
    return gradAt.map((i) => res[i] ?? null);
  };
  const hooked = wrapsInput ? hookFunction(gradAt.map((i) => args[i] as Tensor), atInputs) : [];
  const newArgs = wrapsInput ? args.map((a, i) => (gradAt.includes(i) ? hooked[gradAt.indexOf(i)]! : a)) : args;
  const atOutputs = (outs: readonly unknown[], outAt: readonly number[]) => (grads: (Tensor | null)[]): (Tensor | null)[] => {
    gradOutput = outs.map(() => null);
    outAt.forEach((i, k) => {
      gradOutput![i] = grads[k] ?? null;
    });
    if (!wrapsInput) {
      // No input requires grad: the hooks run here, as PyTorch's, with a gradInput of nulls they may only give back.
      const none = args.map(() => null);
      for (const hook of hooks) {
        const r = hook(m, none, gradOutput);
        if (r === undefined || r === null) continue;
        if (!Array.isArray(r) || r.some((v) => v !== null)) {
          throw new Error(`${who}: no input requires a gradient, so the hook must return nothing or nulls (PyTorch: "Backward hook for Modules where no input requires gradient should always return None or None for all gradients.")`);
        }
      }
      gradOutput = null;
    }
    return grads;
  };
  return {
    args: newArgs,
    output: (out) => {
      const many = Array.isArray(out);
      // A PackedSequence is PyTorch's namedtuple, so its hook takes it as a tuple of its four fields: gradOutput is
      // [data's gradient, null, null, null]. (PyTorch 1.13 then returns a plain tuple, which nn.LSTM refuses; this
      // returns a PackedSequence of the same fields, its data passed through the node.)
      const packed = out instanceof PackedSequence;
      const outs: readonly unknown[] = many ? out : packed ? [...out] : [out];
      // Outputs that require grad pass through the node; as PyTorch's, hooks on a module whose outputs need no
      // gradient (or that returns no tensor) never run.
      const outAt = outs.flatMap((o, i) => (o instanceof Tensor && o.requiresGrad ? [i] : []));
      if (!isGradRecording() || outAt.length === 0) return out;
      const passed = hookFunction(outAt.map((i) => outs[i] as Tensor), atOutputs(outs, outAt));
      const result = outs.map((o, i) => (outAt.includes(i) ? passed[outAt.indexOf(i)] : o));
      if (packed) return new PackedSequence(...(result as [Tensor, Tensor, Tensor | null, Tensor | null]));
      return many ? result : result[0];
    },
  };
}

/** Adds a forward pre-hook to `m` (see `Module.registerForwardPreHook`). */
export function addForwardPreHook(m: Module, hook: ForwardPreHook): RemovableHandle {
  return add(hooksOf(m).pre, hook, 'registerForwardPreHook');
}

/** Adds a forward hook to `m`. */
export function addForwardHook(m: Module, hook: ForwardHook): RemovableHandle {
  return add(hooksOf(m).post, hook, 'registerForwardHook');
}

/** Adds a full backward hook to `m`. */
export function addFullBackwardHook(m: Module, hook: FullBackwardHook): RemovableHandle {
  return add(hooksOf(m).backward, hook, 'registerFullBackwardHook');
}

function add<H>(list: { readonly hook: H }[], hook: H, op: string): RemovableHandle {
  if (typeof hook !== 'function') throw new TypeError(`${op}: the hook must be a function, got ${typeof hook}`);
  const entry = { hook };
  list.push(entry);
  return new RemovableHandle(list as never, entry as never);
}
