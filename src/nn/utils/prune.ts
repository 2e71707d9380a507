/**
 * Pruning, PyTorch 1.13's `torch.nn.utils.prune`: `prune.l1Unstructured(layer, 'weight', 0.3)` moves the layer's
 * parameter `weight` to `weight_orig`, registers the buffer `weight_mask` (its state dict: `bias`, `weight_orig`,
 * `weight_mask`, in PyTorch's order), and makes `layer.weight` the product `weight_mask · weight_orig`, recomputed
 * by a forward pre-hook before each forward pass — so gradients reach `weight_orig` through the mask and pruned
 * entries stay zero while training. Pruning the same parameter again combines the methods in a
 * `PruningContainer`; `prune.remove` makes the pruned tensor the parameter again (the same tensor object as
 * `weight_orig`, so optimizers keep it). As PyTorch, it prunes any parameter a module reads by name: the `weight` and
 * `bias` of layers that have them (Linear, Conv*, Bilinear, Embedding, the norms), a parameter a module of yours holds
 * in a property (see reparametrized.ts). The methods themselves are prune-methods.ts.
 */
import type { RemovableHandle } from '../../autograd/hooks.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { KindlingError } from '../../errors.js';
import { describeValue, layerArguments } from '../../options.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { NormOrder } from '../../ops/norm.js';
import { Module } from '../module.js';
import { giveBack, isComputed, markInputs, parameterNamed, setComputed, takeOver, unmarkInputs } from './reparametrized.js';
import {
  BasePruningMethod, CustomFromMask, Identity, L1Unstructured, LnStructured, PruningContainer, RandomStructured, RandomUnstructured, onesOf, parameterOf,
} from './prune-methods.js';

export { BasePruningMethod, CustomFromMask, Identity, L1Unstructured, LnStructured, PruningContainer, RandomStructured, RandomUnstructured, type PruningType } from './prune-methods.js';

/** The pruning attached to each parameter of a module: its method and forward pre-hook. */
const attached = new WeakMap<Module, Map<string, { method: BasePruningMethod; handle: RemovableHandle }>>();

/** The tensor `name` of `module` as it is now (pruned already, or the parameter), or an error naming what is wrong. */
function currentOf(where: string, module: unknown, name: unknown): Tensor {
  if (!(module instanceof Module)) throw new TypeError(`${where}: expected a module, got ${describeValue(module)}`);
  if (typeof name !== 'string') throw new TypeError(`${where}: the parameter name must be a string ('weight'), got ${describeValue(name)}`);
  if (attached.get(module)?.get(name) !== undefined) return (module as unknown as Record<string, Tensor>)[name]!;
  if (isComputed(module, name)) {
    throw new KindlingError(`${where}: the ${name} of ${module.constructor.name} is computed by nn.utils.weightNorm, spectralNorm or parametrize; remove that first`);
  }
  const t = parameterNamed(where, module, name);
  if (t === null) throw new KindlingError(`${where}: ${module.constructor.name} has no ${name} to prune (it is None)`);
  return t;
}

/**
 * Applies `method` to the parameter `name` of `module` (PyTorch's `BasePruningMethod.apply`), on top of any pruning
 * already there; the mask is computed from `importanceScores` (default: the parameter as it is now, pruned or not).
 * A method that fails leaves the module as it was. Returns the method in effect (a container after the first).
 */
export function applyPruning(module: Module, name: string, method: BasePruningMethod, importanceScores: Tensor | null = null, where = 'prune'): BasePruningMethod {
  const current = currentOf(where, module, name);
  if (importanceScores !== null) {
    if (!(importanceScores instanceof Tensor)) throw new TypeError(`${where}: importanceScores must be a Tensor, got ${describeValue(importanceScores)}`);
    if (formatShape(importanceScores.shape) !== formatShape(current.shape)) {
      throw new RangeError(`${where}: importance_scores should have the same shape as parameter ${name} of ${module.constructor.name}: ${formatShape(importanceScores.shape)} against ${formatShape(current.shape)}`);
    }
  }
  method.tensorName = name;
  const entries = attached.get(module) ?? new Map<string, { method: BasePruningMethod; handle: RemovableHandle }>();
  const before = entries.get(name);
  let composite = method;
  if (before !== undefined) {
    composite = before.method instanceof PruningContainer ? before.method : new PruningContainer(before.method);
    (composite as PruningContainer).addPruningMethod(method);
  }
  let mask: Tensor;
  try {
    const defaultMask = before === undefined ? onesOf(current) : new Tensor(Float32Array.from(module.getBuffer(`${name}_mask`)!.values()), current.shape);
    mask = noGrad(() => composite.computeMask((importanceScores ?? current).detach(), defaultMask)).detach();
    if (formatShape(mask.shape) !== formatShape(current.shape)) {
      throw new RangeError(`${where}: the pruning method's mask has shape ${formatShape(mask.shape)}, the ${name} ${formatShape(current.shape)}`);
    }
  } catch (e) {
    if (before !== undefined && before.method === composite) (composite as PruningContainer).popPruningMethod();
    throw e;
  }
  if (before === undefined) {
    takeOver(module, name, { parameters: { [`${name}_orig`]: current }, accessor: true });
    markInputs(module, [`${name}_orig`], () => setComputed(module, name, attached.get(module)!.get(name)!.method.applyMask(module)));
    Object.defineProperty(module, `${name}_orig`, { get: () => current, configurable: true, enumerable: false });
  } else {
    before.handle.remove();
  }
  module.registerBuffer(`${name}_mask`, mask.contiguous());
  setComputed(module, name, composite.applyMask(module));
  const handle = module.registerForwardPreHook(() => {
    setComputed(module, name, composite.applyMask(module));
  });
  entries.set(name, { method: composite, handle });
  attached.set(module, entries);
  return composite;
}

/** A method's constructor, for `globalUnstructured` and `BasePruningMethod.apply`. */
export type PruningMethodClass = abstract new (...args: never[]) => BasePruningMethod;

/**
 * Makes the pruning of `name` permanent, PyTorch's `prune.remove(module, name)`: the parameter `name` is again a
 * parameter, holding the pruned values (the tensor that was `name_orig`), and `name_orig`, `name_mask` and the hook
 * are gone. Returns the module.
 */
export function remove<M extends Module>(module: M, name: string): M {
  const entry = attached.get(module)?.get(name);
  if (entry === undefined) throw new KindlingError(`Parameter '${String(name)}' of module ${module instanceof Module ? String(module) : describeValue(module)} has to be pruned before pruning can be removed`);
  const weight = noGrad(() => entry.method.applyMask(module));
  const orig = parameterOf(module, `${name}_orig`)!;
  noGrad(() => orig.copy_(weight));
  entry.handle.remove();
  attached.get(module)!.delete(name);
  delete (module as unknown as Record<string, unknown>)[`${name}_orig`];
  unmarkInputs(module, [`${name}_orig`]);
  giveBack(module, name, { remove: [`${name}_orig`, `${name}_mask`], restore: orig });
  return module;
}

/** Whether `module` or any module inside it has a pruned parameter, PyTorch's `prune.is_pruned`. */
export function isPruned(module: Module): boolean {
  return module.modules().some((m) => (attached.get(m)?.size ?? 0) > 0);
}

/** The method pruning `name` of `module` (a `PruningContainer` after several), or null. */
export function pruningOf(module: Module, name: string): BasePruningMethod | null {
  return attached.get(module)?.get(name)?.method ?? null;
}

function args(where: string, rest: ArrayLike<unknown>, names: readonly string[], usage: string, required: readonly string[]): Record<string, unknown> {
  const a = layerArguments(where, rest, names, usage);
  for (const n of required) if (a[n] === undefined) throw new TypeError(`${where}: missing the required argument ${n}: ${usage}`);
  return a;
}

function scores(where: string, v: unknown): Tensor | null {
  if (v === undefined || v === null) return null;
  if (!(v instanceof Tensor)) throw new TypeError(`${where}: importanceScores must be a Tensor, got ${describeValue(v)}`);
  return v;
}

/** Prunes nothing but sets up the reparametrization (a mask of ones), PyTorch's `prune.identity(module, name)`. */
export function identity<M extends Module>(module: M, name: string): M {
  applyPruning(module, name, new Identity(), null, 'identity');
  return module;
}

/** Prunes `amount` random entries, PyTorch's `prune.random_unstructured(module, name, amount)`. */
export function randomUnstructured<M extends Module>(module: M, name: string, ...rest: [amount: number | { amount: number }]): M {
  const a = args('randomUnstructured', rest, ['amount'], "prune.randomUnstructured(layer, 'weight', 0.3)", ['amount']);
  applyPruning(module, name, new RandomUnstructured(a['amount'] as number), null, 'randomUnstructured');
  return module;
}

/**
 * Prunes the `amount` entries of smallest magnitude (of `importanceScores` when given), PyTorch's
 * `prune.l1_unstructured(module, name, amount, importance_scores=None)`.
 */
export function l1Unstructured<M extends Module>(
  module: M, name: string, ...rest: [amount: number | { amount: number; importanceScores?: Tensor | null }, importanceScores?: Tensor | null]
): M {
  const a = args('l1Unstructured', rest, ['amount', 'importanceScores'], "prune.l1Unstructured(layer, 'weight', 0.3)", ['amount']);
  applyPruning(module, name, new L1Unstructured(a['amount'] as number), scores('l1Unstructured', a['importanceScores']), 'l1Unstructured');
  return module;
}

/** Prunes `amount` random channels along `dim`, PyTorch's `prune.random_structured(module, name, amount, dim)`. */
export function randomStructured<M extends Module>(module: M, name: string, ...rest: [amount: number | { amount: number; dim: number }, dim?: number]): M {
  const a = args('randomStructured', rest, ['amount', 'dim'], "prune.randomStructured(layer, 'weight', 0.5, 0)", ['amount', 'dim']);
  applyPruning(module, name, new RandomStructured(a['amount'] as number, a['dim'] as number), null, 'randomStructured');
  return module;
}

/**
 * Prunes the `amount` channels along `dim` of smallest L`n` norm (of `importanceScores` when given), PyTorch's
 * `prune.ln_structured(module, name, amount, n, dim, importance_scores=None)`.
 */
export function lnStructured<M extends Module>(
  module: M, name: string,
  ...rest: [amount: number | { amount: number; n: NormOrder; dim: number; importanceScores?: Tensor | null }, n?: NormOrder, dim?: number, importanceScores?: Tensor | null]
): M {
  const a = args('lnStructured', rest, ['amount', 'n', 'dim', 'importanceScores'], "prune.lnStructured(layer, 'weight', 0.5, 2, 0)", ['amount', 'n', 'dim']);
  applyPruning(module, name, new LnStructured(a['amount'] as number, a['n'] as NormOrder, a['dim'] as number), scores('lnStructured', a['importanceScores']), 'lnStructured');
  return module;
}

/** Prunes where `mask` is 0, PyTorch's `prune.custom_from_mask(module, name, mask)`. */
export function customFromMask<M extends Module>(module: M, name: string, mask: Tensor): M {
  applyPruning(module, name, new CustomFromMask(mask), null, 'customFromMask');
  return module;
}

/** The options of `globalUnstructured`: the method's own (`amount`), and importance scores by module and name. */
export interface GlobalPruningOptions {
  readonly importanceScores?: ReadonlyMap<Module, Readonly<Record<string, Tensor>>> | null;
  readonly [option: string]: unknown;
}

/**
 * Prunes several parameters as one: the method (an unstructured one, given as its class) chooses among all their
 * entries together, then each gets its share of the mask as a `CustomFromMask`, PyTorch's
 * `prune.global_unstructured(parameters, pruning_method, importance_scores=None, **kwargs)`:
 * `prune.globalUnstructured([[conv, 'weight'], [fc, 'weight']], prune.L1Unstructured, { amount: 0.2 })`.
 */
export function globalUnstructured(parameters: Iterable<readonly [Module, string]>, pruningMethod: PruningMethodClass, options: GlobalPruningOptions = {}): void {
  const where = 'globalUnstructured';
  if (parameters === null || typeof (parameters as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function') throw new TypeError('global_unstructured(): parameters is not an Iterable');
  const { importanceScores, ...kwargs } = options;
  if (importanceScores !== undefined && importanceScores !== null && !(importanceScores instanceof Map)) {
    throw new TypeError('global_unstructured(): importance_scores must be a Map from modules to { name: scores }');
  }
  const list = [...parameters].map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`${where}: parameters[${i}] must be [module, name], got ${describeValue(p)}`);
    return { module: p[0] as Module, name: p[1] as string, current: currentOf(where, p[0], p[1]) };
  });
  const flat = (pick: (e: (typeof list)[number]) => Tensor): Tensor => {
    const parts = list.map((e) => pick(e).detach().values());
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return new Tensor(out, [out.length]);
  };
  const current = (e: (typeof list)[number]): Tensor => e.current;
  const relevant = flat((e) => importanceScores?.get(e.module)?.[e.name] ?? current(e));
  const defaultMask = flat((e) => (attached.get(e.module)?.get(e.name) !== undefined ? e.module.getBuffer(`${e.name}_mask`)! : onesOf(current(e))));
  if (typeof pruningMethod !== 'function') throw new TypeError(`${where}: pruningMethod must be a pruning method class (prune.L1Unstructured, …), got ${describeValue(pruningMethod)}`);
  const method = new (pruningMethod as unknown as new (options: Record<string, unknown>) => BasePruningMethod)(kwargs);
  if (method.pruningType !== 'unstructured') {
    throw new TypeError(`Only "unstructured" PRUNING_TYPE supported for the \`pruning_method\`. Found method ${pruningMethod.name} of type ${method.pruningType}`);
  }
  method.tensorName = 'temp';
  const container = new PruningContainer(method);
  const mask = noGrad(() => container.computeMask(relevant, defaultMask)).values();
  let at = 0;
  for (const e of list) {
    const size = current(e).numel();
    customFromMask(e.module, e.name, new Tensor(mask.slice(at, at + size), current(e).shape));
    at += size;
  }
}

/** `Method.apply(module, name, ...args)`, PyTorch's classmethod: a new method made from `args`, applied to `name`. */
export function applyMethod(cls: abstract new (...a: never[]) => BasePruningMethod, module: Module, name: string, args: unknown[]): BasePruningMethod {
  const method = new (cls as unknown as new (...a: unknown[]) => BasePruningMethod)(...args);
  return applyPruning(module, name, method, null, `${cls.name}.apply`);
}
