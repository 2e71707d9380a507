/**
 * Weight and spectral normalisation of a layer's weight, PyTorch 1.13's `torch.nn.utils.weight_norm`,
 * `spectral_norm` and their `remove_…`: the module's parameter `weight` (or the one named) is replaced by parameters
 * it is computed from (`weight_g`, `weight_v`; or `weight_orig` and the buffers `weight_u`, `weight_v`), registered
 * after its others as PyTorch registers them, and a forward pre-hook recomputes `layer.weight` before each forward
 * pass. As PyTorch's, any module holding the parameter takes them (Linear, the convolutions, Embedding — SN-GAN's
 * projection discriminator —, a module of yours with a `weight` property; see reparametrized.ts). State dicts carry
 * PyTorch's names, so a PyTorch checkpoint of a normalised layer loads.
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { KindlingError } from '../../errors.js';
import { boundArguments, describeValue, type PositionalThenOptions } from '../../options.js';
import { normalize } from '../../ops/normalize.js';
import { normExceptDim, weightNorm as weightNormOp } from '../../ops/weight-norm.js';
import { Tensor } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../conv-transpose.js';
import type { RemovableHandle } from '../../autograd/hooks.js';
import { Module } from '../module.js';
import { giveBack, inputOf, isComputed, markInputs, parameterNamed, setComputed, takeOver, unmarkInputs } from './reparametrized.js';

interface Applied {
  readonly kind: 'weightNorm' | 'spectralNorm';
  readonly handle: RemovableHandle;
  /** The tensor from the current parameters (spectral norm: one power iteration step, or none). */
  readonly compute: (powerIteration: boolean) => Tensor;
  /** What the reparametrization registered, to remove. */
  readonly names: readonly string[];
  /** The parameters among them, read under their names (`layer.weight_g`): properties to delete on removal. */
  readonly properties: readonly string[];
}

/** The reparametrizations applied, by module and parameter name. */
const applied = new WeakMap<Module, Map<string, Applied>>();

const PYTORCH = { weightNorm: 'weight_norm', spectralNorm: 'spectral_norm' } as const;

/**
 * The parameter `name` of `module` (any module holding it, as PyTorch's `getattr(module, name)`: Embedding's weight,
 * a module of yours with a `weight` property), or an error naming what is wrong.
 */
function parameterOf(where: string, module: unknown, name: unknown): Tensor {
  if (!(module instanceof Module)) throw new TypeError(`${where}: expected a module, got ${describeValue(module)}`);
  const t = parameterNamed(where, module, name);
  if (t === null) throw new KindlingError(`${where}: ${module.constructor.name} has no ${String(name)} (it is None)`);
  return t;
}

/** Refuses a second reparametrization of the same parameter, as PyTorch does. */
function refuseTwice(where: string, module: unknown, name: unknown, kind: Applied['kind']): void {
  if (!(module instanceof Module) || typeof name !== 'string') return;
  const a = applied.get(module)?.get(name);
  if (a === undefined && isComputed(module, name)) {
    throw new KindlingError(`${where}: the ${name} of ${module.constructor.name} is already computed by nn.utils.prune or parametrize; remove that first (prune.remove(layer, '${name}') or parametrize.removeParametrizations(layer, '${name}'))`);
  }
  // PyTorch finds the hook of its own kind; the other kind has taken the parameter away (a KeyError there).
  if (a !== undefined && a.kind === kind) throw new KindlingError(`${where}: Cannot register two ${PYTORCH[kind]} hooks on the same parameter ${name}`);
  if (a !== undefined) throw new KindlingError(`${where}: the ${name} of ${module.constructor.name} is already computed by nn.utils.${a.kind}; remove that first`);
}

/**
 * Makes `name` computed from `parameters` and `buffers` (registered first, so that `initial`, computed then, is in
 * their graph), `initial` until the first forward pass, which recomputes it.
 */
function install(module: Module, name: string, initial: () => Tensor, change: { parameters: Record<string, Tensor>; buffers?: Record<string, Tensor> }, a: Omit<Applied, 'handle' | 'names' | 'properties'>): void {
  // PyTorch's register_parameter refuses a name the module already has ("attribute 'weight_g' already exists"):
  // the property below would hide the module's own member, and removal would delete it.
  for (const n of Object.keys(change.parameters)) {
    if (n in module && (module as unknown as Record<string, unknown>)[n] !== undefined) {
      throw new KindlingError(`nn.utils.${a.kind}: attribute '${n}' already exists in ${module.constructor.name} (PyTorch's KeyError); rename the module's own ${n}`);
    }
  }
  takeOver(module, name, { ...change, accessor: true });
  // PyTorch's weight_g, weight_v and weight_orig are attributes of the module (`layer.weight_g`, what
  // `nn.init.constant_(layer.weight_g, 1)` is given): read under their names here too (the one standing in during a
  // functionalCall), as prune's weight_orig is; the buffers weight_u and weight_v have theirs from registerBuffer.
  for (const [n, t] of Object.entries(change.parameters)) {
    Object.defineProperty(module, n, {
      configurable: true,
      enumerable: false,
      get: () => inputOf(module, n, t),
      set: () => {
        throw new KindlingError(`${module.constructor.name}.${n}: the parameter ${n} of nn.utils.${a.kind} cannot be replaced by assignment here; change its values in place (noGrad(() => layer.${n}.copy_(t))) or load them with loadStateDict`);
      },
    });
  }
  markInputs(module, Object.keys(change.parameters), () => setComputed(module, name, a.compute(false)));
  setComputed(module, name, initial());
  const handle = module.registerForwardPreHook((m) => {
    setComputed(module, name, a.compute(m.training));
  });
  const names = [...Object.keys(change.parameters), ...Object.keys(change.buffers ?? {})];
  const entries = applied.get(module) ?? new Map<string, Applied>();
  entries.set(name, { ...a, names, properties: Object.keys(change.parameters), handle });
  applied.set(module, entries);
}

function uninstall(where: string, module: unknown, name: unknown, kind: Applied['kind']): void {
  const a = module instanceof Module && typeof name === 'string' ? applied.get(module)?.get(name) : undefined;
  if (a === undefined || a.kind !== kind) {
    throw new KindlingError(`${where}: ${PYTORCH[kind]} of '${String(name)}' not found in ${module instanceof Object ? module.constructor.name : describeValue(module)}`);
  }
  const m = module as Module;
  const n = name as string;
  const weight = noGrad(() => a.compute(false)).detach();
  a.handle.remove();
  applied.get(m)!.delete(n);
  unmarkInputs(m, a.names);
  for (const p of a.properties) delete (m as unknown as Record<string, unknown>)[p];
  giveBack(m, n, { remove: a.names, restore: weight });
}

export interface WeightNormOptions {
  /** The parameter to reparametrize (default `'weight'`), any the module reads by name. */
  readonly name?: string;
  /**
   * The dimension kept by the norm (default 0: one norm per output; a negative one counts from the end, but −1 is
   * PyTorch's None); null for one norm over the whole weight.
   */
  readonly dim?: number | null;
}

/**
 * Weight normalisation, PyTorch's `torch.nn.utils.weight_norm(module, name='weight', dim=0)`: the layer's weight
 * becomes w = g · v / ‖v‖, learned as the parameters `weight_g` (the norms, starting at ‖weight‖) and `weight_v`
 * (starting at the weight). The name and dim come by position, as PyTorch's, or as options. Returns the module.
 *
 * @example
 * const layer = nn.utils.weightNorm(new nn.Linear(20, 40));   // or weightNorm(linear, 'weight', 0), { dim: 0 }
 * layer.stateDict(); // bias, weight_g [40, 1], weight_v [40, 20]
 */
export function weightNorm<M extends Module>(module: M, ...args: PositionalThenOptions<[name: string, dim: number | null], WeightNormOptions>): M {
  const where = 'weightNorm';
  // PyTorch's weight_norm(module, name='weight', dim=0): by position or by name.
  const o: WeightNormOptions = boundArguments(where, [module, ...args], 1, ['name', 'dim'], [], "weightNorm(layer, 'weight', 0) or weightNorm(layer, { name: 'weight', dim: 0 })");
  const name = o.name ?? 'weight';
  refuseTwice(where, module, name, 'weightNorm');
  const weight = parameterOf(where, module, name);
  // PyTorch's None (and −1) take the norm of the whole weight; another negative dim counts from the end (its
  // norm_except_dim transposes dim 0 with it).
  const given = o.dim === undefined ? 0 : o.dim === null ? -1 : o.dim;
  const fromEnd = Number.isInteger(given) && given < -1;
  const dim = fromEnd ? given + weight.ndim : given;
  if (!Number.isInteger(dim) || dim < (fromEnd ? 0 : -1) || dim >= weight.ndim) {
    throw new KindlingError(`${where}: dim must be null or a dimension of the ${name} ${JSON.stringify(weight.shape)} (from ${-weight.ndim} to ${weight.ndim - 1}; −1 is the whole ${name}, as PyTorch's), got ${describeValue(o.dim)}`);
  }
  const g = noGrad(() => normExceptDim(weight, 2, dim)).detach().contiguous();
  const v = weight.detach();
  const compute = (): Tensor => weightNormOp(inputOf(module, `${name}_v`, v), inputOf(module, `${name}_g`, g), dim);
  install(module, name, compute, { parameters: { [`${name}_g`]: g, [`${name}_v`]: v } }, { kind: 'weightNorm', compute });
  return module;
}

/** Undoes `weightNorm`: the weight computed one last time becomes the parameter `weight` again. Returns the module. */
export function removeWeightNorm<M extends Module>(module: M, name = 'weight'): M {
  uninstall('removeWeightNorm', module, name, 'weightNorm');
  return module;
}

export interface SpectralNormOptions {
  /** The parameter to reparametrize (default `'weight'`), any the module reads by name. */
  readonly name?: string;
  /** Power iteration steps per forward pass in training mode (default 1). */
  readonly nPowerIterations?: number;
  /** Added to norms before dividing by them (default 1e-12). */
  readonly eps?: number;
  /** The weight's output dimension (default, or null: 0, or 1 for the transposed convolutions). */
  readonly dim?: number | null;
}

/**
 * Spectral normalisation, PyTorch's `torch.nn.utils.spectral_norm(module, name='weight', n_power_iterations=1,
 * eps=1e-12, dim=None)`: the weight becomes weight_orig / σ, σ its largest singular value estimated by power
 * iteration with the vectors `weight_u` and `weight_v` (buffers, drawn N(0, 1) and normalised, from the generator
 * after the same seed as PyTorch's), which each forward pass in training mode advances by `nPowerIterations` steps.
 * The arguments come by position, in PyTorch's order, or as options. Returns the module.
 *
 * @example
 * const critic = new nn.Sequential(nn.utils.spectralNorm(new nn.Linear(784, 256)), new nn.LeakyReLU(0.2));
 */
export function spectralNorm<M extends Module>(
  module: M, ...args: PositionalThenOptions<[name: string, nPowerIterations: number, eps: number, dim: number | null], SpectralNormOptions>
): M {
  const where = 'spectralNorm';
  // PyTorch's spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None): by position or by name.
  const o: SpectralNormOptions = boundArguments(where, [module, ...args], 1, ['name', 'nPowerIterations', 'eps', 'dim'], [], "spectralNorm(layer, 'weight', 1, 1e-12, 0) or spectralNorm(layer, { nPowerIterations: 1 })");
  const name = o.name ?? 'weight';
  refuseTwice(where, module, name, 'spectralNorm');
  const weight = parameterOf(where, module, name);
  const iterations = o.nPowerIterations ?? 1;
  if (!Number.isInteger(iterations) || iterations <= 0) throw new KindlingError(`${where}: Expected n_power_iterations to be positive, but got n_power_iterations=${describeValue(iterations)}`);
  const eps = o.eps ?? 1e-12;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new TypeError(`${where}: eps must be a non-negative number, got ${describeValue(eps)}`);
  const transposed = module instanceof ConvTranspose1d || module instanceof ConvTranspose2d || module instanceof ConvTranspose3d;
  const dim = o.dim ?? (transposed ? 1 : 0);
  if (!Number.isInteger(dim) || dim < 0 || dim >= weight.ndim) throw new KindlingError(`${where}: dim must be a dimension of the ${name} ${JSON.stringify(weight.shape)}, got ${describeValue(dim)}`);
  // The weight as a matrix [its `dim` size, the rest], `dim` moved to the front.
  const matrix = (w: Tensor): Tensor => {
    const m = dim === 0 ? w : w.permute([dim, ...w.shape.map((_, i) => i).filter((i) => i !== dim)]);
    return m.reshape([m.shape[0]!, -1]);
  };
  const [h, w] = matrix(weight).shape as [number, number];
  const u = noGrad(() => normalize(zeros([h]).normal_(0, 1), { dim: 0, eps }));
  const v = noGrad(() => normalize(zeros([w]).normal_(0, 1), { dim: 0, eps }));
  const compute = (power: boolean): Tensor => {
    const orig = inputOf(module, `${name}_orig`, weight);
    const wm = matrix(orig);
    let [uu, vv] = [u, v];
    if (power) {
      noGrad(() => {
        for (let i = 0; i < iterations; i++) {
          v.copy_(normalize(wm.t().mv(u), { dim: 0, eps }));
          u.copy_(normalize(wm.mv(v), { dim: 0, eps }));
        }
      });
      // Clones, so that the next step's in-place updates leave this graph's saved vectors as they are (as PyTorch).
      [uu, vv] = [u.clone(), v.clone()];
    }
    return orig.div(uu.dot(wm.mv(vv)));
  };
  // Until the first forward pass the weight is weight_orig's values, as PyTorch leaves it.
  install(module, name, () => weight.detach(), { parameters: { [`${name}_orig`]: weight }, buffers: { [`${name}_u`]: u, [`${name}_v`]: v } }, { kind: 'spectralNorm', compute });
  return module;
}

/** Undoes `spectralNorm`: weight_orig / σ (no further power iteration) becomes the parameter `weight`. Returns the module. */
export function removeSpectralNorm<M extends Module>(module: M, name = 'weight'): M {
  uninstall('removeSpectralNorm', module, name, 'spectralNorm');
  return module;
}
