/**
 * `nn.utils.stateless.functionalCall(module, parametersAndBuffers, args)`, PyTorch 1.13's
 * `torch.nn.utils.stateless.functional_call`: calls the module with some of its parameters and buffers replaced, by
 * state-dict name, for that call only — the module's own tensors are left as they are, and gradients reach the
 * tensors given (first-order meta-learning, ensembles of weights). Kindling replaces the weight and bias of layers
 * that have them (Linear, Bilinear, the convolutions, Embedding, the norms), buffers, and the parameters a module of
 * yours holds as properties; parameters a layer keeps inside (RNN's) are refused, naming them.
 */
import { KindlingError } from '../../errors.js';
import { describeValue, isPlainObject } from '../../options.js';
import { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { WeightAndBias } from '../weight-and-bias.js';
import { isParametrized, ParametrizationList, standInParametrized } from './parametrize.js';
import { standInInput } from './reparametrized.js';

type Restore = () => void;

/** Puts `t` in place of `name` of `owner` (its state-dict name `full`) and returns how to undo it. */
function standIn(owner: Module, name: string, full: string, t: Tensor): Restore {
  // A parameter weightNorm, spectralNorm or prune computes the weight from (weight_g, weight_orig, …).
  if (standInInput(owner, name, t)) return () => standInInput(owner, name, null);
  // A parametrized tensor given itself bypasses its parametrization; its original given goes through it (PyTorch's
  // two keys, 'weight' and 'parametrizations.weight.original').
  if (isParametrized(owner, name)) {
    standInParametrized(owner, name, t);
    return () => standInParametrized(owner, name, null);
  }
  if (owner instanceof ParametrizationList && owner.standIn(name, t)) return () => owner.standIn(name, null);
  if (owner instanceof WeightAndBias && (name === 'weight' || name === 'bias')) {
    const layer = owner as WeightAndBias<Tensor | null>;
    WeightAndBias.standIn(layer, name, t);
    return () => WeightAndBias.standIn(layer, name, null);
  }
  const ownBuffers = new Map(owner.namedBuffers('', false));
  if (ownBuffers.has(name)) {
    const persistent = Object.hasOwn(owner.stateDict(), name);
    const before = ownBuffers.get(name)!;
    owner.registerBuffer(name, t, persistent);
    return () => { owner.registerBuffer(name, before, persistent); };
  }
  const ownParams = new Map(owner.namedParameters('', false));
  const record = owner as unknown as Record<string, unknown>;
  if (ownParams.has(name) && Object.hasOwn(owner, name) && record[name] === ownParams.get(name)) {
    const before = record[name];
    record[name] = t;
    return () => { record[name] = before; };
  }
  if (ownParams.has(name)) {
    throw new KindlingError(`functionalCall: '${full}' is a parameter ${owner.constructor.name} keeps inside (its forward does not read it by name), so it cannot be replaced for one call`);
  }
  throw new KindlingError(`functionalCall: the module has no parameter or buffer '${full}'`);
}

/**
 * Calls `module.forward(...args)` (`args` an array of arguments, or one) with the tensors of `parametersAndBuffers`
 * (an object or Map from state-dict names) in place of the module's, PyTorch's `functional_call(module,
 * parameters_and_buffers, args)`. Returns what forward returns.
 *
 * @example
 * const fast = Object.fromEntries(model.namedParameters().map(([n, p], i) => [n, p.detach().sub(grads[i].mul(0.1)).requiresGrad_()]));
 * const out = nn.utils.stateless.functionalCall(model, fast, x);
 */
export function functionalCall(module: Module, parametersAndBuffers: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>, args: unknown): unknown {
  if (!(module instanceof Module)) throw new TypeError(`functionalCall: expected a module, got ${describeValue(module)}`);
  const entries = parametersAndBuffers instanceof Map ? [...parametersAndBuffers] : isPlainObject(parametersAndBuffers) ? Object.entries(parametersAndBuffers) : null;
  if (entries === null) throw new TypeError(`functionalCall: parametersAndBuffers must be an object (or Map) from names to tensors, got ${describeValue(parametersAndBuffers)}`);
  const modules = new Map(module.namedModules());
  const undo: Restore[] = [];
  try {
    for (const [full, t] of entries) {
      if (!(t instanceof Tensor)) throw new TypeError(`functionalCall: '${full}' must be a Tensor, got ${describeValue(t)}`);
      const at = full.lastIndexOf('.');
      const owner = modules.get(at < 0 ? '' : full.slice(0, at));
      if (owner === undefined) throw new KindlingError(`functionalCall: the module has no parameter or buffer '${full}'`);
      undo.push(standIn(owner, full.slice(at + 1), full, t));
    }
    return (module.forward as (...a: unknown[]) => unknown)(...(Array.isArray(args) ? args : [args]));
  } finally {
    for (const u of undo.reverse()) u();
  }
}
