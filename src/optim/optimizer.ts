import { allocStorage, subStorage } from '../kernels/storage.js';
import { KindlingError } from '../errors.js';
import { isUninitializedParameter } from '../nn/uninitialized.js';
import { gatherStrided, scatterStrided } from '../kernels/strided.js';
import { checkOptions, describeKind, describeValue, isPlainObject } from '../options.js';
import { enableGrad } from '../autograd/grad-mode.js';
import { Module, setToNoneOf, zeroGradOf } from '../nn/module.js';
import { Tensor } from '../tensor/tensor.js';
import { formatShape, sharesLocations } from '../tensor/shape.js';
import { formatCountOf } from '../format-count.js';
import { refusePythonNames } from '../python-names.js';
import { optimizerRepr, pyFloat, type TorchGroup } from './optimizer-repr.js';

export type ParamState = Record<string, Tensor | number>;

/** What every optimizer's options hold: a learning rate, which the schedulers set. */
export interface GroupOptions {
  lr: number;
}

/**
 * A parameter group as the constructor and `addParamGroup` take it, PyTorch's `{ 'params': …, 'lr': … }`: its
 * parameters, and any of the optimizer's options, which then hold for this group instead of the optimizer's own.
 */
export type ParamGroupInput<O> = { params: Iterable<Tensor> | Tensor } & Partial<LrTensorOr<O>>;

/** Options whose learning rate may also be a 0-d tensor, as PyTorch 1.13 takes `lr=torch.tensor(0.1)` (see `lrValue`). */
export type LrTensorOr<O> = O extends { lr: number } ? Omit<O, 'lr'> & { lr: number | Tensor } : Omit<O, 'lr'> & { lr?: number | Tensor };

/**
 * A parameter group as the optimizer keeps it (PyTorch's `param_groups[i]`): its parameters and every option, the
 * group's own or else the optimizer's. Change an option here (`opt.paramGroups[1].lr = 0.001`) and the next
 * `step()` uses it.
 */
export type ParamGroup<O> = O & { readonly params: readonly Tensor[] };

/** Per-group hyper-parameters as `stateDict()` saves them: the options, and the positions of the group's parameters. */
export type SavedGroup = Record<string, unknown> & { params: number[] };

export interface OptimizerStateDict {
  /** Per parameter (by position in `params`, group after group): its state tensors and counters. */
  state: Record<number, Record<string, { shape: number[]; data: number[] } | number | null>>;
  /** The hyper-parameters of an optimizer with one parameter group. */
  hyper?: Record<string, unknown>;
  /**
   * With `hyper`: the positions of that group's parameters (0, 1, …), as in a `paramGroups` entry, so a state saved
   * for another number of parameters is refused. States saved without it still load.
   */
  params?: number[];
  /** With several groups, instead: every group's hyper-parameters and parameter positions, as PyTorch's `param_groups`. */
  paramGroups?: SavedGroup[];
}

/** The keys `stateDict()` writes (and `loadStateDict()` reads; any other is refused). */
const STATE_DICT_KEYS: readonly (keyof OptimizerStateDict)[] = ['state', 'hyper', 'params', 'paramGroups'];

/**
 * Validates one group's options: `raw` holds the optimizer's options overridden by the group's own (parameters
 * left out); returns them with the defaults filled in, or throws naming `where`.
 */
export type ResolveOptions<O> = (raw: Record<string, unknown>, where: string) => O;

/**
 * Base of optimizers: the parameter groups, a per-parameter state map (never stored on the tensor), zeroGrad.
 * `params` may be tensors (one group with the optimizer's options) or groups `{ params, ...options }`, as in
 * PyTorch: `new optim.SGD([{ params: net.body.parameters() }, { params: net.head.parameters(), lr: 0.1 }], 0.01)`.
 */
/**
 * PyTorch's `initial_lr` of each parameter group: recorded by the first learning-rate scheduler made on the
 * optimizer (`group.setdefault('initial_lr', group['lr'])`), saved with the groups' options by `stateDict()` and
 * restored by `loadStateDict()`, so a scheduler made after a load starts from the first rate, as PyTorch's does.
 */
const initialLrs = new WeakMap<object, number>();

/** A group's `initial_lr`, when a scheduler (or a loaded state) has set one. @internal */
export function groupInitialLr(group: object): number | undefined {
  return initialLrs.get(group);
}

/** Sets a group's `initial_lr` unless it has one (PyTorch's setdefault); returns the group's. @internal */
export function defaultInitialLr(group: object, lr: number): number {
  if (!initialLrs.has(group)) initialLrs.set(group, lr);
  return initialLrs.get(group)!;
}

/** Sets a group's `initial_lr` whatever it held (OneCycleLR's `group['initial_lr'] = max_lr / div_factor`). @internal */
export function setInitialLr(group: object, lr: number): void {
  initialLrs.set(group, lr);
}

/** Splits a saved group's `initialLr` off its options (any finite rate: a scheduler made on a negative one records it). */
function withoutInitialLr(hyper: Record<string, unknown>, where: string): { hyper: Record<string, unknown>; initialLr: number | undefined } {
  const { initialLr, ...rest } = hyper;
  return { hyper: rest, initialLr: initialLr === undefined ? undefined : checkStepLr(initialLr, `${where} (initialLr)`) };
}

/**
 * Keys a scheduler puts in a group besides `initial_lr` (OneCycleLR's `max_lr`, `min_lr`, `max_momentum`,
 * `base_momentum`; SWALR's `swa_lr`), which PyTorch's `print(opt)` shows with the group's options.
 */
const schedulerKeys = new WeakMap<object, Record<string, number>>();

/** Adds scheduler keys to a group, as PyTorch's `group['max_lr'] = …` (printed as Python floats). @internal */
export function setSchedulerKeys(group: object, keys: Record<string, number>): void {
  schedulerKeys.set(group, { ...schedulerKeys.get(group), ...keys });
}

let stepsOf: (o: Optimizer) => number;

/** How many times `o.step()` has run (PyTorch's `optimizer._step_count`, which the schedulers read). @internal */
export function optimizerSteps(o: Optimizer): number {
  return stepsOf(o);
}

export abstract class Optimizer<O extends GroupOptions = GroupOptions> {
  static {
    stepsOf = (o) => o.#steps;
  }

  #steps = 0;

  readonly paramGroups: ParamGroup<O>[] = [];
  protected readonly state = new Map<Tensor, ParamState>();
  readonly #name: string;
  readonly #defaults: Record<string, unknown>;
  readonly #resolve: ResolveOptions<O>;
  readonly #flat: Tensor[] = [];

  protected constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<O>>, name: string, defaults: object | undefined, resolve: ResolveOptions<O>,
  ) {
    if (typeof params === 'function') {
      throw new TypeError(`${name}: params is a function, not the parameters: call it (new optim.${name}(model.parameters(), …))`);
    }
    if (params instanceof Tensor || !isIterable(params)) {
      throw new TypeError(`${name}: params must be an array (or other iterable) of tensors, such as model.parameters(), or of parameter groups { params, … }; got ${describeValue(params)}`);
    }
    this.#name = name;
    this.#defaults = { ...(defaults as Record<string, unknown> | undefined) };
    this.#resolve = resolve;
    const list: unknown[] = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new RangeError(`${name}: optimizer got an empty parameter list`);
    const grouped = list.filter(isParamGroup).length;
    if (grouped === 0) {
      this.#add(list, {}, name, (i) => `parameter ${i}`);
      return;
    }
    if (grouped !== list.length) {
      const i = list.findIndex((v) => !isParamGroup(v));
      throw new TypeError(`${name}: params mixes parameter groups and tensors (item ${i} is ${describeKind(list[i])}): pass either tensors or groups { params, … }, not both`);
    }
    list.forEach((g, i) => this.#addGroup(g as Record<string, unknown>, `${name} (parameter group ${i})`));
  }

  /**
   * Every parameter, group after group: the positions `stateDict()` uses.
   */
  get params(): readonly Tensor[] {
    return this.#flat;
  }

  /** The first group (with one group, the optimizer's options): `opt.options.lr = 0.001`, as `param_groups[0]['lr']`. */
  get options(): ParamGroup<O> {
    return this.paramGroups[0]!;
  }

  /**
   * Adds a group of parameters, with options of its own over the constructor's (PyTorch's `add_param_group`): for
   * instance layers unfrozen partway through training. Its parameters must not be in another group already.
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    this.#addGroup(group, `${this.#name}.addParamGroup`);
  }

  #addGroup(group: unknown, where: string): void {
    if (!isParamGroup(group)) throw new TypeError(`${where}: a parameter group must be an object { params, … }, got ${describeValue(group)}`);
    const { params, ...own } = group;
    if (params instanceof Tensor) {
      this.#add([params], own, where, () => 'its parameter');
      return;
    }
    if (typeof params === 'function') throw new TypeError(`${where}: params is a function, not the parameters: call it (params: model.parameters())`);
    if (!isIterable(params)) throw new TypeError(`${where}: params must be an array (or other iterable) of tensors, or one tensor; got ${describeValue(params)}`);
    this.#add([...(params as Iterable<unknown>)], own, where, (i) => `parameter ${i}`);
  }

  /** Checks `list` (the parameters of one group, whose own options are `own`) and adds the group; or throws, adding nothing. */
  #add(list: readonly unknown[], own: Record<string, unknown>, where: string, label: (i: number) => string): void {
    const name = this.#name;
    list.forEach((p, i) => {
      if (p instanceof Module) {
        throw new TypeError(`${where}: ${label(i)} is a module (${describeValue(p)}), not a Tensor: pass the model's parameters, new optim.${name}(model.parameters(), …)`);
      }
      if (!(p instanceof Tensor)) throw new TypeError(`${where}: ${label(i)} is not a Tensor (got ${describeValue(p)})`);
      if (!p.isLeaf) throw new TypeError(`${where}: can't optimize a non-leaf Tensor (${label(i)})`);
      if (isUninitializedParameter(p)) {
        throw new KindlingError(`${where}: ${label(i)} (${p.name ?? 'a parameter'}) belongs to a lazy layer that has not run yet, so it has no size: call the model once on an input (PyTorch's dry run) before making the optimizer`);
      }
    });
    const tensors = list as Tensor[];
    if (new Set(tensors).size !== tensors.length) throw new RangeError(`${where}: some parameters appear more than once`);
    const taken = new Set(this.#flat);
    if (tensors.some((p) => taken.has(p))) throw new RangeError(`${where}: some parameters appear in more than one parameter group`);
    const raw = { ...this.#defaults, ...own };
    if (raw['lr'] !== undefined) raw['lr'] = lrValue(raw['lr'], where);
    const options = this.#resolve(raw, where);
    this.paramGroups.push({ ...options, params: Object.freeze(tensors.slice()) });
    this.#flat.push(...tensors);
  }

  /** Clears the gradients (in place by default, as in PyTorch 1.13; `setToNone` drops them). */
  zeroGrad(setToNone: boolean | { setToNone?: boolean } = false): void {
    const none = setToNoneOf(setToNone, 'zeroGrad');
    for (const p of this.#flat) zeroGradOf(p, none);
  }

  /**
   * One update of every parameter from its gradient. With a `closure` (PyTorch's `step(closure)`), the closure runs
   * first, with gradients enabled, and should clear the gradients, compute the loss, call `backward()` and return the
   * loss; `step` returns what it returned.
   *
   * @example
   * const loss = opt.step(() => { opt.zeroGrad(); const l = lossFn.forward(model.forward(x), y); l.backward(); return l; });
   */
  step(): void;
  step<L>(closure: () => L): L;
  step<L>(closure?: () => L): L | undefined {
    if (closure !== undefined && typeof closure !== 'function') {
      throw new TypeError(`${this.#name}.step: the closure must be a function that computes the loss and calls backward(), as in opt.step(() => { opt.zeroGrad(); const l = …; l.backward(); return l; }); got ${describeValue(closure)}`);
    }
    this.countStep();
    const loss = closure === undefined ? undefined : enableGrad(closure);
    this.refuseSharedElements(true);
    this.update();
    return loss;
  }

  /**
   * Refuses to step a parameter whose elements share memory (an expand, strides 0): writing each element's update in
   * place would leave whichever came last. PyTorch refuses it at its in-place update ("unsupported operation: more
   * than one element of the written-to tensor refers to a single memory location"), as Kindling's `add_` does; here
   * before any parameter changes. `withGrad`: only parameters with a gradient (the others are not stepped).
   */
  protected refuseSharedElements(withGrad: boolean): void {
    // Plain loops, no closures: this runs for every parameter at every step.
    const flat = this.#flat;
    for (let i = 0; i < flat.length; i++) {
      const p = flat[i]!;
      if (withGrad && p.grad === null) continue;
      if (!sharesLocations(p.shape, p.strides)) continue;
      throw new KindlingError(
        `${this.#name}.step: parameter ${i} (shape ${formatShape(p.shape)}, strides ${formatShape(p.strides)}) has several elements sharing one ` +
          'memory location (an expand), so it cannot be updated in place (PyTorch: "unsupported operation: more than one element of the written-to ' +
          'tensor refers to a single memory location. Please clone() the tensor before performing the operation."): optimize a copy, ' +
          'p.clone().detach().requiresGrad_()',
      );
    }
  }

  /** Counts a call of `step()` (as PyTorch's wrapper of `optimizer.step` does, before the step itself). */
  protected countStep(): void {
    this.#steps++;
  }

  /** The update itself, from the gradients as they are (each optimizer's rule). */
  protected abstract update(): void;

  /** A group's hyper-parameters, for saving (plain values: no parameters, no arrays shared with the group). */
  protected abstract hyper(group: ParamGroup<O>): Record<string, unknown>;

  /** What the optimizer keeps for each parameter it has stepped, under a group's options: counters (integers ≥ 1) and buffers. */
  protected abstract stateKeys(options: O): { readonly counters: readonly string[]; readonly buffers: readonly string[] };

  /**
   * Every buffer the optimizer may keep under some options. A state saved after an option was switched off mid-run
   * (amsgrad, momentum) still holds the buffer it made, as PyTorch's does, and loads.
   */
  protected abstract allBuffers(): readonly string[];

  /** Per-parameter float scalars kept besides counters and buffers (NAdam's mu_product); none by default. */
  protected scalarKeys(): readonly string[] {
    return [];
  }

  /**
   * Buffers PyTorch's state may hold as None (SGD's momentum_buffer without momentum): saved as null, they load as
   * no buffer, which the next step starts afresh as PyTorch's does. None by default.
   */
  protected nullableBuffers(): readonly string[] {
    return [];
  }

  /** The least a saved counter may hold: 1 where state is made at a parameter's first step, 0 where it is made before. */
  protected counterMin(): number {
    return 1;
  }

  /** Validates saved hyper-parameters as the constructor does; returns them as options (or throws). */
  protected resolveSaved(hyper: Record<string, unknown>, where: string): O {
    // A saved rate is one the group held at step(), not a constructor argument: negative is taken (OneCycleLR's
    // linear anneal ends below 0), as PyTorch's load_state_dict takes any; the other options are checked.
    const lr = hyper['lr'];
    if (typeof lr === 'number' && lr < 0 && Number.isFinite(lr)) {
      const options = this.#resolve({ ...hyper, lr: 0 }, `${where} (saved hyper-parameters)`);
      return { ...options, lr };
    }
    return this.#resolve(hyper, `${where} (saved hyper-parameters)`);
  }

  /** Serialisable state: per-parameter buffers in the parameter's row-major order, step counts, and the groups' options. */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    this.#flat.forEach((p, i) => {
      const s = this.state.get(p);
      if (!s) return;
      const entry: Record<string, { shape: number[]; data: number[] } | number> = {};
      for (const [k, v] of Object.entries(s)) entry[k] = typeof v === 'number' ? v : { shape: v.shape.slice(), data: Array.from(v.toArray()) };
      state[i] = entry;
    });
    const hyper = (g: ParamGroup<O>): Record<string, unknown> => {
      const initialLr = initialLrs.get(g);
      return initialLr === undefined ? this.hyper(g) : { ...this.hyper(g), initialLr };
    };
    if (this.paramGroups.length === 1) {
      const only = this.paramGroups[0]!;
      return { state, hyper: hyper(only), params: only.params.map((_, i) => i) };
    }
    let at = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const params = g.params.map((_, i) => at + i);
      at += g.params.length;
      return { ...hyper(g), params };
    });
    return { state, paramGroups };
  }

  /**
   * Restores state saved by `stateDict()` (for the same parameters, in the same order and groups), and, as
   * PyTorch's `load_state_dict` does, the saved hyper-parameters of every group (learning rate and the rest): one
   * `hyper` for an optimizer of one group, `paramGroups` for several.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const where = `${this.#name}.loadStateDict`;
    if (!isPlainObject(sd)) throw new TypeError(`${where}: expected an object as stateDict() returns, { state, hyper } or { state, paramGroups }; got ${describeValue(sd)}`);
    checkOptions(where, sd, STATE_DICT_KEYS, {
      param_groups: "PyTorch's param_groups is not read: stateDict() saves one group's options as hyper (with its parameter positions as params), several groups' as paramGroups, under Kindling's option names (weightDecay, not weight_decay)",
    });
    if (!isPlainObject(sd.state)) throw new TypeError(`${where}: state must be an object of each parameter's state by position, as stateDict() returns; got ${describeValue(sd.state)}`);
    const options = this.#savedOptions(sd, where);
    const next = new Map<Tensor, ParamState>();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = this.#flat[Number(key)];
      if (!p) throw new RangeError(`loadStateDict: state for parameter ${key}, but the optimizer has ${this.#flat.length} parameters`);
      if (!isPlainObject(entry)) throw new TypeError(`${where}: the state of parameter ${key} must be an object of its counters and buffers, got ${describeValue(entry)}`);
      // What this parameter's group keeps, under the options being loaded: each entry whole, and nothing else.
      const g = this.paramGroups.findIndex((group) => group.params.includes(p));
      const { counters, buffers } = this.stateKeys(options[g]?.options ?? this.paramGroups[g]!);
      const keeps = `${this.#name} keeps ${[...counters, ...buffers].map((k) => `"${k}"`).join(', ') || 'nothing'} here`;
      const s: ParamState = {};
      const least = this.counterMin();
      const none: string[] = []; // buffers saved as null (PyTorch's None)
      for (const [k, v] of Object.entries(entry)) {
        if (v === null && this.nullableBuffers().includes(k)) {
          none.push(k);
        } else if (counters.includes(k)) {
          if (!Number.isSafeInteger(v) || (v as number) < least) throw new RangeError(`${where}: counter "${k}" of parameter ${key} must be an integer ≥ ${least}, got ${describeValue(v)}`);
          s[k] = v as number;
        } else if (this.scalarKeys().includes(k)) {
          if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${where}: "${k}" of parameter ${key} must be a finite number, got ${describeValue(v)}`);
          s[k] = Math.fround(v); // a float32 scalar tensor in PyTorch
        } else if ((buffers.includes(k) || this.allBuffers().includes(k)) && typeof v === 'object' && v !== null && Array.isArray(v.shape)) {
          s[k] = bufferLike(p, savedBuffer(v, p, `${where}: buffer "${k}" of parameter ${key}`));
        } else {
          throw new RangeError(`${where}: parameter ${key} has state "${k}" (${describeValue(v)}), but ${keeps}`);
        }
      }
      for (const k of [...counters, ...this.scalarKeys(), ...buffers]) {
        if (s[k] === undefined && !none.includes(k)) throw new RangeError(`${where}: the state of parameter ${key} lacks "${k}" (${keeps})`);
      }
      // A None buffer is kept as no buffer (the entry stays, as in PyTorch's state): the next step starts it.
      next.set(p, s);
    }
    // Nothing changes unless all of it loads. A group's initial rate is the saved one, or none, as PyTorch's groups
    // become the saved ones.
    options.forEach(({ options: o, initialLr }, i) => {
      const group = this.paramGroups[i]!;
      Object.assign(group, o);
      if (initialLr === undefined) initialLrs.delete(group);
      else initialLrs.set(group, initialLr);
    });
    this.state.clear();
    for (const [p, s] of next) this.state.set(p, s);
  }

  /** Each group's options from a saved state (validated; the groups must match this optimizer's). */
  #savedOptions(sd: OptimizerStateDict, where: string): { options: O; initialLr: number | undefined }[] {
    const groups = this.paramGroups;
    if (sd.paramGroups !== undefined && sd.hyper !== undefined) {
      throw new TypeError(`${where}: the state holds both hyper (one group's options) and paramGroups; stateDict() writes one of them`);
    }
    if (sd.params !== undefined && sd.hyper === undefined) {
      throw new TypeError(`${where}: the state holds params (one group's parameter positions) without hyper (its options); stateDict() writes them together`);
    }
    if (sd.paramGroups === undefined) {
      if (sd.hyper === undefined) return [];
      if (groups.length !== 1) throw new RangeError(`${where}: loaded state dict has a different number of parameter groups (1 saved, as hyper; the optimizer has ${groups.length})`);
      if (sd.params !== undefined) {
        const n = Array.isArray(sd.params) ? sd.params.length : -1;
        if (n !== groups[0]!.params.length) {
          throw new RangeError(`${where}: loaded state dict contains a parameter group that doesn't match the size of optimizer's group (${n < 0 ? `params is ${describeValue(sd.params)}, not a list of parameter positions` : `${formatCountOf(n, 'parameter')} saved`}; the optimizer's has ${groups[0]!.params.length})`);
        }
      }
      const { hyper, initialLr } = withoutInitialLr(sd.hyper, where);
      return [{ options: this.resolveSaved(hyper, where), initialLr }];
    }
    if (!Array.isArray(sd.paramGroups)) throw new TypeError(`${where}: paramGroups must be an array, got ${describeValue(sd.paramGroups)}`);
    if (sd.paramGroups.length !== groups.length) {
      throw new RangeError(`${where}: loaded state dict has a different number of parameter groups (${sd.paramGroups.length} saved; the optimizer has ${groups.length})`);
    }
    return sd.paramGroups.map((saved, i) => {
      if (!isPlainObject(saved)) throw new TypeError(`${where}: parameter group ${i} must be an object, got ${describeValue(saved)}`);
      const { params, ...withInitial } = saved;
      const { hyper, initialLr } = withoutInitialLr(withInitial, `${where} (parameter group ${i})`);
      const n = Array.isArray(params) ? params.length : -1;
      if (n !== groups[i]!.params.length) {
        throw new RangeError(`${where}: loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group ${i}: ${n < 0 ? 'no list of parameters' : formatCountOf(n, 'parameter')} saved; the optimizer's has ${groups[i]!.params.length})`);
      }
      return { options: this.resolveSaved(hyper, `${where} (parameter group ${i})`), initialLr };
    });
  }

  /**
   * One group's options as PyTorch 1.13's group holds them for this optimizer: its keys (foreach and the other
   * flags Kindling has no use for at their defaults), each value printed as Python prints it (see optimizer-repr.ts).
   */
  protected abstract torchGroup(group: ParamGroup<O>): TorchGroup;

  /**
   * PyTorch's `Optimizer.__repr__`, to the character: `Adam (`, then per group `Parameter Group i` and its options
   * sorted by key, one a line (with `initial_lr` once a scheduler has set it, as there), then `)`.
   */
  toString(): string {
    return optimizerRepr(this.#name, this.paramGroups.map((g) => {
      const keys = Object.entries(schedulerKeys.get(g) ?? {}).map(([k, v]) => [k, pyFloat(v)]);
      const text = { ...this.torchGroup(g), ...Object.fromEntries(keys) };
      const initialLr = initialLrs.get(g);
      // PyTorch's initial_lr is the group's lr as it was: printed as lr is.
      return initialLr === undefined ? text : { ...text, initial_lr: this.torchGroup({ ...g, lr: initialLr })['lr']! };
    }));
  }

  /** What `console.log(opt)` shows: `toString()`, as Python's print(opt). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** What an optimizer's options say of a `params` key: groups go in the first argument. */
export function groupHint(name: string): Record<string, string> {
  return { params: `parameter groups go in the first argument, as a list: new optim.${name}([{ params: model.parameters(), lr: 0.1 }], …)` };
}

/** A PyTorch parameter group, `{ params: model.parameters(), lr: 0.1 }`. */
function isParamGroup(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) && 'params' in v;
}

function isIterable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}

/**
 * A saved buffer's values, checked against its parameter `p`: `{ shape, data }` with p's shape and as many numbers
 * (a corrupt state is refused, naming `what`, rather than loaded as NaN or reshaped).
 */
function savedBuffer(v: { shape: unknown; data: unknown }, p: Tensor, what: string): Float32Array {
  const { shape, data } = v;
  if (!Array.isArray(data) && !(data instanceof Float32Array)) throw new TypeError(`${what}: data must be an array of numbers, got ${describeValue(data)}`);
  if (data.length !== p.numel()) throw new RangeError(`${what} has ${data.length} values, expected ${p.numel()}`);
  if (!Array.isArray(shape) || shape.length !== p.ndim || shape.some((d, i) => d !== p.shape[i])) {
    throw new RangeError(`${what} has shape ${Array.isArray(shape) ? `[${shape.map((d) => (typeof d === 'number' ? d : JSON.stringify(d))).join(', ')}]` : describeValue(shape)}, expected [${p.shape.join(', ')}] (the parameter's)`);
  }
  for (let i = 0; i < data.length; i++) {
    if (typeof data[i] !== 'number') throw new TypeError(`${what}: data[${i}] is ${describeValue(data[i])}, not a number`);
  }
  return Float32Array.from(data as ArrayLike<number>);
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

/**
 * A learning rate given as a 0-d tensor, `tensor(0.1)`, as the number it holds (PyTorch 1.13 takes one, and its
 * SGD steps with its value; its print shows that value, `lr: 0.10000000149011612`); anything else as it is, for
 * `checkLr`. PyTorch refuses a tensor of several values, and its step a tensor of one value with dimensions.
 */
export function lrValue(lr: unknown, name: string): unknown {
  if (!(lr instanceof Tensor)) return lr;
  if (lr.ndim !== 0) {
    throw new TypeError(`${name}: a learning rate given as a tensor must be a 0-d tensor holding one number, such as tensor(0.1); got one of shape ${formatShape(lr.shape)}`);
  }
  return lr.item();
}

export function checkLr(lr: unknown, name: string): number {
  if (typeof lr !== 'number') throw new TypeError(`${name}: the learning rate must be a number, got ${describeValue(lr)}`);
  if (!(lr >= 0) || !Number.isFinite(lr)) throw new RangeError(`${name}: Invalid learning rate: ${String(lr)}`);
  return lr;
}

/**
 * A group's rate at `step()`: any finite number. PyTorch checks the rate only in the constructor; at step() its
 * optimizers take the group's rate as it is, negative too (OneCycleLR's linear anneal can end below 0).
 */
export function checkStepLr(lr: unknown, name: string): number {
  if (typeof lr !== 'number') throw new TypeError(`${name}: the learning rate must be a number, got ${describeValue(lr)}`);
  if (!Number.isFinite(lr)) throw new RangeError(`${name}: the learning rate must be a finite number, got ${String(lr)}`);
  return lr;
}

/**
 * The gradient's values laid out like `p`'s storage, so updates can run as flat loops over both: `g.data` itself
 * when the layouts agree (always, for gradients the engine made), else a re-laid copy (a user-assigned `.grad`).
 */
export function gradValues(p: Tensor, g: Tensor): Float32Array {
  const gd = g.settled();
  let same = gd.length === p.unsettledData.length && gd.length === p.numel();
  for (let i = 0; same && i < p.ndim; i++) if (p.shape[i] !== 1 && p.strides[i] !== g.strides[i]) same = false;
  if (same) return gd;
  const values = g.values();
  if (p.unsettledData.length === p.numel() && p.isContiguous()) return values;
  return bufferLike(p, values).unsettledData;
}

/**
 * The values a step updates, laid out as `gradValues` and `bufferLike` lay out the gradient and the state: p's
 * storage itself when p spans all of it (every parameter a module makes). A parameter may also be a view of part of
 * another tensor's storage, as PyTorch allows (`torch.randn(10)[2:7].requires_grad_()`): then the part it spans when
 * it is contiguous there, else a row-major copy, which `storeParam` writes back through p's strides. Either way the
 * step changes p in place, and its base sees it, as in PyTorch.
 */
export function paramValues(p: Tensor): Float32Array {
  const data = p.settled();
  const n = p.numel();
  if (data.length === n) return data;
  if (p.isContiguous()) return subStorage(data, 0, n);
  const copy = new Float32Array(n);
  gatherStrided(data, p.shape, p.strides, copy);
  return copy;
}

/** Writes a step's `values` (from `paramValues`) into p, where they were a copy; else they are p's storage already. */
export function storeParam(p: Tensor, values: Float32Array): void {
  const data = p.unsettledData;
  if (data.length === p.numel() || p.isContiguous()) return;
  scatterStrided(values, data, p.shape, p.strides);
}

refusePythonNames(Optimizer.prototype, 'optimizer', [
  ['zero_grad', 'zeroGrad', 'method'], ['state_dict', 'stateDict', 'method'], ['load_state_dict', 'loadStateDict', 'method'],
  ['add_param_group', 'addParamGroup', 'method'], ['param_groups', 'paramGroups', 'property'],
]);

/** The checks the Adam family (Adam, AdamW, Adamax, NAdam) shares, with PyTorch's messages: eps, the two betas, weight decay. */
export function checkAdamFamily(where: string, o: { eps: number; betas: readonly number[]; weightDecay: number }): void {
  if (!(o.eps >= 0)) throw new RangeError(`${where}: Invalid epsilon value: ${o.eps}`);
  if (!Array.isArray(o.betas) || o.betas.length !== 2) throw new RangeError(`${where}: betas must be a pair of numbers`);
  o.betas.forEach((b, i) => {
    if (!(b >= 0 && b < 1)) throw new RangeError(`${where}: Invalid beta parameter at index ${i}: ${b}`);
  });
  if (!(o.weightDecay >= 0)) throw new RangeError(`${where}: Invalid weight_decay value: ${o.weightDecay}`);
}
