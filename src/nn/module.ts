import { clearGrad } from '../autograd/accumulate.js';
import { noGrad } from '../autograd/grad-mode.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { ModelInfo } from '../io/model-file.js';

export type StateDict = Record<string, Tensor>;

/**
 * Base class of layers and models. Parameters and sub-modules are registered explicitly with names, so
 * `namedParameters()` and `stateDict()` use PyTorch's keys (`0.weight`, `0.bias`, …).
 */
export abstract class Module {
  /** Training mode (true) or evaluation mode (false); set with `train()` / `eval()`. */
  training = true;
  private readonly params = new Map<string, Tensor>();
  private readonly modules = new Map<string, Module>();

  /** Computes the module's output. */
  abstract forward(input: Tensor): Tensor;

  /** Registers (or replaces) a parameter under `name`; it becomes a leaf that requires grad. */
  protected registerParameter(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    t.name = name;
    this.params.set(name, t);
    return t;
  }

  protected registerModule<M extends Module>(name: string, m: M): M {
    if (!(m instanceof Module)) throw new TypeError(`registerModule: '${name}' is not a Module`);
    this.modules.set(name, m);
    return m;
  }

  /** Direct sub-modules, in registration order. */
  children(): Module[] {
    return [...this.modules.values()];
  }

  namedChildren(): Array<[string, Module]> {
    return [...this.modules.entries()];
  }

  /** Every parameter of this module and its sub-modules, each once. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** `[name, parameter]` pairs with PyTorch's dotted names. */
  namedParameters(prefix = ''): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    const seen = new Set<Tensor>();
    const walk = (m: Module, pre: string): void => {
      for (const [n, p] of m.params) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([pre + n, p]);
      }
      for (const [n, c] of m.modules) walk(c, `${pre}${n}.`);
    };
    walk(this, prefix);
    return out;
  }

  train(mode = true): this {
    this.training = mode;
    for (const c of this.modules.values()) c.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Sets every parameter's gradient to zero (or drops it with `setToNone`). */
  zeroGrad(setToNone = false): void {
    for (const p of this.parameters()) zeroGradOf(p, setToNone);
  }

  /** name → parameter (detached, sharing storage), like PyTorch's `state_dict()`. */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [n, p] of this.namedParameters()) out[n] = p.detach();
    return out;
  }

  /**
   * Copies values from a state dict into this module's parameters. With `strict` (default), missing and
   * unexpected keys are errors; a shape mismatch always is, naming the key and both shapes.
   */
  loadStateDict(state: Readonly<Record<string, Tensor>>, options: { strict?: boolean } = {}): { missingKeys: string[]; unexpectedKeys: string[] } {
    const strict = options.strict ?? true;
    const own = new Map(this.namedParameters());
    const missingKeys = [...own.keys()].filter((k) => !(k in state));
    const unexpectedKeys = Object.keys(state).filter((k) => !own.has(k));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts: string[] = [];
      if (missingKeys.length) parts.push(`missing key(s): ${missingKeys.map((k) => `"${k}"`).join(', ')}`);
      if (unexpectedKeys.length) parts.push(`unexpected key(s): ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}`);
      throw new RangeError(`loadStateDict: ${parts.join('; ')}`);
    }
    for (const [k, p] of own) {
      const src = state[k];
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) throw new TypeError(`loadStateDict: value for "${k}" is not a Tensor`);
      if (!sameShape(src.shape, p.shape)) {
        throw new RangeError(`loadStateDict: size mismatch for "${k}": copying a param with shape ${formatShape(src.shape)}, the shape in the current model is ${formatShape(p.shape)}`);
      }
    }
    noGrad(() => {
      for (const [k, p] of own) {
        const src = state[k];
        if (src !== undefined) copyInto(p, src.values());
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Saves the model to a safetensors file: parameters under PyTorch's state_dict names (F32, row-major), the
   * architecture and `info` in the metadata; written atomically. (Implemented in `nn/serialize.ts`.)
   *
   * @example
   * model.save('mnist.safetensors', { variant: 'combined', seed: 0, epoch: 3 });
   */
  save(path: string, info?: ModelInfo): void {
    modelPersistence().save(this, path, info);
  }

  /**
   * Rebuilds a model saved with `save()` (or any file with Kindling's architecture metadata).
   *
   * @example
   * const model = nn.Module.load('mnist.safetensors');
   */
  static load(path: string): Module {
    return modelPersistence().load(path);
  }

  /** Extra text shown inside the parentheses when printing (e.g. `in_features=784, out_features=200`). */
  protected extraRepr(): string {
    return '';
  }

  /** A PyTorch-style description of the module tree. */
  toString(): string {
    const name = this.constructor.name;
    const kids = [...this.modules.entries()];
    if (kids.length === 0) return `${name}(${this.extraRepr()})`;
    const lines = kids.map(([n, m]) => `  (${n}): ${m.toString().split('\n').join('\n  ')}`);
    const extra = this.extraRepr();
    return `${name}(${extra ? `\n  ${extra}` : ''}\n${lines.join('\n')}\n)`;
  }
}

/** What `Module.save`/`Module.load` delegate to (see `nn/serialize.ts`, which installs it). */
export interface ModelPersistence {
  save(model: Module, path: string, info?: ModelInfo): void;
  load(path: string): Module;
}

let persistence: ModelPersistence | undefined;

/**
 * Installs the model file implementation; called once by `nn/serialize.ts` when it is loaded. (That file imports
 * the layers, which import this one, so this one cannot import it back without a cycle.) @internal
 */
export function setModelPersistence(p: ModelPersistence): void {
  persistence = p;
}

function modelPersistence(): ModelPersistence {
  if (persistence === undefined) {
    throw new Error('Module.save/load need nn/serialize.js: import Kindling through its index (`import { nn } from "kindling"`) or import its nn/serialize.js once');
  }
  return persistence;
}

/** Writes row-major `values` into `t`'s storage, whatever its strides. */
export function copyInto(t: Tensor, values: Float32Array): void {
  if (t.isContiguous()) {
    t.data.set(values.subarray(0, t.numel()));
    return;
  }
  if (t.ndim === 2) {
    const [r, c] = t.shape as [number, number];
    const [s0, s1] = t.strides as [number, number];
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t.data[i * s0 + j * s1] = values[i * c + j]!;
    return;
  }
  throw new RangeError(`copyInto: unsupported layout for shape ${formatShape(t.shape)}`);
}

/** Zeroes (or, with `setToNone`, drops) `p.grad`, touching only the rows a sparse gradient may occupy. */
export function zeroGradOf(p: Tensor, setToNone: boolean): void {
  if (setToNone) {
    p.grad = null;
    return;
  }
  if (p.grad !== null) clearGrad(p.grad);
}
