import { allocStorage } from '../kernels/storage.js';
import { scatterStrided } from '../kernels/ref/strided.js';
import { describeValue, isPlainObject } from '../options.js';
import { Module, zeroGradOf } from '../nn/module.js';
import { Tensor } from '../tensor/tensor.js';

export type ParamState = Record<string, Tensor | number>;

export interface OptimizerStateDict {
  /** Per parameter (by position in the params list): its state tensors and counters. */
  state: Record<number, Record<string, { shape: number[]; data: number[] } | number>>;
  hyper: Record<string, unknown>;
}

/** Base of optimizers: the parameters, a per-parameter state map (never stored on the tensor), zeroGrad. */
export abstract class Optimizer {
  readonly params: readonly Tensor[];
  protected readonly state = new Map<Tensor, ParamState>();

  constructor(params: Iterable<Tensor>, name: string) {
    if (typeof params === 'function') {
      throw new TypeError(`${name}: params is a function, not the parameters: call it (new optim.${name}(model.parameters(), …))`);
    }
    if (typeof params !== 'object' || params === null || typeof (params as Partial<Iterable<Tensor>>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${name}: params must be an array (or other iterable) of tensors, such as model.parameters(); got ${describeValue(params)}`);
    }
    const list = [...params];
    if (list.length === 0) throw new RangeError(`${name}: optimizer got an empty parameter list`);
    list.forEach((p, i) => {
      if (isParamGroup(p)) {
        throw new TypeError(
          `${name}: parameter groups are not supported (item ${i} is a group { ${Object.keys(p).join(', ')} }, as PyTorch's per-group options): ` +
            `pass the parameters themselves and the options once, new optim.${name}(model.parameters(), { lr: 0.1 }); ` +
            'for different options per group of parameters, use one optimizer per group and step each',
        );
      }
      if (p instanceof Module) {
        throw new TypeError(`${name}: parameter ${i} is a module (${describeValue(p)}), not a Tensor: pass the model's parameters, new optim.${name}(model.parameters(), …)`);
      }
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: parameter ${i} is not a Tensor (got ${describeValue(p)})`);
      if (!p.isLeaf) throw new TypeError(`${name}: can't optimize a non-leaf Tensor (parameter ${i})`);
      if (p.unsettledData.length !== p.numel()) throw new TypeError(`${name}: parameter ${i} is a view that does not own its storage; pass a contiguous copy`);
    });
    if (new Set(list).size !== list.length) throw new RangeError(`${name}: some parameters appear more than once`);
    this.params = list;
  }

  /** Clears the gradients (in place by default, as in PyTorch 1.13; `setToNone` drops them). */
  zeroGrad(setToNone = false): void {
    for (const p of this.params) zeroGradOf(p, setToNone);
  }

  abstract step(): void;

  /** Hyper-parameters, for saving. */
  protected abstract hyper(): Record<string, unknown>;

  /** Takes saved hyper-parameters (validated as the constructor validates them). */
  protected abstract applyHyper(hyper: Record<string, unknown>): void;

  /** Serialisable state: per-parameter buffers in the parameter's row-major order, and step counts. */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    this.params.forEach((p, i) => {
      const s = this.state.get(p);
      if (!s) return;
      const entry: Record<string, { shape: number[]; data: number[] } | number> = {};
      for (const [k, v] of Object.entries(s)) entry[k] = typeof v === 'number' ? v : { shape: v.shape.slice(), data: Array.from(v.toArray()) };
      state[i] = entry;
    });
    return { state, hyper: this.hyper() };
  }

  /**
   * Restores state saved by `stateDict()` (for the same parameters, in the same order), and, as PyTorch's
   * `load_state_dict` does, the saved hyper-parameters (learning rate and the rest).
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const next = new Map<Tensor, ParamState>();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = this.params[Number(key)];
      if (!p) throw new RangeError(`loadStateDict: state for parameter ${key}, but the optimizer has ${this.params.length} parameters`);
      const s: ParamState = {};
      for (const [k, v] of Object.entries(entry)) {
        if (typeof v === 'number') s[k] = v;
        else {
          if (v.data.length !== p.numel()) throw new RangeError(`loadStateDict: buffer "${k}" of parameter ${key} has ${v.data.length} values, expected ${p.numel()}`);
          s[k] = bufferLike(p, Float32Array.from(v.data));
        }
      }
      next.set(p, s);
    }
    // Nothing changes unless all of it loads.
    if (sd.hyper !== undefined) this.applyHyper(sd.hyper);
    this.state.clear();
    for (const [p, s] of next) this.state.set(p, s);
  }
}

/** A PyTorch parameter group, `{ params: model.parameters(), lr: 0.1 }`, which Kindling's optimizers do not take. */
function isParamGroup(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && 'params' in v;
}

/** A buffer with `p`'s shape and storage layout, filled from row-major `values` (zeros when omitted). */
export function bufferLike(p: Tensor, values?: Float32Array): Tensor {
  const dense = p.unsettledData.length === p.numel();
  // Optimizer state lives as long as the optimizer and is read every step: kernel memory (see allocStorage).
  const t = dense ? new Tensor(allocStorage(p.numel()), p.shape, { strides: p.strides }) : new Tensor(allocStorage(p.numel()), p.shape);
  t.exposed = false;
  const data = t.unsettledData;
  if (values) {
    if (t.isContiguous()) data.set(values);
    else scatterStrided(values, data, t.shape, t.strides);
  }
  return t;
}

/**
 * Refuses hyper-parameters of the wrong type before their ranges are checked: a string such as '1e-8' would pass a
 * range check (JavaScript compares it as a number) and then be added as text. `numbers` and `flags` name the options.
 */
export function checkTypes(name: string, options: object, numbers: readonly string[], flags: readonly string[] = []): void {
  const o = options as Record<string, unknown>;
  for (const k of numbers) {
    const v = o[k];
    const ok = k === 'betas' ? Array.isArray(v) && v.every((b) => typeof b === 'number') : typeof v === 'number';
    if (!ok) throw new TypeError(`${name}: ${k} must be ${k === 'betas' ? 'a pair of numbers' : 'a number'}, got ${describeValue(v)}`);
  }
  for (const k of flags) {
    if (typeof o[k] !== 'boolean') throw new TypeError(`${name}: ${k} must be true or false, got ${describeValue(o[k])}`);
  }
}

export function checkLr(lr: unknown, name: string): number {
  if (typeof lr !== 'number') throw new TypeError(`${name}: the learning rate must be a number, got ${describeValue(lr)}`);
  if (!(lr >= 0) || !Number.isFinite(lr)) throw new RangeError(`${name}: Invalid learning rate: ${String(lr)}`);
  return lr;
}

/**
 * The gradient's values laid out like `p`'s storage, so updates can run as flat loops over both: `g.data` itself
 * when the layouts agree (always, for gradients the engine made), else a re-laid copy (a user-assigned `.grad`).
 */
export function gradValues(p: Tensor, g: Tensor): Float32Array {
  const gd = g.settled();
  let same = gd.length === p.unsettledData.length;
  for (let i = 0; same && i < p.ndim; i++) if (p.shape[i] !== 1 && p.strides[i] !== g.strides[i]) same = false;
  if (same) return gd;
  const values = g.values();
  if (p.unsettledData.length === p.numel() && p.isContiguous()) return values;
  return bufferLike(p, values).unsettledData;
}
