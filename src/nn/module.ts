import { checkWritable } from '../tensor/version.js';
import { addForwardHook, addForwardPreHook, addFullBackwardHook, type ForwardHook, type ForwardPreHook, type FullBackwardHook } from './module-hooks.js';
import { MATERIALIZE, type Materializable } from './uninitialized.js';
import type { RemovableHandle } from '../autograd/hooks.js';
import { clearGrad, dropGrad } from '../autograd/accumulate.js';
import { noGrad } from '../autograd/grad-mode.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { scatterStrided } from '../kernels/strided.js';
import { isMask } from '../tensor/mask-mark.js';
import { Tensor } from '../tensor/tensor.js';
import type { ModelInfo } from '../io/model-file.js';
import { checkArgumentCount, checkOptions, describeKind, describeValue, isPlainObject } from '../options.js';
import { incompatibleKeys, type IncompatibleKeys } from './incompatible-keys.js';
import { assignError } from './member-errors.js';
import { isParameter, MemberIndex, type BufferEntry, type Members } from './members.js';
import { applyToTree, cycleError, namedModules } from './module-tree.js';
import { refusePythonNames } from '../python-names.js';
import { checkTo, deviceError, dtypeError } from '../device.js';

export type StateDict = Record<string, Tensor>;

const isModule = (v: unknown): v is Module => v instanceof Module;

/** Modules whose `train()` or `toString()` is running, outermost first: meeting one again means the tree has a cycle. */
const running: Module[] = [];

/**
 * Base class of layers and models. Sub-modules and parameters (leaf tensors that require grad) held in the module's
 * own properties are its members, as in PyTorch, in assignment order and named after the properties; they can also be
 * registered explicitly with `registerModule` / `registerParameter` (see `nn/members.ts` for how the two merge). So
 * `namedParameters()` and `stateDict()` use PyTorch's keys (`fc1.weight`, `0.bias`, …). As in PyTorch, what is
 * assigned over a parameter must be an `nn.Parameter` or null, and over a sub-module a module, a parameter or null
 * (a TypeError otherwise: see `nn/members.ts`).
 */
export abstract class Module {
  /** Training mode (true) or evaluation mode (false); set with `train()` / `eval()`. */
  training = true;
  readonly #index = new MemberIndex<Module>(isModule, (owner, key, value) => (owner as Module).strayMember(key, value));
  /** Names registered as null with a property of the name (`registerParameter('b', null)`): `delete model.b` unregisters them. */
  readonly #nullProperties = new Set<string>();

  /**
   * Computes the module's output from its input and whatever else it takes (a loss: its target; a model of yours:
   * a flag or options, as PyTorch's `forward(self, *input)` allows).
   */
  abstract forward(input: Tensor, ...rest: unknown[]): Tensor;

  /**
   * Registers (or replaces) the parameter `param` under `name`, PyTorch's `register_parameter`: an `nn.Parameter`
   * (frozen or not, as it is), or null (the name is kept with no parameter, as PyTorch's None: in neither
   * `parameters()` nor `stateDict()`).
   *
   * @throws TypeError for a name that is not a string, or a value that is not an nn.Parameter or null (a plain
   *   tensor: wrap it, `new nn.Parameter(t)`); RangeError (PyTorch's KeyError) for an empty name, one with a dot, or
   *   the name of another attribute (a sub-module, a buffer, a property or method).
   */
  protected registerParameter(name: string, param: Tensor): Tensor;
  protected registerParameter(name: string, param: Tensor | null): Tensor | null;
  protected registerParameter(name: string, param: Tensor | null): Tensor | null {
    const held = this.#checkMemberName('registerParameter', 'parameter', name);
    if (param instanceof Tensor && param.gradFn !== null) {
      throw new TypeError(
        `registerParameter: cannot assign a tensor computed by an op (a non-leaf, ${param.gradFn.torchName}) to parameter '${name}': parameters are made ` +
          `explicitly (new nn.Parameter(t)); to compute '${name}' from another tensor, do it in forward() (PyTorch: "Cannot assign non-leaf Tensor to parameter")`,
      );
    }
    if (param !== null && !isParameter(param)) {
      const hint = (param as unknown) instanceof Tensor ? `; wrap a tensor to make it one: this.registerParameter('${name}', new nn.Parameter(t))` : '';
      throw new TypeError(`registerParameter: cannot assign ${describeKind(param)} to parameter '${name}' (an nn.Parameter or null expected, as in PyTorch)${hint}`);
    }
    if (param !== null) param.name = name;
    // A parameter held in a property of that name is replaced there, as PyTorch has one place per name.
    if (held === 'property') this.#replaceProperty(name, param);
    else this.#register(name, param, () => this.#index.assignParameter(this, name, param));
    return param;
  }

  /**
   * Registers (or replaces) a parameter under `name` as a layer makes its own: the fresh tensor `t` becomes a leaf
   * that requires grad, no questions asked (the layer's accessors have the name). @internal
   */
  protected makeParameter(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    t.name = name;
    this.#index.registerParameter(this, name, t);
    return t;
  }

  /**
   * PyTorch's checks of a member's name for `op` (registering a `kind`): a string, neither empty nor dotted, and not
   * the name of another attribute (PyTorch's `hasattr(self, name) and name not in self._parameters`). Says where a
   * member of that kind is held under the name already: registered, or in a property; undefined for a new name.
   */
  #checkMemberName(op: string, kind: 'parameter' | 'module', name: unknown): 'registered' | 'property' | undefined {
    if (typeof name !== 'string') throw new TypeError(`${op}: ${kind} name should be a string, got ${describeValue(name)}`);
    if (name.includes('.')) throw new RangeError(`${op}: ${kind} name can't contain "." (got "${name}")`);
    if (name === '') throw new RangeError(`${op}: ${kind} name can't be empty string ""`);
    // The members as the properties hold them now (a delete or an assignment since is seen).
    this.#members();
    if (this.#index.registeredAs(name) === kind) return 'registered';
    const own = Object.getOwnPropertyDescriptor(this, name);
    const value: unknown = own !== undefined && 'value' in own ? own.value : undefined;
    if (own?.enumerable === true && (kind === 'parameter' ? isParameter(value) : value instanceof Module)) return 'property';
    // A property that held a member of this kind and was set to null keeps the name's place, as PyTorch's None.
    if (own?.enumerable === true && value === null && this.#index.slotOf(this, name) === kind) return 'property';
    // A declared class field that was never assigned (`w!: nn.Parameter`) is no attribute yet.
    const declared = own !== undefined && 'value' in own && value === undefined && own.configurable === true;
    if ((name in this && !declared) || this.#index.hasRegistered(name) || this.#buffers().has(name)) {
      const what = this.#buffers().has(name) ? ' (a buffer)' : this.#index.registeredAs(name) !== undefined ? ` (a ${this.#index.registeredAs(name) === 'module' ? 'sub-module' : 'parameter'})` : '';
      throw new RangeError(`${op}: attribute '${name}' already exists${what}, as PyTorch says: choose another name`);
    }
    return undefined;
  }

  /**
   * What a layer's setter for its parameter `name` calls (`lin.weight = …`), with PyTorch's rule: `v` must be an
   * `nn.Parameter` (one made by `nn.Parameter` or registered; it is then the one `parameters()`, `stateDict()` and
   * `forward` all use) or, when `nullable`, null (no parameter: gone from `parameters()`, its place kept); anything
   * else, a plain tensor included, is a TypeError. Returns `v`, for the layer's private field.
   */
  protected assignParameter<N extends boolean>(name: string, v: unknown, nullable: N): N extends true ? Tensor | null : Tensor {
    if (!(isParameter(v) || (v === null && nullable))) throw assignError(this, name, 'parameter', v, { nullable });
    this.#index.assignParameter(this, name, v);
    return v as N extends true ? Tensor | null : Tensor;
  }

  /**
   * The error for a property `key` that holds a module or parameter but cannot be a member of this kind of module
   * (a container's out-of-range index), found with the members; undefined when it can be one.
   */
  protected strayMember(_key: string, _value: unknown): Error | undefined {
    return undefined;
  }

  /**
   * Registers (or replaces) a sub-module under `name` (a module held in a property needs no registering), PyTorch's
   * `register_module`.
   *
   * @throws TypeError for a value that is not a Module or null, or a name that is not a string; RangeError (PyTorch's KeyError)
   *   for an empty name, one with a dot, or the name of another attribute (a parameter, a buffer, a property or method).
   */
  protected registerModule<M extends Module>(name: string, m: M): M;
  protected registerModule<M extends Module>(name: string, m: M | null): M | null;
  protected registerModule<M extends Module>(name: string, m: M | null): M | null {
    return this.#addModule('registerModule', name, m);
  }

  /** Registers (or replaces) a sub-module as a layer does its own, whose accessor has the name. @internal */
  protected holdModule<M extends Module>(name: string, m: M): M {
    this.#index.registerModule(this, name, m);
    return m;
  }

  /**
   * `registerParameter`, `registerModule` and `addModule` of a new name: `value` is put in a property of the name, as
   * if the constructor had assigned it, so that `model.head` reads it (PyTorch's `__getattr__` finds it), assigning
   * replaces it, `delete model.head` removes it (PyTorch's `del`), and the members are found at once, so the name
   * takes only its kind from now on. Null is registered (`register`: a name held with nothing, printed `(b): None`,
   * that a member assigned later takes the place of) and read as null. A name JavaScript orders before all others
   * (`'0'`, `'12'`: integer keys come first in a property list, which would move the member ahead of those assigned
   * before it) is only registered, read through `getSubmodule`/`getParameter`, as one whose property is read-only.
   */
  #register(name: string, value: unknown, register: () => void): void {
    const own = Object.getOwnPropertyDescriptor(this, name);
    const settable = !/^(0|[1-9][0-9]*)$/.test(name) && (own === undefined || own.writable === true);
    if (value === null || !settable) register();
    if (!settable) return;
    if (value === null) this.#nullProperties.add(name);
    (this as unknown as Record<string, unknown>)[name] = value;
    this.#index.members(this);
  }

  /**
   * Puts `value` (a member of the kind the property holds, or null) in the property `name`, the members found before
   * and after, so that a null keeps the name's kind (see `#checkMemberName`), as PyTorch's None keeps its entry.
   */
  #replaceProperty(name: string, value: unknown): void {
    this.#index.members(this);
    (this as unknown as Record<string, unknown>)[name] = value;
    this.#index.members(this);
  }

  /**
   * Unregisters the names registered as null whose property is gone: `delete model.b` after `registerParameter('b',
   * null)` removes the name, as PyTorch's `del` takes it out of `_parameters` (JavaScript tells no one of a delete, so
   * it is seen when the members are read).
   */
  #dropDeleted(): void {
    if (this.#nullProperties.size === 0) return;
    for (const name of this.#nullProperties) {
      if (Object.hasOwn(this, name)) continue;
      this.#nullProperties.delete(name);
      this.#index.unregisterParameter(name);
      this.#index.unregisterModule(name);
    }
  }

  /**
   * `registerModule` and `addModule`: null (PyTorch's None) keeps the name with no module, printed `(name): None`, in
   * neither `children()`, `namedModules()` nor `stateDict()`; a module assigned to the name later takes its place.
   */
  #addModule<M extends Module>(op: string, name: string, m: M | null): M | null {
    if (m !== null && !((m as unknown) instanceof Module)) throw new TypeError(`${op}: ${describeKind(m)} is not a Module subclass (the sub-module to register under ${typeof name === 'string' ? `'${name}'` : 'the name'}; or null)`);
    const held = this.#checkMemberName(op, 'module', name);
    if (held === 'property') this.#replaceProperty(name, m);
    else this.#register(name, m, () => this.#index.registerModule(this, name, m));
    return m;
  }

  /**
   * Registers (or replaces) a buffer, PyTorch's `register_buffer`: a tensor that is part of the module's state but
   * is not trained (a BatchNorm's running mean). Buffers are listed by `buffers()` and `namedBuffers()`, never by
   * `parameters()` (so no optimizer sees them), and are in `stateDict()` after the module's own parameters, as in
   * PyTorch, unless `persistent` is false. `null` registers the name with no tensor (listed nowhere until one is
   * set). Public, as in PyTorch, so a buffer may also be attached from outside the module's class.
   *
   * The buffer is also reached, and replaced, under its name: `registerBuffer('mask', t)` makes `this.mask` read
   * it and `this.mask = other` (a Tensor or null) replace it, as attribute access does in PyTorch. That property is
   * not enumerable (so `Object.keys` and the member scan do not see it); a declared but unassigned class field of
   * the name (`mask!: Tensor`) gives way to it. As in PyTorch, any tensor may be a buffer, one that requires grad
   * or an `nn.Parameter` included: it is then a buffer all the same (in `buffers()` and `stateDict()`, never in
   * `parameters()`). An `nn.Parameter` or a module assigned to the name (`this.mask = new nn.Parameter(t)`) replaces
   * the buffer with a parameter or sub-module, and `delete this.mask` removes the buffer, as PyTorch's `__setattr__`
   * and `__delattr__` do.
   *
   * @returns the tensor (or null).
   * @throws RangeError for an empty name, one with a dot, or the name of an existing attribute, parameter or
   *   sub-module (PyTorch's KeyError); TypeError for a value that is not a Tensor or null.
   * @example
   * class Counter extends nn.Module {
   *   constructor() { super(); this.registerBuffer('steps', zeros([])); }
   *   forward(x: Tensor): Tensor { noGrad(() => this.getBuffer('steps')!.add_(1)); return x; }
   * }
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): Tensor | null {
    if (typeof name !== 'string') throw new TypeError(`registerBuffer: buffer name should be a string, got ${describeValue(name)}`);
    if (name === '') throw new RangeError('registerBuffer: buffer name can\'t be empty string ""');
    if (name.includes('.')) throw new RangeError(`registerBuffer: buffer name can't contain "." (got "${name}")`);
    if (typeof persistent !== 'boolean') throw new TypeError(`registerBuffer: persistent must be true or false, got ${describeValue(persistent)}`);
    checkBufferValue(this, name, tensor, 'registerBuffer');
    if (!this.#buffers().has(name)) {
      const own = Object.getOwnPropertyDescriptor(this, name);
      // A declared class field that was never assigned (`mask!: Tensor`): the buffer's accessor takes its place.
      const declared = own !== undefined && 'value' in own && own.value === undefined && own.configurable === true;
      if ((name in this && !declared) || this.#index.hasRegistered(name)) throw new RangeError(`registerBuffer: attribute '${name}' already exists`);
      Object.defineProperty(this, name, {
        enumerable: false,
        configurable: true,
        get: () => this.#index.getBuffer(name) ?? null,
        set: (v: unknown) => {
          if (isParameter(v) || v instanceof Module) {
            // PyTorch's __setattr__ takes the name out of the buffers and registers the parameter or sub-module, last.
            this.#index.unregisterBuffer(name);
            delete (this as unknown as Record<string, unknown>)[name];
            (this as unknown as Record<string, unknown>)[name] = v;
            return;
          }
          checkBufferValue(this, name, v, null);
          this.#index.setBuffer(name, v);
        },
      });
    }
    this.#index.registerBuffer(name, tensor, persistent);
    return tensor;
  }

  /**
   * The buffer at `target`, a dotted path as in PyTorch's `get_buffer` (`'running_mean'`, `'1.running_var'`); null
   * for a buffer registered as null.
   *
   * @throws RangeError when a module on the path or the buffer does not exist, with PyTorch's messages ("Sequential
   *   has no attribute \`x\`", "\`weight\` is not a buffer").
   */
  getBuffer(target: string): Tensor | null {
    if (typeof target !== 'string') throw new TypeError(`getBuffer: target must be a string, got ${describeValue(target)}`);
    const at = target.lastIndexOf('.');
    const m = this.getSubmodule(at < 0 ? '' : target.slice(0, at));
    const name = target.slice(at + 1);
    const t = m.#buffers().get(name)?.tensor;
    if (t === undefined) throw new RangeError(m.#hasAttribute(name) ? `\`${name}\` is not a buffer` : `${m.constructor.name} has no attribute \`${name}\``);
    return t;
  }

  /**
   * The sub-module at `target`, a dotted path as in PyTorch's `get_submodule` (`''` is this module, `'encoder.0'` a
   * child's child), with PyTorch's messages.
   *
   * @throws RangeError when a module on the path does not exist.
   */
  getSubmodule(target: string): Module {
    if (typeof target !== 'string') throw new TypeError(`getSubmodule: target must be a string, got ${describeValue(target)}`);
    if (target === '') return this;
    // PyTorch's hasattr: a name held by anything, null and methods included, is an attribute that is no module.
    return this.#descend(target.split('.'), (at, item) => {
      return new RangeError(at.#hasAttribute(item) ? `\`${item}\` is not an nn.Module` : `${at.constructor.name} has no attribute \`${item}\``);
    });
  }

  /**
   * PyTorch's hasattr(module, name) for the messages above: a registered member, or a name held by anything (null
   * and methods included). A Sequential's negative index (`seq[-1]` here) is no attribute, as in PyTorch.
   */
  #hasAttribute(name: string): boolean {
    if (this.#index.hasRegistered(name)) return true;
    return !/^-\d+$/.test(name) && holds(this, name);
  }

  /** The sub-module reached through the children named `path`, or the error `missing` makes for the first name not found. */
  #descend(path: readonly string[], missing: (at: Module, name: string) => Error): Module {
    let m: Module = this;
    for (const item of path) {
      const child = m.namedChildren().find(([n]) => n === item)?.[1];
      if (child === undefined) throw missing(m, item);
      m = child;
    }
    return m;
  }

  /** The parameter at `target`, a dotted path as in PyTorch's `get_parameter` (`'0.weight'`), with PyTorch's messages. */
  getParameter(target: string): Tensor {
    if (typeof target !== 'string') throw new TypeError(`getParameter: target must be a string, got ${describeValue(target)}`);
    const at = target.lastIndexOf('.');
    const m = this.getSubmodule(at < 0 ? '' : target.slice(0, at));
    const name = target.slice(at + 1);
    const p = m.namedParameters('', false).find(([n]) => n === name)?.[1];
    if (p !== undefined) return p;
    // As PyTorch's hasattr: a parameter set to null (`Linear(1, 1, false).bias`) is an attribute, but no parameter.
    throw new RangeError(m.#hasAttribute(name) ? `\`${name}\` is not an nn.Parameter` : `${m.constructor.name} has no attribute \`${name}\``);
  }

  /**
   * Registers (or replaces) the sub-module `m` under `name`, PyTorch's public `add_module` (the same as
   * `registerModule`); null keeps the name with no module, as PyTorch's None (printed `(name): None`).
   */
  addModule<M extends Module>(name: string, m: M): M;
  addModule<M extends Module>(name: string, m: M | null): M | null;
  addModule<M extends Module>(name: string, m: M | null): M | null {
    return this.#addModule('addModule', name, m);
  }

  /** Every buffer of this module and its sub-modules (not null; of this module alone with `recurse` false), each once, as PyTorch's `buffers()`. */
  buffers(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    const seen = new Set<Tensor>();
    Module.#gather(this, '', [], seen, null, 'buffers', recurseOf(recurse, 'buffers'));
    return [...seen];
  }

  /**
   * `[name, buffer]` pairs with dotted names (`1.running_mean`, …), each buffer once, non-persistent ones included,
   * as PyTorch's `named_buffers()`; `prefix`, `recurse` and the options object as in `namedParameters`.
   */
  namedBuffers(prefix?: string | NamedOptions, recurse?: boolean | { recurse?: boolean }): Array<[string, Tensor]> {
    const o = namedArguments('namedBuffers', prefix, recurse);
    const out: Array<[string, Tensor]> = [];
    Module.#gather(this, dotted(o.prefix), [], new Set(), out, 'buffers', o.recurse);
    return out;
  }

  /**
   * Registers (or replaces, in its place) the parameter `t` under `name` as it is, frozen or not: the entries of
   * `ParameterList` and `ParameterDict`. @internal
   */
  protected holdParameter(name: string, t: Tensor): void {
    this.#index.registerParameter(this, name, t);
  }

  /** Removes the parameter registered under `name`; true if there was one. @internal */
  protected unregisterParameter(name: string): boolean {
    return this.#index.unregisterParameter(name) || this.#deleteProperty(name, isParameter);
  }

  /** Removes the buffer registered under `name` and its property; true if there was one. @internal */
  protected unregisterBuffer(name: string): boolean {
    if (!this.#index.unregisterBuffer(name)) return false;
    delete (this as unknown as Record<string, unknown>)[name];
    return true;
  }

  /** Removes the sub-module registered under `name` with `registerModule`; true if there was one. */
  protected unregisterModule(name: string): boolean {
    return this.#index.unregisterModule(name) || this.#deleteProperty(name, (v) => v instanceof Module);
  }

  /** Deletes the property `name` if it holds a member of the kind `is` tells (one `registerModule` put there). */
  #deleteProperty(name: string, is: (v: unknown) => boolean): boolean {
    const own = Object.getOwnPropertyDescriptor(this, name);
    if (own === undefined || !('value' in own) || !is(own.value) || own.configurable !== true) return false;
    delete (this as unknown as Record<string, unknown>)[name];
    return true;
  }

  /**
   * The buffers, in registration order, less those whose accessor is gone: `delete model.mask` removes the buffer, as
   * PyTorch's `del` does (JavaScript tells no one of a delete, so the buffers are checked when they are read; a
   * value assigned after the delete is a plain property, no accessor, as in PyTorch a plain attribute).
   */
  #buffers(): ReadonlyMap<string, BufferEntry> {
    const buffers = this.#index.buffers();
    for (const name of buffers.keys()) if (Object.getOwnPropertyDescriptor(this, name)?.get === undefined) this.#index.unregisterBuffer(name);
    return buffers;
  }

  /** This module's own parameters and direct sub-modules, registered or held in properties, in PyTorch's order. */
  #members(): Members<Module> {
    this.#dropDeleted();
    return this.#index.members(this);
  }

  /** Direct sub-modules, in PyTorch's order (of assignment or registration); one held under two names, once. */
  children(): Module[] {
    if (arguments.length > 0) checkArgumentCount('children', arguments, 0, 'children()');
    return this.namedChildren().map(([, m]) => m);
  }

  /** `[name, module]` pairs of the direct sub-modules; one held under two names is listed under the first. */
  namedChildren(): Array<[string, Module]> {
    if (arguments.length > 0) checkArgumentCount('namedChildren', arguments, 0, 'namedChildren()');
    const out: Array<[string, Module]> = [];
    for (const [n, m] of this.#members().modules) if (!out.some(([, o]) => o === m)) out.push([n, m]);
    return out;
  }

  /** This module, then every descendant depth first, each once (PyTorch's `modules()`). */
  modules(): Module[] {
    if (arguments.length > 0) checkArgumentCount('modules', arguments, 0, 'modules(); for names, namedModules({ prefix, removeDuplicate })');
    return namedModules(this, '').map(([, m]) => m);
  }

  /**
   * `[name, module]` pairs of `modules()` with dotted names: `['', this]`, `['fc1', …]`, `['block.0', …]`; a module
   * held under two names is listed once, under the first. With a `prefix`, this module is named `prefix` and the
   * others go under it (`namedModules('enc')`: `enc`, `enc.0`, …), as PyTorch's `named_modules(prefix=…)`; with
   * `{ removeDuplicate: false }` a module held under several names is listed under each, as PyTorch's
   * `named_modules(remove_duplicate=False)`.
   */
  namedModules(prefix: string | { prefix?: string; removeDuplicate?: boolean } = ''): Array<[string, Module]> {
    if (arguments.length > 1) checkArgumentCount('namedModules', arguments, 1, "namedModules(prefix) or namedModules({ prefix: 'enc', removeDuplicate: false })");
    const o = isPlainObject(prefix) ? checkOptions<{ prefix?: string; removeDuplicate?: boolean }>('namedModules', prefix, ['prefix', 'removeDuplicate']) : { prefix };
    const given = o.prefix ?? '';
    if (typeof given !== 'string') throw new TypeError(`namedModules: prefix must be a string, got ${describeValue(given)}`);
    const removeDuplicate = o.removeDuplicate ?? true;
    if (typeof removeDuplicate !== 'boolean') throw new TypeError(`namedModules: removeDuplicate must be true or false, got ${describeValue(removeDuplicate)}`);
    return removeDuplicate ? namedModules(this, given) : namedModules(this, given, false, (m) => m.#members().modules);
  }

  /**
   * Calls `fn` on every sub-module (each child's subtree first, in order) and then on this module, as PyTorch's
   * `apply`; returns this module. The usual use is initialisation:
   *
   * @example
   * model.apply((m) => { if (m instanceof nn.Linear) noGrad(() => m.bias?.zero_()); });
   */
  apply(fn: (module: Module) => void): this {
    if (typeof fn !== 'function') throw new TypeError(`apply: expected a function called with each module, got ${describeValue(fn)}`);
    applyToTree(this, fn);
    return this;
  }

  /** Every parameter of this module and its sub-modules (of this module alone with `recurse` false), each once. */
  parameters(recurse: boolean | { recurse?: boolean } = true): Tensor[] {
    const seen = new Set<Tensor>();
    Module.#gather(this, '', [], seen, null, 'params', recurseOf(recurse, 'parameters'));
    return [...seen];
  }

  /**
   * Sets `requiresGrad` on every parameter of this module and its sub-modules, as PyTorch's `requires_grad_`:
   * `encoder.requiresGrad_(false)` freezes a part of a model.
   */
  requiresGrad_(requiresGrad = true): this {
    if (typeof requiresGrad !== 'boolean') throw new TypeError(`requiresGrad_: expected true or false, got ${describeValue(requiresGrad)}`);
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * `[name, parameter]` pairs with PyTorch's dotted names, each parameter once; with a `prefix`, under it and a dot
   * (`namedParameters('enc')`: `enc.0.weight`, …), as PyTorch's `named_parameters(prefix)`. A prefix that ends in a
   * dot gets no second one (`'enc.'`: `enc.0.weight`, where PyTorch would give `enc..0.weight`). PyTorch's keywords
   * come as one object: `namedParameters({ recurse: false })` is `named_parameters(recurse=False)`.
   */
  namedParameters(prefix?: string | NamedOptions, recurse?: boolean | { recurse?: boolean }): Array<[string, Tensor]> {
    const o = namedArguments('namedParameters', prefix, recurse);
    const out: Array<[string, Tensor]> = [];
    Module.#gather(this, dotted(o.prefix), [], new Set(), out, 'params', o.recurse);
    return out;
  }

  /**
   * Adds the parameters (`what`: 'params'), the buffers ('buffers', null ones left out) or both ('state': the
   * parameters, then the persistent buffers, PyTorch's `state_dict` order) of `m` and of its sub-modules (depth
   * first: its own, then each child's) to `seen`, the ones not there yet also to `named` (when given) under their
   * dotted names; with `seen` null, every one goes to `named`, a shared tensor under each of its names. Refuses to go
   * round a cycle.
   */
  static #gather(m: Module, pre: string, ancestors: Module[], seen: Set<Tensor> | null, named: Array<[string, Tensor]> | null, what: 'params' | 'buffers' | 'state', recurse = true): void {
    const { params, modules } = m.#members();
    const add = (n: string, p: Tensor): void => {
      if (seen !== null) {
        if (seen.has(p)) return;
        seen.add(p);
      }
      if (named !== null) named.push([pre + n, p]);
    };
    if (what !== 'buffers') for (let i = 0; i < params.length; i++) add(params[i]![0], params[i]![1]);
    const buffers = m.#buffers();
    if (what !== 'params' && buffers.size > 0) {
      for (const [n, b] of buffers) if (b.tensor !== null && (what === 'buffers' || b.persistent)) add(n, b.tensor);
    }
    if (modules.length === 0 || !recurse) return;
    ancestors.push(m);
    for (let i = 0; i < modules.length; i++) {
      const [n, c] = modules[i]!;
      const at = ancestors.indexOf(c);
      if (at !== -1) throw cycleError([...ancestors.slice(at), c]);
      Module.#gather(c, named === null ? pre : `${pre}${n}.`, ancestors, seen, named, what);
    }
    ancestors.pop();
  }

  /** Sets training mode (`eval()`: evaluation mode) on this module and every sub-module. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new TypeError(`train: training mode is expected to be boolean, got ${describeValue(mode)}`);
    return guarded(this, () => {
      this.training = mode;
      for (const [, c] of this.#members().modules) c.train(mode);
      return this;
    });
  }

  eval(): this {
    return this.train(false);
  }

  /** Sets every parameter's gradient to zero (or drops it with `setToNone`). */
  zeroGrad(setToNone: boolean | { setToNone?: boolean } = false): void {
    Module.#zeroGrad(this, [], setToNoneOf(setToNone, 'zeroGrad'));
  }

  /** `zeroGrad` of `m` and its sub-modules. (A shared parameter is cleared twice, which does no harm.) */
  static #zeroGrad(m: Module, ancestors: Module[], setToNone: boolean): void {
    const { params, modules } = m.#members();
    for (let i = 0; i < params.length; i++) zeroGradOf(params[i]![1], setToNone);
    if (modules.length === 0) return;
    ancestors.push(m);
    for (let i = 0; i < modules.length; i++) {
      const c = modules[i]![1];
      const at = ancestors.indexOf(c);
      if (at !== -1) throw cycleError([...ancestors.slice(at), c]);
      Module.#zeroGrad(c, ancestors, setToNone);
    }
    ancestors.pop();
  }

  /**
   * name → parameter or buffer (detached, sharing storage), like PyTorch's `state_dict()`: each module's own
   * parameters, then its persistent buffers (`bn.weight, bn.bias, bn.running_mean, bn.running_var,
   * bn.num_batches_tracked`), then its sub-modules'. A tensor shared by two modules (tied weights, or one layer used
   * twice in a Sequential) is listed under each of its names, where `namedParameters()` lists it once.
   *
   * PyTorch's keywords come as one object: `prefix` is put before every key as it is (`{ prefix: 'enc.' }`:
   * `enc.weight`; PyTorch adds no dot either), and `keepVars: true` gives the parameters and buffers themselves
   * (PyTorch's `keep_vars=True`: what the optimizer and autograd see) instead of detached tensors.
   *
   * Unlike PyTorch's OrderedDict, the object lists integer-like keys first, in numeric order, as every JavaScript
   * object does: only the keys of the root's own parameters and buffers named so can differ (a ParameterDict of `b`
   * and `0`: PyTorch's `b, 0`, here `0, b`); keys with a dot (`0.weight`, a Sequential's or ModuleDict's) keep
   * PyTorch's order, as `namedParameters()` does, and `loadStateDict` takes a Map's in its order.
   *
   * @throws TypeError for an unknown option, a prefix that is not a string or a keepVars that is not a boolean.
   */
  stateDict(options: StateDictOptions = {}): StateDict {
    const { prefix = '', keepVars = false } = checkOptions<StateDictOptions>('stateDict', options, ['prefix', 'keepVars'], {
      destination: 'Kindling\'s stateDict() returns a new object; copy it into yours, Object.assign(destination, model.stateDict())',
    });
    if (typeof prefix !== 'string') throw new TypeError(`stateDict: prefix must be a string, got ${describeValue(prefix)}`);
    if (typeof keepVars !== 'boolean') throw new TypeError(`stateDict: keepVars must be true or false, got ${describeValue(keepVars)}`);
    const out: StateDict = {};
    for (const [n, p] of this.#stateEntries()) out[prefix + n] = keepVars ? p : p.detach();
    return out;
  }

  /**
   * `stateDict()`'s keys with the parameters and buffers themselves, for the engine's own passing reads (names, shapes,
   * `toArray()`): unlike `detach()`, it hands no storage out, so an optimizer may go on owing a weight values
   * (see optim/adam.ts) after a model is saved or checkpointed. @internal
   */
  parameterState(): StateDict {
    return Object.fromEntries(this.#stateEntries());
  }

  /** `[name, tensor]` under every name, shared ones included (the keys of `stateDict()`: parameters and buffers). */
  #stateEntries(): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    Module.#gather(this, '', [], null, out, 'state');
    return out;
  }

  /**
   * Copies values from a state dict into this module's parameters and persistent buffers. With `strict` (default),
   * missing and unexpected keys are errors; a shape mismatch always is, naming the key and both shapes (PyTorch's
   * message, its lines joined into one). The keys are
   * those of `stateDict()`; a shared tensor takes the value of its last name, as in PyTorch. As PyTorch 1.13, a 0-d
   * parameter or buffer takes a 1-d tensor's first element (state dicts saved by PyTorch 0.3 held such counts as
   * `[1]`), and the unexpected keys are listed module by module as its load walks the tree. Unlike PyTorch, which
   * copies what fits before it raises, a load that throws has copied nothing. Returns `{ missingKeys, unexpectedKeys }`,
   * which prints as PyTorch's `_IncompatibleKeys` (`<All keys matched successfully>`).
   */
  loadStateDict(given: Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>, options: boolean | { strict?: boolean } = {}): IncompatibleKeys {
    const { state, keys } = stateFrom(given);
    // `strict` by position too, as PyTorch's load_state_dict(sd, False).
    const { strict = true } = typeof options === 'boolean' ? { strict: options } : checkOptions('loadStateDict', options, ['strict']);
    if (typeof strict !== 'boolean') throw new TypeError(`loadStateDict: strict must be true or false, got ${describeValue(strict)}`);
    // Lazy layers not yet run take their sizes from the state dict first, as PyTorch's lazy load hook.
    for (const [prefix, m] of this.namedModules()) {
      const hook = (m as Partial<Materializable>)[MATERIALIZE];
      if (typeof hook === 'function') hook.call(m, state, prefix === '' ? '' : `${prefix}.`);
    }
    const own = new Map(this.#stateEntries());
    if (keys.length === 2 && 'tensors' in state && 'metadata' in state && !own.has('tensors')) {
      throw new TypeError('loadStateDict: got { tensors, metadata }, what loadFile returns, not a state dict: pass its tensors, model.loadStateDict(loadFile(path).tensors)');
    }
    // A BatchNorm's counter a state dict lacks counts 0, as PyTorch fills it in for a state dict without version
    // metadata (Kindling's have none).
    const missingKeys = [...own.keys()].filter((k) => !(k in state) && !(isBatchCountName(k) && own.get(k)!.numel() === 1));
    const unexpectedKeys = Module.#unexpectedKeys(this, keys, own);
    // Every problem in one error, as PyTorch lists them: the missing and unexpected keys (when strict), then every
    // size mismatch. Nothing is copied unless all is well.
    // PyTorch's words, its lines joined into one (shapes as Kindling prints them, not torch.Size([…])).
    const parts: string[] = [];
    const quoted = (ks: readonly string[]): string => ks.map((k) => `"${k}"`).join(', ');
    if (strict && missingKeys.length) parts.push(`Missing key(s) in state_dict: ${quoted(missingKeys)}.`);
    if (strict && unexpectedKeys.length) parts.push(`Unexpected key(s) in state_dict: ${quoted(unexpectedKeys)}.`);
    for (const [k, p] of own) {
      const src = state[k];
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) {
        throw new TypeError(`loadStateDict: while copying the parameter named "${k}", expected a Tensor from checkpoint but received ${describeValue(src)}`);
      }
      // PyTorch 1.13's rule for state dicts of 0.3: a 0-d parameter or buffer takes a 1-d tensor's first element.
      const firstOf = p.shape.length === 0 && src.shape.length === 1 && src.shape[0]! > 0;
      if (!firstOf && !sameShape(src.shape, p.shape)) {
        parts.push(`size mismatch for ${k}: copying a param with shape ${formatShape(src.shape)} from checkpoint, the shape in current model is ${formatShape(p.shape)}.`);
      }
    }
    if (parts.length > 0) throw new RangeError(`loadStateDict: Error(s) in loading state_dict for ${this.constructor.name}: ${parts.join(' ')}`);
    // Every tensor it will write is checked first (inference tensors outside inferenceMode): all or nothing.
    for (const [, p] of own) checkWritable(p.versionCounter);
    noGrad(() => {
      for (const [k, p] of own) {
        const src = state[k];
        // (A 0-d tensor takes the first of the values, a 1-d tensor's first element.)
        // A mask buffer (PyTorch's bool tensor) keeps its dtype, as copy_ casts: non-zero, NaN too, is true.
        if (src !== undefined) copyInto(p, isMask(p) ? src.bool().values() : src.values());
        else if (isBatchCountName(k) && p.numel() === 1) copyInto(p, new Float32Array(1));
      }
    });
    return incompatibleKeys(missingKeys, unexpectedKeys);
  }

  /**
   * The keys of `keys` that no parameter or buffer of `root` takes (`own`), in PyTorch's order: its load walks the
   * tree (a module, then each child under each of its names) and each module lists, in the state dict's order, the
   * keys under its prefix whose next name is none of its own parameters', persistent buffers' or children's. The keys
   * PyTorch lists under no module, and ignores (`fc` alone, `fc.weight.x`, or one under a child set to null), come last.
   */
  static #unexpectedKeys(root: Module, keys: readonly string[], own: ReadonlyMap<string, Tensor>): string[] {
    const left = new Set(keys.filter((k) => !own.has(k)));
    const out: string[] = [];
    const visit = (m: Module, prefix: string): void => {
      if (left.size === 0) return;
      const { params, modules, shown } = m.#members();
      const names = new Set([...params.map(([n]) => n), ...shown.map(([n]) => n)]);
      for (const [n, b] of m.#buffers()) if (b.tensor !== null && b.persistent) names.add(n);
      for (const k of left) {
        if (k.startsWith(prefix) && !names.has(k.slice(prefix.length).split('.')[0]!)) {
          out.push(k);
          left.delete(k);
        }
      }
      for (const [n, c] of modules) visit(c, `${prefix}${n}.`);
    };
    visit(root, '');
    return [...out, ...left];
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

  /**
   * This module, as PyTorch's `model.to(device)` returns it: its parameters and buffers are on the CPU in float32
   * already, Kindling's only device and dtype (`'cpu'`, `'float32'`, or options `{ device, dtype }`); a GPU device or
   * another dtype is refused, saying that Kindling has none.
   */
  to(...args: unknown[]): this {
    const { copy, dtype } = checkTo('model.to', args, (v) => v instanceof Tensor);
    if (copy) throw new TypeError("model.to: copy is an option of a tensor's to(), not a module's (PyTorch's Module.to has none)");
    if (dtype === 'bool') throw new TypeError("model.to: a module's parameters are float32, not bool (PyTorch's Module.to only accepts floating point or complex dtypes)");
    return this;
  }

  /** This module: it is on the CPU already (PyTorch's `model.cpu()`). */
  cpu(): this {
    return this;
  }

  /** Refused: Kindling has no GPU (PyTorch's `model.cuda()`). */
  cuda(_device?: unknown): never {
    throw deviceError('model.cuda', 'cuda');
  }

  /** This module: its parameters are float32 already (PyTorch's `model.float()`). */
  float(): this {
    return this;
  }

  /** Refused: Kindling's parameters are float32 only (PyTorch's `model.double()`). */
  double(): never {
    throw dtypeError('model.double', 'float64');
  }

  /** Refused: Kindling's parameters are float32 only (PyTorch's `model.half()`). */
  half(): never {
    throw dtypeError('model.half', 'float16');
  }

  /** Extra text shown inside the parentheses when printing (e.g. `in_features=784, out_features=200`). */
  protected extraRepr(): string {
    return '';
  }

  /**
   * Runs `hook(module, args)` before each `forward`: it may return the arguments to use instead (an array, or one
   * value), as PyTorch's `register_forward_pre_hook`. Returns a handle whose `remove()` takes it out.
   */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    if (arguments.length > 1) checkArgumentCount('registerForwardPreHook', arguments, 1, HOOK_USAGE('registerForwardPreHook((m, args) => …)', 'register_forward_pre_hook'));
    return addForwardPreHook(this, hook);
  }

  /**
   * Runs `hook(module, args, output)` after each `forward`: it may return the output to use instead, as PyTorch's
   * `register_forward_hook` (reading a layer's activations: `layer.registerForwardHook((m, args, out) => { seen = out; })`).
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    if (arguments.length > 1) checkArgumentCount('registerForwardHook', arguments, 1, HOOK_USAGE('registerForwardHook((m, args, out) => …)', 'register_forward_hook'));
    return addForwardHook(this, hook);
  }

  /**
   * Runs `hook(module, gradInput, gradOutput)` during `backward()` once the gradients of the module's inputs are
   * known, as PyTorch's `register_full_backward_hook`: `gradInput` has one entry per argument of `forward` (null for
   * one that is not a tensor, or for all when no input requires grad), `gradOutput` one per output (the tensors of an
   * output array, as PyTorch's tuple: an LSTM's `[output, [h, c]]` has two, the second null; a PackedSequence's four
   * fields, as PyTorch's namedtuple: its data's gradient and three nulls). The hook may return the
   * gradients to send on to the inputs instead, one per argument, null for none. The hooks a call runs are those
   * registered when its forward ran, as in PyTorch 1.13. (See `nn/module-hooks.ts`.)
   */
  registerFullBackwardHook(hook: FullBackwardHook): RemovableHandle {
    if (arguments.length > 1) checkArgumentCount('registerFullBackwardHook', arguments, 1, HOOK_USAGE('registerFullBackwardHook((m, gradInput, gradOutput) => …)', 'register_full_backward_hook', 'prepend'));
    return addFullBackwardHook(this, hook);
  }

  /**
   * Refused: PyTorch's deprecated `register_backward_hook`, whose `grad_input` are the gradients of the inputs of the
   * module's last operation rather than of the module's (PyTorch 1.13 warns that it misses some), is not offered;
   * `registerFullBackwardHook` is the one PyTorch points to, with the same `(module, gradInput, gradOutput)`.
   */
  registerBackwardHook(_hook?: unknown): never {
    throw new TypeError(
      "registerBackwardHook: PyTorch's deprecated module backward hook (its gradInput are those of the module's last operation) is not offered; " +
        'use registerFullBackwardHook((m, gradInput, gradOutput) => …), as PyTorch advises',
    );
  }

  /**
   * A PyTorch-style description of the module tree, as `nn.Module.__repr__`: the extra repr's lines then the
   * children's, each on its own line indented by two (a child's own lines by two more, `_addindent`); one line of
   * extra repr and no children stays on the name's line.
   */
  toString(): string {
    return guarded(this, () => {
      const extra = this.extraRepr();
      const extraLines = extra ? extra.split('\n') : [];
      const childLines = this.#members().shown.map(([n, m]) => `(${n}): ${m === null ? 'None' : m.toString().split('\n').join('\n  ')}`);
      const lines = [...extraLines, ...childLines];
      const body = lines.length === 0 ? '' : extraLines.length === 1 && childLines.length === 0 ? extraLines[0] : `\n  ${lines.join('\n  ')}\n`;
      return `${this.constructor.name}(${body})`;
    });
  }

  /** What `console.log(model)` shows in Node: the same as `String(model)`, as `print(model)` in PyTorch. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * PyTorch's `hasattr(m, name)` for the messages of `getSubmodule` and its kin: a name that reads undefined (a declared
 * field never set, or the index just past a Sequential's end) is no attribute; null (PyTorch's None) and methods are.
 */
function holds(m: Module, name: string): boolean {
  return name in m && (m as unknown as Record<string, unknown>)[name] !== undefined;
}

/**
 * The usage a hook's register method shows when given more than the hook: PyTorch 1.13's take the hook alone (the
 * `prepend` and `with_kwargs` a later PyTorch's code may pass are 2.0's), and an option silently ignored would run
 * hooks in another order or with other arguments.
 */
const HOOK_USAGE = (call: string, python: string, later = 'prepend and with_kwargs'): string => `${call}, as PyTorch 1.13's ${python}(hook); its ${later} came in PyTorch 2.0`;

/** Runs `fn` (the body of a recursive method of `m`), refusing to enter `m` again while it runs: that is a cycle. */
function guarded<T>(m: Module, fn: () => T): T {
  const at = running.indexOf(m);
  if (at !== -1) throw cycleError([...running.slice(at), m]);
  running.push(m);
  try {
    return fn();
  } finally {
    running.pop();
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

// A subclass written in plain JavaScript may lack `forward` (or misspell it): calling it then says so, as PyTorch's
// "Module [M] is missing the required "forward" function", instead of "forward is not a function". Any `forward` a
// subclass defines comes first in the prototype chain.
Object.defineProperty(Module.prototype, 'forward', {
  value: function forward(this: Module): never {
    throw new TypeError(`Module [${this.constructor.name || 'anonymous'}] is missing the required "forward" method: define forward(input) { … } in its class`);
  },
  writable: true,
  configurable: true,
});

/** Writes row-major `values` into `t`'s storage, whatever its strides: an in-place change (its version moves). */
export function copyInto(t: Tensor, values: Float32Array): void {
  checkWritable(t.versionCounter);
  if (t.isContiguous()) t.settled().set(values.subarray(0, t.numel()));
  else scatterStrided(values, t.settled(), t.shape, t.strides);
  t.versionCounter.value++;
}

/**
 * Reads `zeroGrad`'s argument: `true`/`false`, or PyTorch's keyword as `{ setToNone }`; anything else (a string, an
 * unknown key) is a TypeError naming `where`, since treating it as truthy would drop gradients asked to be kept.
 */
/** Whether a state_dict name is a BatchNorm's batch counter (`num_batches_tracked`). @internal */
export function isBatchCountName(name: string): boolean {
  return name === 'num_batches_tracked' || name.endsWith('.num_batches_tracked');
}

/** The named options of `stateDict`, as PyTorch's keywords of `state_dict`. */
export interface StateDictOptions {
  /** Put before every key as it is, PyTorch's `prefix` (give the dot: `'enc.'`). */
  prefix?: string;
  /** The parameters and buffers themselves rather than detached tensors sharing their storage, PyTorch's `keep_vars`. */
  keepVars?: boolean;
}

/** The named options of `namedParameters` and `namedBuffers`, as PyTorch's keywords: `namedParameters({ recurse: false })`. */
export interface NamedOptions {
  prefix?: string;
  recurse?: boolean;
}

/**
 * Reads `(prefix?, recurse?)` or `({ prefix?, recurse? })`, PyTorch's `named_parameters(prefix='', recurse=True)` by
 * position or by keyword.
 */
function namedArguments(where: string, first: unknown, second: unknown): { prefix: string; recurse: boolean } {
  if (isPlainObject(first)) {
    if (second !== undefined) throw new TypeError(`${where}: give the options as one object, ${where}({ prefix, recurse }), or by position, ${where}(prefix, recurse); got ${describeValue(second)} after an object`);
    const o = checkOptions<NamedOptions>(where, first as NamedOptions, ['prefix', 'recurse']);
    return namedArguments(where, o.prefix, o.recurse ?? true);
  }
  const prefix = first === undefined ? '' : first;
  if (typeof prefix !== 'string') throw new TypeError(`${where}: prefix must be a string, got ${describeValue(prefix)}`);
  return { prefix, recurse: recurseOf(second === undefined ? true : second, where, `${where}('', false)`) };
}

/** A prefix with the dot that joins it to the names under it (none for '' or one that ends in a dot). */
function dotted(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? prefix : `${prefix}.`;
}

function recurseOf(given: unknown, where: string, positional = `${where}(false)`): boolean {
  const value = isPlainObject(given) ? checkOptions<{ recurse?: boolean }>(where, given as { recurse?: boolean }, ['recurse']).recurse ?? true : given;
  if (typeof value !== 'boolean') throw new TypeError(`${where}: recurse must be true or false (${positional} or ${where}({ recurse: false })), got ${describeValue(value)}`);
  return value;
}

export function setToNoneOf(given: unknown, where: string): boolean {
  const value = isPlainObject(given)
    ? checkOptions<{ setToNone?: boolean }>(where, given as { setToNone?: boolean }, ['setToNone']).setToNone ?? false
    : given;
  if (typeof value !== 'boolean') throw new TypeError(`${where}: setToNone must be true or false (zeroGrad(true) or zeroGrad({ setToNone: true })), got ${describeValue(value)}`);
  return value;
}

/**
 * Zeroes (or, with `setToNone`, drops) `p.grad`, touching only the rows a sparse gradient may occupy. As PyTorch
 * 1.13's zero_grad: a gradient of the graph (from backward with createGraph) is first cut from it in place
 * (detach_), one that requires grad stops requiring it, so the next gradients are not added onto the old graph;
 * and the zeroing is an in-place change (its version moves on), which a node that saved the gradient refuses.
 */
export function zeroGradOf(p: Tensor, setToNone: boolean): void {
  if (setToNone) {
    dropGrad(p);
    return;
  }
  const grad = p.grad;
  if (grad === null) return;
  if (grad.gradFn !== null) grad.detach_();
  else if (grad.requiresGrad) grad.requiresGrad = false;
  clearGrad(grad);
  grad.versionCounter.value++;
}

refusePythonNames(Module.prototype, 'model', [
  ['zero_grad', 'zeroGrad', 'method'], ['state_dict', 'stateDict', 'method'], ['load_state_dict', 'loadStateDict', 'method'],
  ['named_parameters', 'namedParameters', 'method'], ['named_children', 'namedChildren', 'method'],
  ['named_modules', 'namedModules', 'method'], ['register_buffer', 'registerBuffer', 'method'], ['named_buffers', 'namedBuffers', 'method'],
  ['get_buffer', 'getBuffer', 'method'], ['requires_grad_', 'requiresGrad_', 'method'],
  ['register_parameter', 'registerParameter', 'method'], ['register_module', 'registerModule', 'method'],
  ['register_forward_hook', 'registerForwardHook', 'method'], ['register_forward_pre_hook', 'registerForwardPreHook', 'method'],
  ['register_full_backward_hook', 'registerFullBackwardHook', 'method'], ['register_backward_hook', 'registerFullBackwardHook', 'method'],
  ['get_submodule', 'getSubmodule', 'method'], ['get_parameter', 'getParameter', 'method'], ['add_module', 'addModule', 'method'],
]);

/**
 * The state dict `loadStateDict` was given, as an object to look names up in, and its keys in order: a Map's entries
 * (PyTorch's state dict is an OrderedDict), or the object itself. The keys are the Map's own, in its order, since an
 * object made from it would list integer-like keys (`'0'`, `'1'`) first, and the unexpected keys come in that order
 * as PyTorch's. A module, a path or anything else that is not a state dict is refused with what to pass.
 */
function stateFrom(given: unknown): { state: Readonly<Record<string, Tensor>>; keys: readonly string[] } {
  if (given instanceof Map) return { state: Object.fromEntries(given) as Record<string, Tensor>, keys: [...(given as Map<string, Tensor>).keys()] };
  if (given instanceof Module) {
    throw new TypeError(`loadStateDict: got a module (${given.constructor.name}), not a state dict: pass its stateDict(), model.loadStateDict(other.stateDict())`);
  }
  if (typeof given === 'string') {
    throw new TypeError(`loadStateDict: got the path ${JSON.stringify(given)}, not a state dict: read the file first, model.loadStateDict(loadFile(path).tensors), or nn.loadWeights(model, path)`);
  }
  if (typeof given !== 'object' || given === null || Array.isArray(given) || given instanceof Tensor) {
    throw new TypeError(`loadStateDict: expected a state dict (an object of name → Tensor, as stateDict() returns), got ${describeValue(given)}`);
  }
  return { state: given as Record<string, Tensor>, keys: Object.keys(given) };
}

/**
 * What a buffer may hold: a Tensor (any, as in PyTorch: one that requires grad, or a parameter) or null. `where` names
 * the call (`registerBuffer`), or null for an assignment to the buffer's name, with PyTorch's wording for that one.
 */
function checkBufferValue(owner: Module, name: string, v: unknown, where: string | null): asserts v is Tensor | null {
  const head = where ?? `${owner.constructor.name}.${name}`;
  if (v !== null && !(v instanceof Tensor)) {
    throw new TypeError(`${head}: cannot assign ${describeKind(v)} as buffer '${name}' (a Tensor or null expected, as in PyTorch)`);
  }
}
