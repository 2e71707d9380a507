/**
 * The tensor that `nn.utils.weightNorm`, `spectralNorm`, `prune` and `parametrize` replace by one computed from
 * others: as PyTorch, any parameter a module reads by name (`getattr(module, name)`). That is the weight or bias of a
 * layer that has them (Linear, Bilinear, the convolutions, Embedding, EmbeddingBag, the norms: `WeightAndBias`, whose
 * accessors hold a computed tensor) or a parameter a module of yours holds in a property (`weight = new
 * nn.Parameter(…)`, read in its forward as `this.weight`), whose property becomes an accessor for the computed tensor
 * while reparametrized. A parameter a layer keeps inside, read by its forward from a private field (PReLU's, the
 * recurrent layers'), is refused: reparametrizing it would leave forward using the old one.
 */
import { KindlingError } from '../../errors.js';
import { describeValue } from '../../options.js';
import { Tensor } from '../../tensor/tensor.js';
import { isParameter } from '../members.js';
import type { Module } from '../module.js';
import { WeightAndBias } from '../weight-and-bias.js';

/** Calls a module's protected registration methods from here (as PyTorch's utilities set module attributes). */
type Registrar = { makeParameter(name: string, t: Tensor): Tensor; unregisterParameter(name: string): boolean; unregisterBuffer(name: string): boolean };
const registrar = (m: Module): Registrar => m as unknown as Registrar;

/** The computed tensors of modules of yours, by module and name, read through the accessors that replace properties. */
const computed = new WeakMap<Module, Map<string, { value: Tensor }>>();

const record = (m: Module): Record<string, unknown> => m as unknown as Record<string, unknown>;

/** Whether `name` of `module` goes through a layer's weight-and-bias accessors. */
function isLayerTensor(module: Module, name: string): module is Module & WeightAndBias<Tensor | null> {
  return module instanceof WeightAndBias && (name === 'weight' || name === 'bias');
}

/** Whether `name` of `module` is computed now (by any of the utilities). */
export function isComputed(module: Module, name: string): boolean {
  if (isLayerTensor(module, name)) return WeightAndBias.isReparametrized(module, name as 'weight' | 'bias');
  return computed.get(module)?.has(name) === true;
}

/**
 * The parameter `name` of `module`, which forward reads by name, or an error saying why it cannot be reparametrized:
 * `where` names the function. A layer's weight or bias set to null is returned as null (the caller says "None").
 */
export function parameterNamed(where: string, module: Module, name: unknown): Tensor | null {
  if (typeof name !== 'string') throw new TypeError(`${where}: the parameter name must be a string ('weight'), got ${describeValue(name)}`);
  if (isLayerTensor(module, name)) return record(module)[name] as Tensor | null;
  const own = Object.getOwnPropertyDescriptor(module, name);
  const value = own !== undefined && 'value' in own ? (own.value as unknown) : undefined;
  if (own?.enumerable === true && isParameter(value) && module.namedParameters('', false).some(([n, p]) => n === name && p === value)) return value;
  if (module.namedParameters('', false).some(([n]) => n === name)) {
    throw new KindlingError(`${where}: '${name}' is a parameter ${module.constructor.name} keeps inside (its forward does not read it by name), so it cannot be reparametrized`);
  }
  throw new KindlingError(`${where}: ${module.constructor.name} has no parameter '${name}' (PyTorch: "'${module.constructor.name}' object has no attribute '${name}'")`);
}

/**
 * Turns the parameter `name` of `module` into a computed tensor: no longer a parameter, with `parameters` and
 * `buffers` registered after the module's others (in that order, as PyTorch registers them). With `accessor`,
 * `module[name]` reads what `setComputed` puts there (weightNorm, spectralNorm, prune); without, the caller defines
 * how it is read (parametrize's class accessor).
 */
export function takeOver(module: Module, name: string, change: { parameters?: Record<string, Tensor>; buffers?: Record<string, Tensor>; accessor: boolean }): void {
  if (isLayerTensor(module, name)) {
    WeightAndBias.reparametrize(module, { name: name as 'weight' | 'bias', parameters: change.parameters ?? {}, buffers: change.buffers ?? {} });
    return;
  }
  const r = registrar(module);
  r.unregisterParameter(name);
  delete record(module)[name];
  const slots = computed.get(module) ?? new Map<string, { value: Tensor }>();
  computed.set(module, slots);
  if (change.accessor) {
    const slot = { value: null as unknown as Tensor };
    slots.set(name, slot);
    Object.defineProperty(module, name, {
      configurable: true,
      enumerable: false,
      get: () => slot.value,
      set: (v: unknown) => {
        if (!(v instanceof Tensor)) throw new TypeError(`${module.constructor.name}.${name}: the ${name} computed by its reparametrization must be a Tensor, got ${describeValue(v)}`);
        slot.value = v;
      },
    });
  } else {
    slots.set(name, { value: null as unknown as Tensor });
  }
  for (const [n, t] of Object.entries(change.parameters ?? {})) r.makeParameter(n, t);
  for (const [n, t] of Object.entries(change.buffers ?? {})) module.registerBuffer(n, t);
}

/** Sets the computed tensor `name` of `module` (taken over with an accessor). */
export function setComputed(module: Module, name: string, t: Tensor): void {
  record(module)[name] = t;
}

/**
 * Undoes `takeOver`: removes the parameters and buffers `remove` and makes `restore` the parameter `name` again,
 * registered last (as PyTorch's `register_parameter` after `delattr`).
 */
export function giveBack(module: Module, name: string, change: { remove?: readonly string[]; restore: Tensor }): void {
  if (isLayerTensor(module, name)) {
    WeightAndBias.reparametrize(module, { name: name as 'weight' | 'bias', remove: change.remove ?? [], restore: change.restore });
    return;
  }
  const r = registrar(module);
  for (const n of change.remove ?? []) if (!r.unregisterParameter(n)) r.unregisterBuffer(n);
  computed.get(module)?.delete(name);
  delete record(module)[name];
  record(module)[name] = r.makeParameter(name, change.restore);
}

/**
 * The parameters each module's reparametrizations compute from (`weight_g` and `weight_v`, `weight_orig`), with the
 * tensor standing in for each during one `functionalCall` (null: none), as PyTorch's `functional_call` with the
 * module's own parameter names (`dict(model.named_parameters())`, a MAML step's) replaces them; and how to recompute
 * the tensor made from them, so that the module's own is back after the call (PyTorch's hook writes the call's into
 * the dictionary given, not into the module).
 */
const inputs = new WeakMap<Module, Map<string, { stand: Tensor | null; refresh: () => void }>>();

/** Registers `names` as parameters of `module` that a reparametrization computes from, `refresh` recomputing its tensor. */
export function markInputs(module: Module, names: readonly string[], refresh: () => void): void {
  const own = inputs.get(module) ?? new Map<string, { stand: Tensor | null; refresh: () => void }>();
  for (const n of names) own.set(n, { stand: null, refresh });
  inputs.set(module, own);
}

/** Forgets `names` (the reparametrization is removed). */
export function unmarkInputs(module: Module, names: readonly string[]): void {
  const own = inputs.get(module);
  for (const n of names) own?.delete(n);
}

/**
 * Makes `t` stand in for the input `name` of `module`; null ends that, and recomputes the module's tensor from its own
 * parameters. False when `name` is not such an input. @internal
 */
export function standInInput(module: Module, name: string, t: Tensor | null): boolean {
  const entry = inputs.get(module)?.get(name);
  if (entry === undefined) return false;
  entry.stand = t;
  if (t === null) entry.refresh();
  return true;
}

/** The tensor a reparametrization computes from: the one standing in for `name`, else `own`. */
export function inputOf(module: Module, name: string, own: Tensor): Tensor {
  return inputs.get(module)?.get(name)?.stand ?? own;
}
