/**
 * A module's members — its parameters and its direct sub-modules — as PyTorch has them: the ones registered
 * explicitly (`registerParameter` / `registerModule`) and the ones held in the module's own enumerable properties,
 * which PyTorch registers when they are assigned (`this.fc1 = new nn.Linear(…)`). A parameter is a tensor made by
 * `nn.Parameter` or registered, frozen since or not; a plain tensor that requires grad is not one, as in PyTorch.
 *
 * Order is PyTorch's, the order of assignment: each explicit registration remembers how many own properties the
 * module had at that moment, and goes after those properties and before later ones. A property holding a member
 * already held under another name (explicitly registered, or by an earlier property) is an alias: a member under
 * both names, as in PyTorch, so `stateDict()` and printing list it twice while `children()` and `parameters()`
 * (which go by identity) count it once; a property named like an
 * explicit registration replaces that registration's value in place when it holds another member of the same kind
 * (`model.fc2 = new nn.Linear(…)` after construction), as assignment does in PyTorch.
 *
 * A property can be assigned at any time, so every call checks the own properties against those the members were
 * last found from (`MemberIndex`): one look at each, nothing allocated, paid by `parameters()`, `zeroGrad()`,
 * `train()`, … — not by a training step, which works on the optimizer's list. Private `#fields`, non-enumerable
 * properties, getters and symbols are not seen; arrays, plain objects, `Map`s and `Set`s are not looked into (see
 * `checkContainers` in `nn/member-errors.ts`, run when the properties change).
 *
 * As in PyTorch, a name that holds a parameter takes only a parameter (or null) and one that holds a sub-module only
 * a module, a parameter or null: anything else is a TypeError (`assignError`) — at the assignment itself for the
 * layers' own parameters (`Linear.weight`, …, accessors that call `Module.assignParameter`), and, for a property a
 * plain assignment changes, at the next call that finds the members (`parameters()`, `stateDict()`, `train()`, …)
 * when the members had been found since the name last held a member. Properties are seen only when the members are
 * found, so a parameter replaced before that is simply not a member (as if it had never been set).
 *
 * Buffers (`registerBuffer`) are members of a third kind, kept apart: only registered, never found in the properties
 * (the accessor a buffer is reached through is not enumerable), in registration order.
 */
import { isPlainObject } from '../options.js';
import { isMarkedParameter, markParameter } from '../tensor/parameter-mark.js';
import { Tensor } from '../tensor/tensor.js';
import { assignError, checkContainers, type Kind } from './member-errors.js';

/** Members registered explicitly, in registration order, each with its place among the owner's own properties. */
export class Registry<T> {
  private readonly values = new Map<string, T>();
  private readonly places = new Map<string, number>();

  /** Registers (or replaces, keeping its place) `value` under `name`. */
  set(owner: object, name: string, value: T): void {
    if (!this.places.has(name)) {
      // A declared class field exists (undefined) before the constructor assigns it: its place is its own.
      const keys = Object.keys(owner);
      const own = keys.indexOf(name);
      this.places.set(name, own >= 0 ? own : keys.length);
    }
    this.values.set(name, value);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Removes the member registered under `name`; a later registration of the name goes last. */
  delete(name: string): boolean {
    this.places.delete(name);
    return this.values.delete(name);
  }

  get size(): number {
    return this.values.size;
  }

  includes(value: T): boolean {
    for (const v of this.values.values()) if (v === value) return true;
    return false;
  }

  entries(): IterableIterator<[string, T]> {
    return this.values.entries();
  }

  placeOf(name: string): number {
    return this.places.get(name)!;
  }
}

export interface Members<M> {
  readonly params: ReadonlyArray<readonly [string, Tensor]>;
  readonly modules: ReadonlyArray<readonly [string, M]>;
  /** The sub-modules as printed: `modules` with, in their places, the names that held one and are null now (`(b): None`). */
  readonly shown: ReadonlyArray<readonly [string, M | null]>;
}

/**
 * A buffer registered with `registerBuffer`: a tensor that is part of the module's state but is not trained (a
 * BatchNorm's running mean). `tensor` null: registered as None is in PyTorch, listed nowhere until a tensor is set.
 * Non-persistent buffers are left out of `stateDict()`.
 */
export interface BufferEntry {
  readonly tensor: Tensor | null;
  readonly persistent: boolean;
}

/** Marks `t` as a parameter (PyTorch's `nn.Parameter`): a module holding it in a property counts it as one. */
export { markParameter };

/**
 * A tensor a module holds as a parameter: one made by `nn.Parameter` or registered. As in PyTorch, a plain tensor
 * that requires grad is not one (an input kept in a property, say, for a saliency map).
 */
export function isParameter(v: unknown): v is Tensor {
  return v instanceof Tensor && isMarkedParameter(v);
}

/** [name, place among the own properties, value] of a member held in a property. */
type Found<T> = [string, number, T];

const NONE: readonly never[] = Object.freeze([]);

/**
 * A module's registries, and its members as last found with the own properties they were found from. The members
 * are found again only when a property holding an object was added, removed or reassigned, or a tensor in one became
 * or stopped being a parameter; checking that costs a look at each own property, with nothing allocated. (A primitive
 * property, such as `training`, may change freely. An object whose prototype has enumerable properties fails the
 * check every time, and is simply scanned every time.)
 */
export class MemberIndex<M extends object> {
  /** null: set to null by a layer's accessor (`lin.bias = null`), keeping its place for a later parameter. */
  readonly #params = new Registry<Tensor | null>();
  /** null: registered as None (`addModule('act', null)`), its place kept: printed `(act): None`, listed nowhere else. */
  readonly #modules = new Registry<M | null>();
  readonly #isModule: (v: unknown) => v is M;
  /** An error for a property that must not hold a member (an index past the end of a Sequential), or undefined. */
  readonly #stray: (owner: object, key: string, value: unknown) => Error | undefined;
  #members: Members<M> | null = null;
  /**
   * The kind of member each property held when the members were last found (the registries say it for the names
   * registered explicitly, unless a parameter has since taken a sub-module's place).
   */
  #slots: ReadonlyMap<string, Kind> = new Map();
  #keys: readonly string[] = NONE;
  /** Per own property: its value if an object, else undefined; a parameter is marked by its place in `#paramAt`. */
  #values: readonly unknown[] = NONE;
  #paramAt: readonly number[] = NONE;

  constructor(isModule: (v: unknown) => v is M, stray: (owner: object, key: string, value: unknown) => Error | undefined = () => undefined) {
    this.#isModule = isModule;
    this.#stray = stray;
  }

  /** Buffers in registration order; they are reached through accessors, never found in the properties. */
  readonly #buffers = new Map<string, BufferEntry>();

  /** Registers (or replaces, keeping its place) the buffer `name`. */
  registerBuffer(name: string, t: Tensor | null, persistent: boolean): void {
    this.#buffers.set(name, { tensor: t, persistent });
  }

  /** Removes the buffer `name`; true if there was one. */
  unregisterBuffer(name: string): boolean {
    return this.#buffers.delete(name);
  }

  /** Puts `t` in the buffer `name`, already registered, keeping its persistence. */
  setBuffer(name: string, t: Tensor | null): void {
    const entry = this.#buffers.get(name)!;
    this.#buffers.set(name, { tensor: t, persistent: entry.persistent });
  }

  hasBuffer(name: string): boolean {
    return this.#buffers.has(name);
  }

  /** The buffer `name` (null when registered as null), or undefined when there is no such buffer. */
  getBuffer(name: string): Tensor | null | undefined {
    return this.#buffers.get(name)?.tensor;
  }

  /** The buffers in registration order (do not change the map). */
  buffers(): ReadonlyMap<string, BufferEntry> {
    return this.#buffers;
  }

  /** What `name` was registered explicitly as, if anything. */
  registeredAs(name: string): 'parameter' | 'module' | undefined {
    return this.#params.has(name) ? 'parameter' : this.#modules.has(name) ? 'module' : undefined;
  }

  /**
   * The kind of member the own property `name` of `owner` held when the members were last found, now included: kept
   * while it holds null, as PyTorch keeps a name set to None among its parameters or sub-modules.
   */
  slotOf(owner: object, name: string): Kind | undefined {
    this.members(owner);
    return this.#slots.get(name);
  }

  /** True when `name` was registered explicitly as a parameter or a sub-module. */
  hasRegistered(name: string): boolean {
    return this.#params.has(name) || this.#modules.has(name);
  }

  registerParameter(owner: object, name: string, t: Tensor): void {
    markParameter(t);
    this.#params.set(owner, name, t);
    this.#members = null;
  }

  /**
   * Makes `t`, already checked to be a parameter (or null: none), the parameter registered under `name`, in the
   * registration's place (a layer's accessor: `lin.weight = new nn.Parameter(…)`).
   */
  assignParameter(owner: object, name: string, t: Tensor | null): void {
    this.#params.set(owner, name, t);
    this.#members = null;
  }

  registerModule(owner: object, name: string, m: M | null): void {
    this.#modules.set(owner, name, m);
    this.#members = null;
  }

  /** Removes the parameter registered under `name` (not one held in a property). */
  unregisterParameter(name: string): boolean {
    this.#members = null;
    return this.#params.delete(name);
  }

  /** Removes the sub-module registered under `name` (not one held in a property). */
  unregisterModule(name: string): boolean {
    this.#members = null;
    return this.#modules.delete(name);
  }

  /**
   * The members of `owner`: its registries merged with what its own properties hold. Do not change the lists.
   *
   * @throws TypeError when a property is an array, plain object, Map or Set holding modules or parameters that are not
   * members, or when a property that held a parameter or sub-module was assigned what cannot take its place.
   */
  members(owner: object): Members<M> {
    const members = this.#members;
    return members === null || !this.#unchanged(owner) ? this.#find(owner, Object.keys(owner)) : members;
  }

  /** True when the enumerable properties are those the members were found from (for-in: it allocates nothing). */
  #unchanged(owner: object): boolean {
    const props = owner as Record<string, unknown>;
    const keys = this.#keys;
    const values = this.#values;
    const paramAt = this.#paramAt;
    let i = 0;
    let nextParam = 0;
    for (const key in owner) {
      if (key !== keys[i]) return false;
      const v = props[key];
      const o = values[i];
      if (v !== o && (typeof v === 'object' || o !== undefined)) return false;
      if (v instanceof Tensor) {
        const wasParam = paramAt[nextParam] === i;
        if (wasParam) nextParam++;
        if (isParameter(v) !== wasParam) return false;
      }
      i++;
    }
    return i === keys.length;
  }

  #find(owner: object, keys: readonly string[]): Members<M> {
    const props = owner as Record<string, unknown>;
    const foundParams: Array<Found<Tensor>> = [];
    const foundModules: Array<Found<M>> = [];
    const nullModules: Array<Found<M | null>> = [];
    const values: unknown[] = [];
    const paramAt: number[] = [];
    const containers: string[] = [];
    const slots = new Map<string, Kind>();
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const v = props[key];
      const slot = this.#slots.get(key);
      const held = slot ?? (this.#params.has(key) ? 'parameter' : this.#modules.has(key) ? 'module' : undefined);
      if (held !== undefined && v !== null && v !== undefined && !isParameter(v) && (held === 'parameter' || !this.#isModule(v))) {
        throw assignError(owner, key, held, v, { later: true });
      }
      if (typeof v !== 'object' || v === null) {
        values.push(v === null ? null : undefined);
        // A name that held a member and is null (or undefined) now still takes only a member of its kind, as in PyTorch.
        if (slot !== undefined) slots.set(key, slot);
        // PyTorch keeps a sub-module set to None in its place, printed `(b): None` (a registered one is merged below).
        if (v === null && slot === 'module' && !this.#modules.has(key)) nullModules.push([key, i, null]);
        continue;
      }
      values.push(v);
      if (isParameter(v) || this.#isModule(v)) {
        const stray = this.#stray(owner, key, v);
        if (stray) throw stray;
      }
      if (v instanceof Tensor) {
        if (!isParameter(v)) continue;
        paramAt.push(i);
        // A parameter put where a sub-module was registered takes the name out of the sub-modules, as PyTorch's
        // __setattr__ removes it from _modules.
        if (this.#modules.has(key)) this.#modules.delete(key);
        if (!this.#params.has(key)) {
          foundParams.push([key, i, v]);
          slots.set(key, 'parameter');
        }
      } else if (this.#isModule(v)) {
        if (!this.#modules.has(key)) {
          foundModules.push([key, i, v]);
          slots.set(key, 'module');
        }
      } else if (Array.isArray(v) || isPlainObject(v) || v instanceof Map || v instanceof Set) {
        containers.push(key);
      }
    }
    const modules = merge(props, this.#modules, foundModules, this.#isModule);
    const members: Members<M> = {
      params: merge(props, this.#params, foundParams, isParameter),
      modules,
      shown: nullModules.length === 0 && !hasNull(props, this.#modules) ? modules : shownModules(props, this.#modules, foundModules, nullModules, this.#isModule),
    };
    // Arrays and plain objects are looked at when the properties change (not at every call: an array a module appends
    // to at every step would make every call slower).
    if (containers.length > 0) checkContainers(owner, containers, members, this.#isModule, isParameter);
    for (const [, p] of members.params) markParameter(p);
    this.#members = members;
    this.#slots = slots;
    this.#keys = keys;
    this.#values = values;
    this.#paramAt = paramAt;
    return members;
  }
}

/** True when a registered member is null now: registered so, or a property named like it set to null since. */
function hasNull<T>(props: Record<string, unknown>, registry: Registry<T | null>): boolean {
  for (const [name, value] of registry.entries()) {
    if ((Object.hasOwn(props, name) && props[name] !== undefined ? props[name] : value) === null) return true;
  }
  return false;
}

/** The sub-modules in `merge`'s order, with the names set to null kept in their places as null. */
function shownModules<M>(props: Record<string, unknown>, registry: Registry<M | null>, found: Array<Found<M>>, nulls: Array<Found<M | null>>, isModule: (v: unknown) => v is M): Array<[string, M | null]> {
  const all: Array<Found<M | null>> = [...found, ...nulls].sort((a, b) => a[1] - b[1]);
  const out: Array<[string, M | null]> = [];
  let f = 0;
  const takeFound = (before: number): void => {
    for (; f < all.length && all[f]![1] < before; f++) out.push([all[f]![0], all[f]![2]]);
  };
  for (const [name, value] of registry.entries()) {
    takeFound(registry.placeOf(name));
    const own = Object.hasOwn(props, name) && props[name] !== undefined ? props[name] : value;
    if (own === null) out.push([name, null]);
    else if (isModule(own)) out.push([name, own]);
  }
  takeFound(Infinity);
  return out;
}

function merge<T>(props: Record<string, unknown>, registry: Registry<T | null>, found: Array<Found<T>>, isKind: (v: unknown) => v is T): ReadonlyArray<readonly [string, T]> {
  if (registry.size === 0 && found.length === 0) return NONE;
  const out: Array<[string, T]> = [];
  let f = 0;
  const takeFound = (before: number): void => {
    for (; f < found.length && found[f]![1] < before; f++) {
      const [name, , v] = found[f]!;
      out.push([name, v]);
    }
  };
  for (const [name, value] of registry.entries()) {
    takeFound(registry.placeOf(name));
    const own = Object.hasOwn(props, name) && props[name] !== undefined ? props[name] : value;
    // Set to null since (`lin.bias = null`): gone, as assigning None removes it in PyTorch. Anything else not of the
    // kind was refused by `#find`, but for a parameter over a sub-module, which is found as a parameter instead.
    if (own === null || !isKind(own)) continue;
    out.push([name, own]);
  }
  takeFound(Infinity);
  return out;
}
