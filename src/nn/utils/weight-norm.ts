/**
 * Weight and spectral normalisation of a layer's weight, PyTorch 1.13's `torch.nn.utils.weight_norm`,
 * `spectral_norm` and their `remove_…`: the layer's parameter `weight` is replaced by parameters it is computed from
 * (`weight_g`, `weight_v`; or `weight_orig` and the buffers `weight_u`, `weight_v`), registered after its others as
 * PyTorch registers them, and a forward pre-hook recomputes `layer.weight` before each forward pass. State dicts
 * carry PyTorch's names, so a PyTorch checkpoint of a normalised layer loads.
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { KindlingError } from '../../errors.js';
import { checkOptions, describeValue } from '../../options.js';
import { normalize } from '../../ops/normalize.js';
import { normExceptDim, weightNorm as weightNormOp } from '../../ops/weight-norm.js';
import { Tensor } from '../../tensor/tensor.js';
import { zeros } from '../../tensor/creation.js';
import { ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../conv-transpose.js';
import type { RemovableHandle } from '../../autograd/hooks.js';
import type { Module } from '../module.js';
import { WeightAndBias } from '../weight-and-bias.js';

type Layer = WeightAndBias<Tensor | null>;

interface Applied {
  readonly kind: 'weightNorm' | 'spectralNorm';
  readonly handle: RemovableHandle;
  /** The weight from the current parameters (spectral norm: one power iteration step, or none). */
  readonly compute: (powerIteration: boolean) => Tensor;
  /** What the reparametrization registered, to remove. */
  readonly names: readonly string[];
}

const applied = new WeakMap<Module, Applied>();

/** The layer whose `weight` is to be reparametrized, or an error naming what Kindling takes. */
function layerOf(where: string, module: unknown, name: unknown): Layer {
  if (name !== 'weight') {
    throw new KindlingError(`${where}: Kindling reparametrizes a layer's \`weight\` (name 'weight'), got ${describeValue(name)}`);
  }
  if (!(module instanceof WeightAndBias) || !(module.weight instanceof Tensor)) {
    throw new TypeError(
      `${where}: expected a layer with a weight parameter (Linear, Bilinear, Conv1d/2d/3d, ConvTranspose1d/2d/3d, Embedding, …), got ${module instanceof Object ? module.constructor.name : describeValue(module)}`,
    );
  }
  return module as Layer;
}

/** Refuses a second reparametrization of the same weight, as PyTorch does. */
function refuseTwice(where: string, module: Module): void {
  const a = applied.get(module);
  if (a === undefined && WeightAndBias.isReparametrized(module as Layer, 'weight')) {
    throw new KindlingError(`${where}: the weight of ${module.constructor.name} is already computed by nn.utils.prune or parametrize; remove that first (prune.remove(layer, 'weight') or parametrize.removeParametrizations(layer, 'weight'))`);
  }
  if (a !== undefined) throw new KindlingError(`${where}: Cannot register two ${a.kind === 'weightNorm' ? 'weight_norm' : 'spectral_norm'} hooks on the same parameter weight`);
}

/** Sets the layer's weight to `initial` and recomputes it before every forward pass. */
function install(module: Module, layer: Layer, initial: Tensor, a: Omit<Applied, 'handle'>): void {
  layer.weight = initial;
  const handle = module.registerForwardPreHook((m) => {
    layer.weight = a.compute(m.training);
  });
  applied.set(module, { ...a, handle });
}

function uninstall(where: string, module: Module, kind: Applied['kind']): void {
  const a = applied.get(module);
  if (a === undefined || a.kind !== kind) {
    throw new KindlingError(`${where}: ${kind === 'weightNorm' ? 'weight_norm' : 'spectral_norm'} of 'weight' not found in ${module instanceof Object ? module.constructor.name : describeValue(module)}`);
  }
  const weight = noGrad(() => a.compute(false)).detach();
  a.handle.remove();
  applied.delete(module);
  WeightAndBias.reparametrize(module as Layer, { remove: a.names, restore: weight });
}

export interface WeightNormOptions {
  /** The parameter to reparametrize: only `'weight'` (PyTorch's default). */
  readonly name?: string;
  /** The dimension kept by the norm (default 0: one norm per output); null for one norm over the whole weight. */
  readonly dim?: number | null;
}

/**
 * Weight normalisation, PyTorch's `torch.nn.utils.weight_norm(module, name='weight', dim=0)`: the layer's weight
 * becomes w = g · v / ‖v‖, learned as the parameters `weight_g` (the norms, starting at ‖weight‖) and `weight_v`
 * (starting at the weight). Returns the module.
 *
 * @example
 * const layer = nn.utils.weightNorm(new nn.Linear(20, 40));
 * layer.stateDict(); // bias, weight_g [40, 1], weight_v [40, 20]
 */
export function weightNorm<M extends Module>(module: M, options: WeightNormOptions = {}): M {
  const where = 'weightNorm';
  const o = checkOptions(where, options, ['name', 'dim']);
  const layer = layerOf(where, module, o.name ?? 'weight');
  // PyTorch's None (and −1) take the norm of the whole weight.
  const dim = o.dim === undefined ? 0 : o.dim === null ? -1 : o.dim;
  const weight = layer.weight!;
  if (!Number.isInteger(dim) || dim < -1 || dim >= weight.ndim) throw new KindlingError(`${where}: dim must be null or a dimension of the weight ${JSON.stringify(weight.shape)}, got ${describeValue(o.dim)}`);
  refuseTwice(where, module);
  const g = noGrad(() => normExceptDim(weight, 2, dim)).detach().contiguous();
  const v = weight.detach();
  WeightAndBias.reparametrize(layer, { parameters: { weight_g: g, weight_v: v } });
  const compute = (): Tensor => weightNormOp(v, g, dim);
  install(module, layer, compute(), { kind: 'weightNorm', compute, names: ['weight_g', 'weight_v'] });
  return module;
}

/** Undoes `weightNorm`: the weight computed one last time becomes the parameter `weight` again. Returns the module. */
export function removeWeightNorm<M extends Module>(module: M, name = 'weight'): M {
  layerOf('removeWeightNorm', module, name);
  uninstall('removeWeightNorm', module, 'weightNorm');
  return module;
}

export interface SpectralNormOptions {
  /** The parameter to reparametrize: only `'weight'`. */
  readonly name?: string;
  /** Power iteration steps per forward pass in training mode (default 1). */
  readonly nPowerIterations?: number;
  /** Added to norms before dividing by them (default 1e-12). */
  readonly eps?: number;
  /** The weight's output dimension (default 0, or 1 for the transposed convolutions). */
  readonly dim?: number;
}

/**
 * Spectral normalisation, PyTorch's `torch.nn.utils.spectral_norm(module, name='weight', n_power_iterations=1,
 * eps=1e-12, dim=None)`: the weight becomes weight_orig / σ, σ its largest singular value estimated by power
 * iteration with the vectors `weight_u` and `weight_v` (buffers, drawn N(0, 1) and normalised, from the generator
 * after the same seed as PyTorch's), which each forward pass in training mode advances by `nPowerIterations` steps.
 * Returns the module.
 *
 * @example
 * const critic = new nn.Sequential(nn.utils.spectralNorm(new nn.Linear(784, 256)), new nn.LeakyReLU(0.2));
 */
export function spectralNorm<M extends Module>(module: M, options: SpectralNormOptions = {}): M {
  const where = 'spectralNorm';
  const o = checkOptions(where, options, ['name', 'nPowerIterations', 'eps', 'dim']);
  const layer = layerOf(where, module, o.name ?? 'weight');
  const iterations = o.nPowerIterations ?? 1;
  if (!Number.isInteger(iterations) || iterations <= 0) throw new KindlingError(`${where}: Expected n_power_iterations to be positive, but got n_power_iterations=${describeValue(iterations)}`);
  const eps = o.eps ?? 1e-12;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new TypeError(`${where}: eps must be a non-negative number, got ${describeValue(eps)}`);
  const transposed = module instanceof ConvTranspose1d || module instanceof ConvTranspose2d || module instanceof ConvTranspose3d;
  const dim = o.dim ?? (transposed ? 1 : 0);
  const weight = layer.weight!;
  if (!Number.isInteger(dim) || dim < 0 || dim >= weight.ndim) throw new KindlingError(`${where}: dim must be a dimension of the weight ${JSON.stringify(weight.shape)}, got ${describeValue(dim)}`);
  refuseTwice(where, module);
  // The weight as a matrix [its `dim` size, the rest], `dim` moved to the front.
  const matrix = (w: Tensor): Tensor => {
    const m = dim === 0 ? w : w.permute([dim, ...w.shape.map((_, i) => i).filter((i) => i !== dim)]);
    return m.reshape([m.shape[0]!, -1]);
  };
  const [h, w] = matrix(weight).shape as [number, number];
  const u = noGrad(() => normalize(zeros([h]).normal_(0, 1), { dim: 0, eps }));
  const v = noGrad(() => normalize(zeros([w]).normal_(0, 1), { dim: 0, eps }));
  WeightAndBias.reparametrize(layer, { parameters: { weight_orig: weight }, buffers: { weight_u: u, weight_v: v } });
  const compute = (power: boolean): Tensor => {
    const wm = matrix(weight);
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
    return weight.div(uu.dot(wm.mv(vv)));
  };
  // Until the first forward pass the weight is weight_orig's values, as PyTorch leaves it.
  install(module, layer, weight.detach(), { kind: 'spectralNorm', compute, names: ['weight_orig', 'weight_u', 'weight_v'] });
  return module;
}

/** Undoes `spectralNorm`: weight_orig / σ (no further power iteration) becomes the parameter `weight`. Returns the module. */
export function removeSpectralNorm<M extends Module>(module: M, name = 'weight'): M {
  layerOf('removeSpectralNorm', module, name);
  uninstall('removeSpectralNorm', module, 'spectralNorm');
  return module;
}
