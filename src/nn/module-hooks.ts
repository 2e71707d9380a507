// Module hooks, as PyTorch 1.13's: forward pre-hooks (hook(module, args): nothing, or the arguments to use — an
// array, or one value), forward hooks (hook(module, args, output): nothing, or the output to use) and full backward
// hooks (hook(module, gradInput, gradOutput): nothing, or the gradients to send on to the module's input). Kindling's
// modules are called through `forward`, so registering a module's first hook gives that module an own, hidden
// `forward` that runs the hooks around the one it had; the member scan and saved models do not see it.
import { record } from '../autograd/record.js';
import { twice } from '../autograd/twice.js';
import { RemovableHandle } from '../autograd/hooks.js';
import { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';

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
  const backward = h.backward.length > 0 ? backwardHookCall(m, h, args) : null;
  if (backward !== null) args = backward.args;
  let out = (inner as (...a: unknown[]) => unknown).apply(m, args);
  for (const { hook } of [...h.post]) {
    const r = hook(m, args, out);
    if (r !== undefined && r !== null) out = r;
  }
  return backward === null ? out : backward.output(out);
}

/** A copy of `x` whose node calls `onGrad` with the gradient and sends on what it returns. */
function hookNode(x: Tensor, onGrad: (g: Tensor) => Tensor | null): Tensor {
  const out = new Tensor(x.toArray(), x.shape);
  // PyTorch's BackwardHookFunction returns its arguments as they are: changing one in place is refused (ops/inplace.ts).
  out.functionView = { output: 0, multi: false };
  // With createGraph the hooks see (and may return) gradients that carry their graphs.
  return twice(record(out, 'backwardHook', [x], (g) => [onGrad(g)], [], 'BackwardHookFunctionBackward'), (g) => [onGrad(g)]);
}

/**
 * One call's full backward hooks: the tensor argument (one, as Kindling's nodes have one output each) and the output
 * pass through nodes that catch their gradients; the hooks run when the input's gradient is known (or, when the input
 * needs none, when the output's is), and may replace it, null included (the input then gets no gradient). As PyTorch
 * 1.13's BackwardHook, they run only when the output's gradient came by in the same pass: a gradient reaching the
 * input without passing the output (a double backward through a gradient computed with createGraph) goes by as it is.
 */
function backwardHookCall(m: Module, h: Hooks, args: unknown[]): { args: unknown[]; output: (out: unknown) => unknown } {
  const tensors = args.filter((a): a is Tensor => a instanceof Tensor);
  if (tensors.length > 1) {
    throw new TypeError(`registerFullBackwardHook: Kindling runs full backward hooks for modules called with one tensor; ${m.constructor.name}.forward got ${tensors.length}`);
  }
  // The output's gradient in the pass under way, null once the hooks have used it.
  let gradOutput: Tensor | null = null;
  const run = (gradInput: Tensor | null): Tensor | null => {
    let grads: (Tensor | null)[] = [gradInput];
    for (const { hook } of [...h.backward]) {
      const r = hook(m, grads, [gradOutput]);
      if (r === undefined || r === null) continue;
      const list = Array.isArray(r) ? r : [r];
      if (gradInput === null && list.some((v) => v !== null)) {
        throw new Error(`backward hook of ${m.constructor.name}: its input requires no gradient, so the hook must return nothing or [null] (PyTorch: "Backward hook for Modules where no input requires gradient should always return None or None for all gradients.")`);
      }
      if (list.length !== 1 || !(list[0] === null || list[0] instanceof Tensor)) {
        throw new TypeError(`backward hook of ${m.constructor.name} returned ${list.length} values; expected 1 gradient (a Tensor or null) for its 1 input`);
      }
      if (list[0] !== null && gradInput !== null && !list[0]!.shape.every((s, i) => s === gradInput.shape[i]) ) {
        throw new RangeError(`backward hook of ${m.constructor.name} changed the gradient's shape`);
      }
      grads = list;
    }
    return grads[0] ?? null;
  };
  const input = tensors[0];
  const wrapsInput = input !== undefined && input.requiresGrad;
  const atInput = (g: Tensor): Tensor | null => {
    if (gradOutput === null) return g;
    const got = run(g);
    gradOutput = null;
    return got;
  };
  const newArgs = wrapsInput ? args.map((a) => (a === input ? hookNode(input, atInput) : a)) : args;
  return {
    args: newArgs,
    output: (out) => {
      if (!(out instanceof Tensor)) throw new TypeError(`registerFullBackwardHook: ${m.constructor.name}.forward must return a Tensor for its backward hooks, got ${typeof out}`);
      if (!out.requiresGrad) return out;
      return hookNode(out, (g) => {
        gradOutput = g;
        if (!wrapsInput) {
          run(null);
          gradOutput = null;
        }
        return g;
      });
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
