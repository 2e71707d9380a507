/**
 * Parametrizations, PyTorch 1.13's `torch.nn.utils.parametrize`: `registerParametrization(layer, 'weight', p)` makes
 * `layer.weight` the output of the module `p` applied to the tensor it was (`p.forward(original)`), computed each
 * time it is read, so training updates `original` (`layer.parametrizations.weight.original`, state-dict key
 * `parametrizations.weight.original`) and the weight keeps the form `p` gives it (symmetric, orthogonal, positive,
 * …). Parametrizations chain (each applied to the previous one's output); `p.rightInverse(w)`, when `p` has one,
 * turns a weight into the original it comes from: at registration and when a weight is assigned
 * (`layer.weight = w`). It may return several tensors, then `original0`, `original1`, … are the originals and
 * `p.forward` takes them all. The layer becomes an instance of `Parametrized<Layer>` (a subclass made for it, as
 * PyTorch swaps the class) until the last parametrization is removed. As PyTorch, it parametrizes any parameter a
 * module reads by name: the `weight` and `bias` of layers that have them (Linear, Conv*, Bilinear, Embedding, the
 * norms), a parameter a module of yours holds in a property (see reparametrized.ts).
 */
import { noGrad } from '../../autograd/grad-mode.js';
import { KindlingError } from '../../errors.js';
import { checkOptions, describeValue } from '../../options.js';
import { formatShape, sameShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { ModuleDict } from '../module-dict.js';
import { ModuleArray } from '../module-array.js';
import { ModuleList } from '../module-list.js';
import { Parameter } from '../parameter.js';
import { giveBack, isComputed, parameterNamed, takeOver } from './reparametrized.js';

/** A parametrization: a module whose `forward` maps the original tensor(s) to the parametrized one. */
interface Parametrization extends Module {
  rightInverse?: (value: Tensor) => Tensor | readonly Tensor[];
  forward(...originals: Tensor[]): Tensor;
}

/** The class a parametrized layer had (PyTorch's `type_before_parametrizations`), by layer. */
const classBefore = new WeakMap<Module, abstract new (...args: never[]) => Module>();

/** The values cached while `cached` runs, by layer and tensor name; null outside it. */
let cache: Map<Module, Map<string, Tensor>> | null = null;

/** Calls the protected registration methods of a module from here (the way PyTorch's code sets module attributes). */
type Registrar = { makeParameter(name: string, t: Tensor): Tensor; holdModule(name: string, m: Module): Module; unregisterModule(name: string): boolean };
const registrar = (m: Module): Registrar => m as unknown as Registrar;

function checkParametrization(p: unknown): Parametrization {
  if (!(p instanceof Module)) throw new TypeError(`registerParametrization: the parametrization must be a Module whose forward computes the tensor, got ${describeValue(p)}`);
  if ('right_inverse' in p) throw new TypeError(`registerParametrization: ${p.constructor.name} defines right_inverse: Kindling calls it rightInverse`);
  return p as Parametrization;
}

/**
 * The parametrizations of one tensor, PyTorch's `ParametrizationList`: a `ModuleList` of them holding the original
 * tensor as its parameter `original` (the same tensor object as the layer's parameter was, so an optimizer made
 * before keeps it), or `original0`, `original1`, … when the first parametrization's `rightInverse` returns several.
 */
export class ParametrizationList extends ModuleArray {
  unsafe: boolean;
  /** Whether there is one original tensor (`original`) rather than several (`original0`, …). */
  readonly isTensor: boolean;
  readonly ntensors: number;
  readonly #originals: Tensor[];
  /** Tensors standing in for originals during one `functionalCall`, by index. */
  readonly #stand = new Map<number, Tensor>();

  constructor(modules: readonly Module[], original: Tensor, unsafe = false) {
    super();
    if (modules.length === 0) throw new KindlingError('ParametrizationList requires one or more modules.');
    for (const m of modules) this.append(m);
    this.unsafe = unsafe;
    let made: Tensor | readonly Tensor[] = original;
    noGrad(() => {
      for (const m of [...modules].reverse() as Parametrization[]) if (typeof m.rightInverse === 'function') made = m.rightInverse(made as Tensor);
    });
    if (made instanceof Tensor) {
      this.isTensor = true;
      this.ntensors = 1;
      if (!sameShape(made.shape, original.shape)) {
        throw new KindlingError(`registerParametrization: rightInverse gave shape ${formatShape(made.shape)} for a tensor of shape ${formatShape(original.shape)}; Kindling keeps the original tensor, so its shape may not change (return several tensors to change it)`);
      }
      const value = made;
      if (value !== original) noGrad(() => original.copy_(value));
      this.#originals = [registrar(this).makeParameter('original', original)];
    } else if (Array.isArray(made)) {
      const several = made as unknown[];
      this.isTensor = false;
      this.ntensors = several.length;
      this.#originals = several.map((t, i) => {
        if (!(t instanceof Tensor)) throw new KindlingError(`'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got element ${i} of the sequence with type ${describeValue(t)}.`);
        const p = new Parameter(t.detach().clone(), original.requiresGrad);
        return registrar(this).makeParameter(`original${i}`, p);
      });
    } else {
      throw new KindlingError(`'right_inverse' must return a Tensor or a Sequence of tensors (list, tuple...). Got ${describeValue(made)}`);
    }
    for (let i = 0; i < this.#originals.length; i++) {
      const t = this.#originals[i]!;
      Object.defineProperty(this, this.isTensor ? 'original' : `original${i}`, { get: () => t, configurable: true, enumerable: false });
    }
    if (!unsafe) {
      const z = this.forward();
      if (!(z instanceof Tensor)) throw new KindlingError(`A parametrization must return a tensor. Got ${describeValue(z)}.`);
      if (!sameShape(z.shape, original.shape)) {
        throw new KindlingError(
          `Registering a parametrization may not change the shape of the tensor, unless \`unsafe\` flag is enabled.\nunparametrized shape: ${formatShape(original.shape)}\nparametrized shape: ${formatShape(z.shape)}`,
        );
      }
    }
  }

  /** A slice of the list is a plain ModuleList of its parametrizations. */
  protected override make(modules: Module[]): ModuleList {
    return new ModuleList(modules);
  }

  protected override spreadHint(): string {
    return 'append them one by one, or register each with registerParametrization';
  }

  /** The original tensors, in order. */
  get originals(): readonly Tensor[] {
    return this.#originals;
  }

  /** Sets the originals so that the parametrized tensor is `value` (each parametrization's `rightInverse`, last first). */
  rightInverse(value: Tensor): void {
    noGrad(() => {
      let v: Tensor | readonly Tensor[] = value;
      for (const m of [...this].reverse() as Parametrization[]) {
        if (typeof m.rightInverse !== 'function') throw new KindlingError(`parametrization ${m.constructor.name} does not implement right_inverse.`);
        v = m.rightInverse(v as Tensor);
      }
      const values = this.isTensor ? [v] : v;
      if (!Array.isArray(values) || values.length !== this.ntensors || !values.every((t) => t instanceof Tensor)) {
        throw new KindlingError(`'right_inverse' must return ${this.isTensor ? 'a tensor' : `a sequence of ${this.ntensors} tensors`}, got ${describeValue(v)}`);
      }
      (values as Tensor[]).forEach((t, i) => this.#originals[i]!.copy_(t));
    });
  }

  /**
   * Makes `t` stand in for the original `name` (`original`, `original0`, …) until called again with null, leaving the
   * parameter as it is: `functionalCall` with PyTorch's key `parametrizations.weight.original`, which gives the
   * parametrization another original for one call. False when there is no such original. @internal
   */
  standIn(name: string, t: Tensor | null): boolean {
    const i = this.isTensor ? (name === 'original' ? 0 : -1) : /^original\d+$/.test(name) ? Number(name.slice(8)) : -1;
    if (i < 0 || i >= this.ntensors) return false;
    if (t === null) this.#stand.delete(i);
    else this.#stand.set(i, t);
    return true;
  }

  /** The parametrized tensor: the first parametrization on the originals, then each next one on the result. */
  forward(): Tensor {
    const [first, ...rest] = [...this] as Parametrization[];
    const originals = this.#stand.size === 0 ? this.#originals : this.#originals.map((t, i) => this.#stand.get(i) ?? t);
    let x = first!.forward(...originals);
    for (const m of rest) x = m.forward(x);
    return x;
  }
}

/** The parameter `name` of `module`, which its forward reads by name, or an error in PyTorch's words. */
function originalOf(where: string, module: unknown, name: unknown): Tensor {
  if (!(module instanceof Module)) throw new TypeError(`${where}: expected a module, got ${describeValue(module)}`);
  if (typeof name !== 'string') throw new TypeError(`${where}: the tensor name must be a string, got ${describeValue(name)}`);
  const missing = (): KindlingError => new KindlingError(`Module '${String(module)}' does not have a parameter, a buffer, or a parametrized element with name '${name}'`);
  if (!module.namedParameters('', false).some(([n]) => n === name) && !isComputed(module, name)) throw missing();
  return parameterNamed(where, module, name) ?? ((): never => { throw missing(); })();
}

/** The layer's ModuleDict of parametrizations, or undefined. */
function dictOf(module: Module): ModuleDict | undefined {
  const d = (module as unknown as { parametrizations?: unknown }).parametrizations;
  return classBefore.has(module) && d instanceof ModuleDict ? d : undefined;
}

/** Whether `module` has a parametrized tensor (or the tensor `name`), PyTorch's `is_parametrized`. */
export function isParametrized(module: Module, name?: string): boolean {
  const d = dictOf(module);
  if (d === undefined) return false;
  return name === undefined ? d.length > 0 : d.has(name);
}

/** The class `module` had before it was parametrized (its class if it is not), PyTorch's `type_before_parametrizations`. */
export function typeBeforeParametrizations(module: Module): abstract new (...args: never[]) => Module {
  return classBefore.get(module) ?? (module.constructor as abstract new (...args: never[]) => Module);
}

/** Gives `module` a class of its own, `Parametrized<Class>`, holding the properties of its parametrized tensors. */
function injectClass(module: Module): void {
  const base = module.constructor as abstract new (...args: never[]) => Module;
  const name = `Parametrized${base.name}`;
  // A subclass of the layer's class, named as PyTorch names it; the layer is already built, so only its prototype changes.
  const cls = { [name]: function () { /* never called */ } }[name]!;
  cls.prototype = Object.create(base.prototype as object, { constructor: { value: cls, writable: true, configurable: true } }) as object;
  Object.setPrototypeOf(cls, base);
  classBefore.set(module, base);
  Object.setPrototypeOf(module, cls.prototype as object);
  const dict = new ModuleDict();
  registrar(module).holdModule('parametrizations', dict);
  Object.defineProperty(module, 'parametrizations', { get: () => dict, configurable: true, enumerable: false });
}

/** Tensors standing in for parametrized ones during one `functionalCall`, by module and name. */
const stand = new WeakMap<Module, Map<string, Tensor>>();

/**
 * Makes `t` stand in for the parametrized tensor `name` of `module` until called again with null: `functionalCall`
 * given the tensor itself, which, as PyTorch's, then bypasses the parametrization for that call. @internal
 */
export function standInParametrized(module: Module, name: string, t: Tensor | null): void {
  const own = stand.get(module) ?? new Map<string, Tensor>();
  if (t === null) own.delete(name);
  else own.set(name, t);
  if (own.size === 0) stand.delete(module);
  else stand.set(module, own);
}

/** The parametrized tensor `name` of `module`: computed on each read (once while `cached` runs), set through rightInverse. */
function injectProperty(module: Module, name: string, list: ParametrizationList): void {
  Object.defineProperty(Object.getPrototypeOf(module) as object, name, {
    configurable: true,
    get(this: Module): Tensor {
      const given = stand.get(this)?.get(name);
      if (given !== undefined) return given;
      if (cache === null) return list.forward();
      const own = cache.get(this) ?? new Map<string, Tensor>();
      cache.set(this, own);
      let t = own.get(name);
      if (t === undefined) {
        t = list.forward();
        own.set(name, t);
      }
      return t;
    },
    set(value: unknown): void {
      if (!(value instanceof Tensor)) throw new TypeError(`${module.constructor.name}.${name}: assign a Tensor (set through the parametrization's rightInverse), got ${describeValue(value)}`);
      list.rightInverse(value);
    },
  });
  Object.defineProperty(dictOf(module)!, name, { get: () => list, configurable: true, enumerable: false });
}

/** The options of `registerParametrization`: PyTorch's `unsafe`, which skips the checks of shape. */
export interface ParametrizationOptions {
  readonly unsafe?: boolean;
}

/**
 * Registers `parametrization` on the tensor `name` of `module`, PyTorch's `register_parametrization(module,
 * tensor_name, parametrization, unsafe=False)`: on top of those already there, or, the first time, moving the
 * parameter into `module.parametrizations[name].original` (after `rightInverse`). The parametrization takes the
 * module's training mode. Returns the module.
 *
 * @example
 * class Symmetric extends nn.Module {
 *   forward(x: Tensor) { return x.triu().add(x.triu(1).transpose(-1, -2)); }
 *   rightInverse(a: Tensor) { return a.triu(); }
 * }
 * nn.utils.parametrize.registerParametrization(layer, 'weight', new Symmetric());
 */
export function registerParametrization<M extends Module>(module: M, name: string, parametrization: Module, options: ParametrizationOptions = {}): M {
  const where = 'registerParametrization';
  const unsafe = checkOptions(where, options, ['unsafe']).unsafe ?? false;
  if (typeof unsafe !== 'boolean') throw new TypeError(`${where}: unsafe must be true or false, got ${describeValue(unsafe)}`);
  const p = checkParametrization(parametrization);
  p.train(module.training);
  if (isParametrized(module, name)) {
    const list = dictOf(module)!.get(name) as ParametrizationList;
    if (!unsafe) {
      const y = (module as unknown as Record<string, Tensor>)[name]!;
      const x = p.forward(y);
      if (!(x instanceof Tensor)) throw new KindlingError(`A parametrization must return a tensor. Got ${describeValue(x)}.`);
      if (!sameShape(x.shape, y.shape)) {
        throw new KindlingError(`Registering a parametrization may not change the shape of the tensor, unless the \`unsafe\` flag is enabled.\nmodule.${name}.shape: ${formatShape(y.shape)}\nparametrization(module.${name}).shape: ${formatShape(x.shape)}`);
      }
      if (typeof p.rightInverse === 'function') {
        const z = noGrad(() => p.rightInverse!(x));
        if (!(z instanceof Tensor)) throw new KindlingError(`parametrization.right_inverse must return a tensor. Got: ${describeValue(z)}`);
        if (!sameShape(z.shape, y.shape)) {
          throw new KindlingError(`The tensor returned by parametrization.right_inverse must have the same shape as module.${name}, unless the \`unsafe\` flag is enabled.\nmodule.${name}.shape: ${formatShape(y.shape)}\nreturned shape: ${formatShape(z.shape)}`);
        }
      }
    }
    list.append(p);
    list.unsafe ||= unsafe;
    return module;
  }
  if (isComputed(module, name)) {
    throw new KindlingError(`${where}: the ${name} of ${module.constructor.name} is already computed (nn.utils.weightNorm, spectralNorm or prune); remove that first`);
  }
  const original = originalOf(where, module, name);
  const list = new ParametrizationList([p], original, unsafe);
  takeOver(module, name, { accessor: false });
  if (!isParametrized(module)) injectClass(module);
  dictOf(module)!.set(name, list);
  injectProperty(module, name, list);
  return module;
}

/**
 * Removes the parametrizations of `name`, PyTorch's `remove_parametrizations(module, tensor_name,
 * leave_parametrized=True)`: the tensor becomes a parameter again, holding its parametrized value (or, with
 * `leaveParametrized` false, the original's); with one original it is that same tensor object. The layer gets its
 * class back when nothing else of it is parametrized. Returns the module.
 */
export function removeParametrizations<M extends Module>(module: M, name: string, leaveParametrized = true): M {
  if (!isParametrized(module, name)) throw new KindlingError(`Module ${String(module)} does not have a parametrization on ${name}`);
  if (typeof leaveParametrized !== 'boolean') throw new TypeError(`removeParametrizations: leaveParametrized must be true or false, got ${describeValue(leaveParametrized)}`);
  const dict = dictOf(module)!;
  const list = dict.get(name) as ParametrizationList;
  let original: Tensor;
  if (list.isTensor) {
    original = list.originals[0]!;
    if (leaveParametrized) {
      const t = noGrad(() => list.forward());
      noGrad(() => original.copy_(t));
    }
  } else {
    if (!leaveParametrized) throw new KindlingError('Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized in terms of a sequence of tensors.');
    const t = list.forward();
    original = new Parameter(t.detach().clone(), t.requiresGrad);
  }
  delete (Object.getPrototypeOf(module) as Record<string, unknown>)[name];
  delete (dict as unknown as Record<string, unknown>)[name];
  dict.delete(name);
  giveBack(module, name, { restore: original });
  if (!isParametrized(module)) {
    registrar(module).unregisterModule('parametrizations');
    delete (module as unknown as Record<string, unknown>)['parametrizations'];
    Object.setPrototypeOf(module, (classBefore.get(module)! as unknown as { prototype: object }).prototype);
    classBefore.delete(module);
  }
  return module;
}

/**
 * Runs `fn` with parametrized tensors computed once per layer and name (the first read) and reused, PyTorch's
 * `with parametrize.cached():` — for a weight read many times in one pass (a recurrent layer's). Returns fn's result.
 */
export function cached<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new TypeError(`cached: expects a function to run with the cache on, got ${describeValue(fn)}`);
  const outer = cache;
  cache ??= new Map();
  try {
    return fn();
  } finally {
    if (outer === null) cache = null;
  }
}
